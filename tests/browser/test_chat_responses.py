"""The chat page's Responses mode (the default on xAI) in headless Chromium, against the fake xAI
server: a web-search reply with its tool progress, sources, citation links and billed cost split,
then a second turn that continues the stored response by its id."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_exception, open_app, send_chat, wait_for_app
from tests.fake_xai import FakeXai

pytestmark = pytest.mark.browser


def test_a_web_search_reply_then_a_stored_continuation(
    page: Page, app_url: str, fake_xai: FakeXai
) -> None:
    open_app(page, app_url)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Responses", exact=True)).to_be_visible()
    sidebar.get_by_text("Server-side tools").click()
    sidebar.get_by_text("Web search", exact=True).click()
    wait_for_app(page)
    send_chat(page, "What is new at xAI?")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("billed: $", timeout=20_000)
    expect(reply).to_contain_text("Searched the web")
    expect(reply).to_contain_text("Citations")
    link = reply.locator("a[href^='http']").first
    expect(link).to_be_visible()  # sources and citations are real links
    expect(reply).to_contain_text("tools (")
    assert reply.locator("script").count() == 0
    sent = [r.body for r in fake_xai.requests if r.path == "/v1/responses"]
    assert sent[-1]["tools"] == [{"type": "web_search"}]

    send_chat(page, "And in one sentence?")
    second = page.get_by_test_id("stChatMessage").nth(3)
    expect(second).to_contain_text("finish: completed", timeout=20_000)
    body = [r.body for r in fake_xai.requests if r.path == "/v1/responses"][-1]
    assert body["previous_response_id"]
    assert body["input"] == [{"role": "user", "content": "And in one sentence?"}]
    assert_no_exception(page)
