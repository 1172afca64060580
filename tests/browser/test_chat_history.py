"""Saved conversations in headless Chromium: a reload brings the conversation and its stats back
(the URL names it), and a share link opens a read-only copy in a second browser context that
sees none of the first one's history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import AppServer, open_app, run_app, send_chat, wait_for_app
from tests.fake_xai import FakeXai

pytestmark = pytest.mark.browser

STATS = "4 in · 36 out (32 reasoning) · $0.000095 billed"  # the fake's Responses reply to "Olá"
WORKSPACE_COOKIE = "xai_playground_workspace"


@pytest.fixture(scope="module")
def store_app(fake_xai: FakeXai, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """An app of this module's own on the fake server, with a fresh workspace store."""
    folder = tmp_path_factory.mktemp("store-app")
    env = {
        "XAI_BASE_URL": fake_xai.base_url,
        "XAI_API_KEY": fake_xai.api_key,
        "PLAYGROUND_DB_URL": f"sqlite:///{Path(folder) / 'workspace.db'}",
    }
    with run_app(env, folder) as server:
        yield server


def new_context(browser: Browser, url: str, workspace: str | None) -> BrowserContext:
    """A browser context of its own (cookies, storage); with ``workspace``, its workspace cookie
    is that id (as the app sets it on a first visit)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    if workspace is not None:
        context.add_cookies([{"name": WORKSPACE_COOKIE, "value": workspace, "url": url}])
    return context


def conversation_id(page: Page) -> str:
    found = re.search(r"[?&]c=([0-9a-f]+)", page.url)
    assert found is not None, page.url
    return found.group(1)


def test_a_reload_brings_the_conversation_back_and_a_share_link_is_read_only(
    browser: Browser, store_app: AppServer
) -> None:
    first = new_context(browser, store_app.url, "browser-test-workspace-one-0000")
    second = new_context(browser, store_app.url, None)
    try:
        page = first.new_page()
        open_app(page, store_app.url)
        send_chat(page, "Olá")
        reply = page.get_by_test_id("stChatMessage").nth(1)
        expect(reply).to_contain_text(STATS, timeout=15_000)
        expect(page).to_have_url(re.compile(r"[?&]c=[0-9a-f]{32}"))
        item = conversation_id(page)

        page.reload()
        wait_for_app(page)
        messages = page.get_by_test_id("stChatMessage")
        expect(messages).to_have_count(2, timeout=15_000)
        expect(messages.nth(0)).to_contain_text("Olá")
        expect(messages.nth(1)).to_contain_text("You said: Olá")
        expect(messages.nth(1)).to_contain_text(STATS)
        wait_for_app(page)  # the reload's run has ended (a click during it can be lost)
        assert conversation_id(page) == item

        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("History", exact=True).click()  # opening it reruns the page
        copy = sidebar.get_by_role("button", name="Copy link")
        expect(copy).to_be_visible(timeout=15_000)
        wait_for_app(page)  # a click during the History's rerun can be lost
        copy.click()
        wait_for_app(page)
        expect(sidebar.get_by_test_id("stCode").last).to_contain_text("?share=", timeout=15_000)
        link = sidebar.get_by_test_id("stCode").last.inner_text().strip()
        assert re.fullmatch(rf"{re.escape(store_app.url)}/(chat)?\?share=[\w-]+", link), link

        other = second.new_page()
        open_app(other, link)
        main = other.get_by_test_id("stMain")
        expect(main).to_contain_text("read-only copy")
        expect(other.get_by_test_id("stChatMessage")).to_have_count(2)
        expect(other.get_by_test_id("stChatMessage").nth(1)).to_contain_text(STATS)
        expect(other.get_by_test_id("stChatInput")).to_have_count(0)
        other_sidebar = other.get_by_test_id("stSidebar")
        expect(other_sidebar).not_to_contain_text("Olá")

        other.get_by_role("button", name="Fork into my workspace").click()
        wait_for_app(other)
        expect(other.get_by_test_id("stChatInput")).to_have_count(1)
        expect(other.get_by_test_id("stChatMessage")).to_have_count(2)
        assert conversation_id(other) != item
    finally:
        first.close()
        second.close()
