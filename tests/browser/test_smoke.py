"""Browser smoke tests: the real app in headless Chromium, against the fake xAI server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer, assert_no_exception, open_app, run_app, wait_for_app
from tests.fake_xai import FakeXai

pytestmark = pytest.mark.browser

WRONG_KEY = "wrong-key-123456"
PAGES = [
    ("", "Chat"),  # the default page lives at the root
    ("completions", "Completions"),
    ("embeddings", "Embeddings"),
    ("models", "Models & pricing"),
]


@pytest.fixture
def wrong_key_app(fake_xai: FakeXai, tmp_path: Path) -> Iterator[AppServer]:
    """A fresh app whose environment holds a key the fake server rejects."""
    with run_app({"XAI_BASE_URL": fake_xai.base_url, "XAI_API_KEY": WRONG_KEY}, tmp_path) as app:
        yield app


@pytest.mark.parametrize(("path", "heading"), PAGES, ids=[h for _, h in PAGES])
def test_page_renders(
    page: Page, app_url: str, app_server: AppServer, fake_xai: FakeXai, path: str, heading: str
) -> None:
    open_app(page, f"{app_url}/{path}")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.locator("h1", has_text=heading)).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("xAI · key ok")
    assert fake_xai.api_key not in page.content()
    assert fake_xai.api_key not in app_server.log_text()


def test_models_page_lists_grok_3_mini(page: Page, app_url: str) -> None:
    open_app(page, f"{app_url}/models")
    frame = page.get_by_test_id("stDataFrame").first
    expect(frame).to_be_visible()
    # The grid paints on a canvas; glide-data-grid mirrors the visible cells in an a11y table.
    cell = frame.locator("[role=gridcell]", has_text=re.compile(r"^grok-3-mini$"))
    expect(cell).to_have_count(1)
    expect(frame.locator("[role=columnheader]", has_text=re.compile(r"^model$"))).to_have_count(1)


def test_wrong_key_shows_server_message(
    page: Page, wrong_key_app: AppServer, fake_xai: FakeXai
) -> None:
    page.goto(wrong_key_app.url)
    wait_for_app(page)
    assert_no_exception(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stAlertContentError")).to_contain_text("Incorrect API key")
    assert any(r.path == "/v1/api-key" and r.auth == "invalid" for r in fake_xai.requests)
    assert WRONG_KEY not in page.content()
    assert WRONG_KEY not in wrong_key_app.log_text()


def test_deep_link_on_fresh_server_runs_the_router(
    page: Page, fake_xai: FakeXai, tmp_path: Path
) -> None:
    env = {"XAI_BASE_URL": fake_xai.base_url, "XAI_API_KEY": fake_xai.api_key}
    with run_app(env, tmp_path) as app:
        page.goto(f"{app.url}/models")
        wait_for_app(page)
        expect(page.get_by_test_id("stSidebar")).to_contain_text("xAI · key ok", timeout=2_000)
