"""The Chat sidebar fits a 1440 x 900 screen with Parameters closed, offline (the local backend) and
against the fake xAI server (the Responses API, with its server-side tools panel): the connection
is one status line ("xAI · key ok") whose popover holds the settings; a refused key still shows
under it without opening anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    AppServer,
    close_connection_settings,
    connection_settings,
    open_app,
    run_app,
    send_chat,
    wait_for_app,
)
from tests.fake_xai import FakeXai

pytestmark = pytest.mark.browser

SCREEN = {"width": 1440, "height": 900}
WRONG_KEY = "wrong-key-123456"


@pytest.fixture
def screen(browser: Browser) -> Iterator[Page]:
    """A fresh page the size of a 1440 x 900 screen."""
    context = browser.new_context(viewport=SCREEN)
    context.set_default_timeout(90_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sidebar_height(page: Page) -> int:
    """The height of everything the sidebar holds (what it would scroll through)."""
    height: int = page.get_by_test_id("stSidebarContent").evaluate("e => e.scrollHeight")
    return height


def expect_the_chat_sidebar(page: Page) -> None:
    """The Chat sidebar as it first shows, down to Export / import, with Parameters closed."""
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Parameters", exact=True)).to_be_visible()
    expect(sidebar.get_by_text("Export / import", exact=True)).to_be_visible()
    expect(sidebar.get_by_label("Temperature", exact=True)).to_be_hidden()  # Parameters closed


def test_the_chat_sidebar_fits_the_screen_offline(screen: Page, local_app: AppServer) -> None:
    open_app(screen, local_app.url)
    expect_the_chat_sidebar(screen)
    assert sidebar_height(screen) <= SCREEN["height"]
    expect(screen.get_by_test_id("stSidebar")).to_contain_text("Local (offline) · ready")
    settings = connection_settings(screen)
    expect(settings.get_by_role("radiogroup", name="Backend")).to_be_visible()
    expect(settings).to_contain_text("Models: ")
    expect(settings.get_by_label("API key", exact=True)).to_be_visible()


def test_the_chat_sidebar_fits_the_screen_with_responses_and_its_server_tools(
    screen: Page, app_url: str
) -> None:
    open_app(screen, app_url)
    expect_the_chat_sidebar(screen)
    sidebar = screen.get_by_test_id("stSidebar")
    expect(sidebar.get_by_label("Responses", exact=True)).to_be_checked()
    expect(sidebar.get_by_text("Server-side tools", exact=True)).to_be_visible()
    assert sidebar_height(screen) <= SCREEN["height"]
    expect(sidebar).to_contain_text("xAI · key ok")
    # after a reply the usage (context bar, session line) still fits
    send_chat(screen, "hello")
    expect(screen.get_by_test_id("stChatMessage").nth(1)).to_contain_text("billed", timeout=60_000)
    wait_for_app(screen)
    expect(sidebar.get_by_test_id("stProgress")).to_be_visible()
    assert sidebar_height(screen) <= SCREEN["height"], sidebar_height(screen)
    settings = connection_settings(screen)
    expect(settings).to_contain_text("Connected as playground-test-key")
    expect(settings.get_by_role("button", name="Check again")).to_be_visible()
    close_connection_settings(screen)


def test_a_refused_key_shows_without_opening_the_settings(
    screen: Page, fake_xai: FakeXai, tmp_path: Path
) -> None:
    env = {"XAI_BASE_URL": fake_xai.base_url, "XAI_API_KEY": WRONG_KEY}
    with run_app(env, tmp_path) as app:
        open_app(screen, app.url)
        sidebar = screen.get_by_test_id("stSidebar")
        expect(sidebar.get_by_test_id("stPopover")).to_contain_text("xAI · key refused")
        expect(sidebar.get_by_test_id("stAlertContentError")).to_contain_text("Incorrect API key")
        main = screen.get_by_test_id("stMain")
        expect(main.get_by_test_id("stAlertContentError")).to_contain_text("Incorrect API key")
        expect(main.get_by_role("button", name="Use Local (offline)")).to_be_visible()
        expect(sidebar.get_by_text("Export / import", exact=True)).to_be_visible()
        assert WRONG_KEY not in screen.content()
