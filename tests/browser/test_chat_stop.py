"""Stopping a streaming chat reply with Streamlit's own controls, in headless Chromium against the
fake xAI server: the square the chat input shows while a run goes on, and the toolbar's Stop (the
status widget's). Either must end like the in-page Stop button: the partial reply without the
"▌" cursor, its "Stopped" mark and stats line, no dead Stop button, and Regenerate, Clear
conversation and View code back, with no further click. For one reply by Chat Completions or by
Responses, and for compare columns; the Completions page's run, which streams the same way, too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    assert_no_exception,
    compare_with,
    open_app,
    send_chat,
    use_chat_completions,
    wait_for_app,
)
from tests.browser.test_chat import word_stream
from tests.fake_xai import FakeXai
from tests.fake_xai.payloads import completion_events
from tests.fake_xai.response_events import response_text_events

pytestmark = pytest.mark.browser

WORDS = 200  # 0.05 s apart: 10 s, far more than the test waits before stopping
STOPPED = "Stopped: the reply above is partial"
CONTROLS = ("Regenerate", "Clear conversation", "View code")


def stop_with_chat_input_square(page: Page) -> None:
    """The square that replaces the chat input's send arrow while the run goes on."""
    page.get_by_test_id("stChatInputStopButton").click()


def stop_with_toolbar(page: Page) -> None:
    """The Stop beside "Running..." in the toolbar (top right)."""
    page.get_by_test_id("stStatusWidget").get_by_role("button", name="Stop").click()


STOPS = {"chat input square": stop_with_chat_input_square, "toolbar Stop": stop_with_toolbar}


def expect_ended_like_the_in_page_stop(
    page: Page, replies: list[Locator], last: str, controls: tuple[str, ...] = CONTROLS
) -> None:
    """Without another click: the ``controls`` come back, then every reply is partial (``last``
    never came), marked stopped, with its stats line and without the streaming cursor."""
    main = page.get_by_test_id("stMainBlockContainer")
    for name in controls:
        expect(main.get_by_role("button", name=name)).to_be_visible(timeout=15_000)
    wait_for_app(page)
    for reply in replies:
        expect(reply).to_contain_text(STOPPED)
        expect(reply).to_contain_text("first token")  # the stats line
        assert last not in reply.inner_text()
    assert "▌" not in main.inner_text()
    expect(main.get_by_role("button", name="Stop", exact=True)).to_have_count(0)
    assert_no_exception(page)


@pytest.mark.parametrize("stop", STOPS.values(), ids=STOPS.keys())
def test_chat_completions_reply_stopped_by_streamlit(
    page: Page, app_url: str, fake_xai: FakeXai, stop: Callable[[Page], None]
) -> None:
    fake_xai.set_stream_script(word_stream(WORDS), delay=0.05)
    open_app(page, app_url)
    use_chat_completions(page)
    send_chat(page, "Talk a lot")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("w3 ", timeout=10_000)
    stop(page)
    expect_ended_like_the_in_page_stop(page, [reply], f"w{WORDS - 1}")
    expect(page.get_by_test_id("stChatMessage")).to_have_count(2)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Session: 1 reply")
    chats = [r for r in fake_xai.requests if r.path == "/v1/chat/completions"]
    assert len(chats) == 1  # the run after the stop draws the page, it sends nothing

    send_chat(page, "Now briefly")  # the chat goes on as usual
    expect(page.get_by_test_id("stChatMessage")).to_have_count(4, timeout=15_000)
    expect(page.get_by_test_id("stChatMessage").nth(3)).to_contain_text("finish: stop")
    assert_no_exception(page)


@pytest.mark.parametrize("stop", STOPS.values(), ids=STOPS.keys())
def test_responses_reply_stopped_by_streamlit(
    page: Page, app_url: str, fake_xai: FakeXai, stop: Callable[[Page], None]
) -> None:
    text = " ".join(f"r{i}" for i in range(WORDS))
    fake_xai.set_stream_script(response_text_events(text), delay=0.05)
    open_app(page, app_url)  # Responses: the default on xAI
    send_chat(page, "Talk a lot")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("r3 ", timeout=10_000)
    stop(page)
    expect_ended_like_the_in_page_stop(page, [reply], f"r{WORDS - 1}")
    assert "finish:" not in reply.inner_text()  # not "finish: in_progress": it did not finish
    assert [r.path for r in fake_xai.requests].count("/v1/responses") == 1


@pytest.mark.parametrize("stop", STOPS.values(), ids=STOPS.keys())
def test_compare_columns_stopped_by_streamlit(
    page: Page, app_url: str, fake_xai: FakeXai, stop: Callable[[Page], None]
) -> None:
    for model in ("grok-4.3", "grok-3-mini"):  # taken in the order the requests arrive
        fake_xai.set_stream_script(word_stream(WORDS, model), delay=0.05)
    open_app(page, app_url)
    use_chat_completions(page)
    compare_with(page, "grok-3-mini")
    send_chat(page, "Both of you")
    streaming = page.get_by_test_id("stColumn").filter(has_text="w3 ")
    expect(streaming).to_have_count(2, timeout=10_000)  # both columns stream
    stop(page)
    columns = page.get_by_test_id("stColumn").filter(has=page.get_by_test_id("stChatMessage"))
    replies = [columns.nth(index) for index in range(2)]
    # the compared replies are not in the conversation yet: its last turn is the message
    compare_controls = ("Send", "Clear conversation", "View code")
    expect_ended_like_the_in_page_stop(page, replies, f"w{WORDS - 1}", compare_controls)
    expect(columns).to_have_count(2)
    expect(page.get_by_role("button", name="Continue with this reply")).to_have_count(2)


def test_completions_run_stopped_by_the_toolbar(
    page: Page, app_url: str, fake_xai: FakeXai
) -> None:
    fake_xai.set_stream_script(completion_events([f" c{i}" for i in range(WORDS)]), delay=0.05)
    open_app(page, f"{app_url}/completions")
    prompt = page.get_by_label("Prompt")
    prompt.fill("Once upon a time")
    prompt.press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Run", exact=True).click()
    main = page.get_by_test_id("stMainBlockContainer")
    expect(main).to_contain_text("c3 ", timeout=10_000)
    stop_with_toolbar(page)
    expect(main).to_contain_text("Stopped: the text below is partial", timeout=15_000)
    wait_for_app(page)
    expect(main).to_contain_text("first token")
    assert "▌" not in main.inner_text()
    assert f"c{WORDS - 1}" not in main.inner_text()
    expect(main.get_by_role("button", name="Stop", exact=True)).to_have_count(0)
    assert_no_exception(page)
