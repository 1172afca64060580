"""The deployment lock in the browser: ``PLAYGROUND_BACKENDS=xai,bogus`` names the bad entry in
the sidebar, offers no backend choice and no URL field, and the app still works on xAI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    close_connection_settings,
    connection_settings,
    open_app,
    run_app,
)
from tests.fake_xai import FakeXai
from tests.security.helpers import go_to

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def locked_app(fake_xai: FakeXai, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    env = {
        "XAI_BASE_URL": fake_xai.base_url,
        "XAI_API_KEY": fake_xai.api_key,
        "PLAYGROUND_BACKENDS": "xai,bogus",
    }
    with run_app(env, tmp_path_factory.mktemp("locked")) as app:
        yield app


def test_a_locked_deployment_offers_only_xai(
    page: Page, locked_app: AppServer, fake_xai: FakeXai
) -> None:
    open_app(page, locked_app.url)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stAlertContentError")).to_contain_text(
        "PLAYGROUND_BACKENDS must list some of local, xai, custom (comma-separated); "
        "it lists bogus."
    )
    expect(sidebar).to_contain_text("xAI · key ok", timeout=20_000)
    settings = connection_settings(page)
    expect(settings).to_contain_text("Backend: xAI (set by this deployment)")
    expect(settings).to_contain_text("Connected as playground-test-key")
    expect(settings.get_by_role("radiogroup", name="Backend")).to_have_count(0)
    expect(settings.get_by_label("Base URL")).to_have_count(0)
    expect(page.get_by_text("Custom (OpenAI-compatible)")).to_have_count(0)
    close_connection_settings(page)
    go_to(page, "Models & pricing")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=20_000)
    assert_no_exception(page)
    assert "Traceback" not in locked_app.log_text()
    assert {r.auth for r in fake_xai.requests} == {"valid"}
