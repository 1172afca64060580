"""Prompt versions in Chromium (fake xAI server, a store of the module's own): type a prompt, run,
change it, run again: two versions, a plain-text diff showing the change, the first restored; a
reload brings back the prompt and its last run's output."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    open_tab,
    run_app,
    wait_for_app,
)
from tests.fake_xai import FakeXai

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_app(fake_xai: FakeXai, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on the fake server with an empty workspace store of its own (run_app's)."""
    env = {"XAI_BASE_URL": fake_xai.base_url, "XAI_API_KEY": fake_xai.api_key}
    with run_app(env, tmp_path_factory.mktemp("prompt-versions")) as server:
        yield server


def run_prompt(page: Page, text: str) -> None:
    prompt = page.get_by_label("Prompt")
    prompt.fill(text)
    prompt.press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Run", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("the quick brown fox").first).to_be_visible(timeout=30_000)


def test_two_runs_make_two_versions_with_a_diff_and_the_first_restores(
    page: Page, store_app: AppServer
) -> None:
    page.goto(f"{store_app.url}/completions")
    wait_for_app(page)
    run_prompt(page, "Dear diary,\ntoday was calm.")
    assert "?p=" in page.url
    run_prompt(page, "Dear diary,\ntoday was <b>wild</b>.")

    open_tab(page, "Versions")
    panel = page.get_by_role("tabpanel", name="Versions")
    expect(panel.get_by_test_id("stDataFrame")).to_be_visible()
    code = panel.get_by_test_id("stCode")
    expect(code).to_contain_text("--- v1 prompt")
    expect(code).to_contain_text("-today was calm.")
    expect(code).to_contain_text("+today was <b>wild</b>.")  # markup shows as text
    expect(panel.locator("b", has_text="wild")).to_have_count(0)

    restore = panel.get_by_role("combobox", name="Version to restore")
    expect(restore).to_have_value(re.compile(r"^v1 · "))  # the one before the newest comes first
    panel.get_by_role("button", name="Restore version 1").click()
    wait_for_app(page)
    expect(page.get_by_label("Prompt")).to_have_value("Dear diary,\ntoday was calm.")
    assert_no_exception(page)

    page.reload()  # the prompt and its last run come back from the store (?p= in the URL)
    wait_for_app(page)
    expect(page.get_by_label("Prompt")).to_have_value("Dear diary,\ntoday was calm.")
    expect(page.get_by_text("the quick brown fox").first).to_be_visible(timeout=30_000)
    assert_no_exception(page)
