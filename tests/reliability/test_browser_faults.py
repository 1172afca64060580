"""The worst stream faults in the real app (headless Chromium): a stream cut mid-way and one that
stalls past ``XAI_TIMEOUT`` keep their partial text on screen, marked, with a plain message and no
exception box; the next message gets a whole reply."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    open_app,
    run_app,
    send_chat,
    use_chat_completions,
    wait_for_app,
)
from tests.fake_xai import FakeXai, completion_events, response_text_events, text_events

pytestmark = pytest.mark.browser

TIMEOUT_S = 2  # the app's XAI_TIMEOUT here: a stall longer than this ends the reply
WORDS = [f"w{i} " for i in range(10)]


@pytest.fixture(scope="module")
def short_timeout_app(
    fake_xai: FakeXai, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The app on the fake server, waiting at most 2 s for the next chunk of a reply."""
    env = {
        "XAI_BASE_URL": fake_xai.base_url,
        "XAI_API_KEY": fake_xai.api_key,
        "XAI_TIMEOUT": str(TIMEOUT_S),
    }
    with run_app(env, tmp_path_factory.mktemp("faults-app")) as app:
        yield app


#: Per API: the path a reply is asked on, a stream of WORDS, events before the first word, and
#: how a whole reply's stats line ends.
APIS = {
    "chat": ("/v1/chat/completions", text_events(WORDS), 0, "finish: stop"),
    "responses": ("/v1/responses", response_text_events("".join(WORDS)), 4, "finish: completed"),
}


def open_chat(page: Page, url: str, api: str) -> None:
    """The Chat page on ``api`` (Responses is the page's default on xAI)."""
    open_app(page, url)
    if api == "chat":
        use_chat_completions(page)


def assert_partial_then_usable(page: Page, fake: FakeXai, shown: str, words: str, api: str) -> None:
    """Reply 1 holds ``shown`` marked incomplete with ``words`` in its message, and no more;
    then a new message gets the fake's usual whole reply."""
    path, _, _, finished = APIS[api]
    messages = page.get_by_test_id("stChatMessage")
    reply = messages.nth(1)
    expect(reply).to_contain_text("Incomplete: the stream ended early", timeout=30_000)
    expect(reply).to_contain_text(shown)
    expect(reply.get_by_test_id("stAlertContentError")).to_contain_text(words)
    assert "w9" not in reply.inner_text()
    expect(messages.nth(0)).to_contain_text("Count to ten")  # the user's message is kept
    assert_no_exception(page)
    assert sum(1 for r in fake.requests if r.path == path) == 1
    wait_for_app(page)
    send_chat(page, "Again")
    expect(messages).to_have_count(4, timeout=30_000)
    expect(messages.nth(3)).to_contain_text(finished, timeout=30_000)
    expect(messages.nth(1)).to_contain_text(shown)  # the partial reply stays in the history
    assert_no_exception(page)


@pytest.mark.parametrize("api", list(APIS))
def test_a_cut_stream_keeps_its_partial_reply(
    page: Page, short_timeout_app: AppServer, fake_xai: FakeXai, api: str
) -> None:
    _, events, lead, _ = APIS[api]
    fake_xai.cut_stream(events, after=lead + 5, delay=0.05)
    open_chat(page, short_timeout_app.url, api)
    send_chat(page, "Count to ten")
    assert_partial_then_usable(page, fake_xai, "w0 w1 w2 w3 w4", "connection dropped", api)


@pytest.mark.parametrize("api", list(APIS))
def test_a_stream_stalled_past_the_timeout_keeps_its_partial_reply(
    page: Page, short_timeout_app: AppServer, fake_xai: FakeXai, api: str
) -> None:
    _, events, lead, _ = APIS[api]
    fake_xai.stall_stream(events, after=lead + 3)  # silent until the app hangs up
    open_chat(page, short_timeout_app.url, api)
    send_chat(page, "Count to ten")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("w2", timeout=30_000)  # shown while the stream is stalled
    assert_partial_then_usable(page, fake_xai, "w0 w1 w2", "stopped sending", api)


def test_a_stalled_completion_keeps_its_partial_text(
    page: Page, short_timeout_app: AppServer, fake_xai: FakeXai
) -> None:
    fake_xai.stall_stream(completion_events(["Once ", "upon ", "a ", "time"]), after=2)
    page.goto(f"{short_timeout_app.url}/completions")
    wait_for_app(page)
    prompt = page.get_by_label("Prompt")
    expect(prompt).to_be_visible(timeout=30_000)
    prompt.fill("Tell a story:")
    prompt.press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Run", exact=True).click()
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main).to_contain_text("Incomplete: the stream ended early", timeout=30_000)
    expect(main.locator(".continuation")).to_contain_text("Once upon")
    assert "time" not in main.locator(".continuation").inner_text()
    expect(main.get_by_test_id("stAlertContentError")).to_contain_text("stopped sending")
    expect(prompt).to_have_value("Tell a story:")  # the prompt is kept
    assert_no_exception(page)
    wait_for_app(page)
    page.get_by_role("button", name="Run", exact=True).click()  # and the next run is whole
    expect(main).to_contain_text("the quick brown fox", timeout=30_000)
    wait_for_app(page)
    expect(main.locator(".continuation")).to_have_count(1)  # the new run replaced the partial one
    expect(main.locator(".continuation")).to_contain_text("the quick brown fox")
    expect(main).not_to_contain_text("Incomplete")
    assert_no_exception(page)
