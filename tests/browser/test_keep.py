"""In a real browser: what the user typed survives a page switch, a reload and an app restart (the
workspace cookie brings the same browser back to its values); another browser gets none of it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from local_backend.launcher import LocalBackendProcess
from tests.browser.conftest import AppServer, assert_no_exception, run_app, set_number, wait_for_app

pytestmark = pytest.mark.browser

COOKIE = "xai_playground_workspace"
SYSTEM_PROMPT = "Be brief."
PROMPT = "Once upon a time, a lighthouse keeper"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser profile for the whole test (its cookies outlive the app's restart)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


@contextlib.contextmanager
def _app(local_server: LocalBackendProcess, folder: Path) -> Iterator[AppServer]:
    """The app on the session's local backend, its store (and logs) in ``folder``."""
    env = {"LOCAL_BACKEND_URL": local_server.base_url, "LOCAL_API_KEY": local_server.api_key}
    with run_app(env, folder) as app:
        yield app


def _go(page: Page, title: str) -> None:
    """Switch page with the navigation at the top (a page switch, not a reload)."""
    page.get_by_test_id("stTopNav").get_by_role("link", name=title).click()
    wait_for_app(page)
    assert_no_exception(page)


def _commit(page: Page, label: str, text: str) -> None:
    """Type ``text`` into the text area labelled ``label`` and commit it (Ctrl+Enter)."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Control+Enter")
    wait_for_app(page)


def _open_parameters(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_text("Parameters", exact=True).click()


def _expect_all_back(page: Page) -> None:
    """The Chat page's system prompt and temperature, then the Completions prompt."""
    _go(page, "Chat")
    expect(page.get_by_label("System prompt", exact=True)).to_have_value(SYSTEM_PROMPT)
    _open_parameters(page)
    expect(page.get_by_label("Temperature", exact=True)).to_have_value("0.50")
    _go(page, "Completions")
    expect(page.get_by_label("Prompt", exact=True)).to_have_value(PROMPT)


def test_values_survive_page_switch_reload_and_restart(
    context: BrowserContext, browser: Browser, local_server: LocalBackendProcess, tmp_path: Path
) -> None:
    page = context.new_page()
    with _app(local_server, tmp_path) as app:
        page.goto(app.url)  # the Chat page
        wait_for_app(page)
        assert_no_exception(page)
        _commit(page, "System prompt", SYSTEM_PROMPT)
        _open_parameters(page)
        set_number(page, "Temperature", "0.5")
        _go(page, "Completions")
        _commit(page, "Prompt", PROMPT)
        _expect_all_back(page)  # a page switch back to Chat, and to Completions
        workspace = {c["name"]: c["value"] for c in context.cookies()}.get(COOKIE)
        assert workspace and len(workspace) >= 32

        page.reload()  # a new session, the same browser
        wait_for_app(page)
        assert_no_exception(page)
        _expect_all_back(page)

    with _app(local_server, tmp_path) as app:  # the app restarted, same database
        page.goto(app.url)
        wait_for_app(page)
        assert_no_exception(page)
        _expect_all_back(page)
        assert {c["name"]: c["value"] for c in context.cookies()}.get(COOKIE) == workspace

        stranger = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            other = stranger.new_page()
            other.goto(app.url)
            wait_for_app(other)
            assert_no_exception(other)
            expect(other.get_by_label("System prompt", exact=True)).to_have_value("")
            _go(other, "Completions")
            expect(other.get_by_label("Prompt", exact=True)).to_have_value("")
            cookies = {c["name"]: c["value"] for c in stranger.cookies()}
            assert cookies.get(COOKIE) not in (None, workspace)
        finally:
            stranger.close()


contextlib_app = __import__("contextlib").contextmanager(_app)
