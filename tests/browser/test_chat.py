"""The chat page in headless Chromium: against the fake xAI server, and the local backend."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    compare_with,
    open_app,
    send_chat,
    set_number,
    use_chat_completions,
    wait_for_app,
)
from tests.fake_xai import FakeXai, sse_event

pytestmark = pytest.mark.browser


def word_stream(count: int, model: str = "grok-4.3") -> list[str]:
    """``count`` content chunks ("w0 w1 ..."), a finish chunk, usage with ticks, [DONE]."""
    events = [
        sse_event({"model": model, "choices": [{"index": 0, "delta": {"content": f"w{i} "}}]})
        for i in range(count)
    ]
    events.append(
        sse_event({"model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    )
    usage = {
        "prompt_tokens": 10,
        "completion_tokens": count,
        "total_tokens": 10 + count,
        "cost_in_usd_ticks": 1234000,
    }
    events.append(sse_event({"model": model, "choices": [], "usage": usage}))
    return [*events, "data: [DONE]\n\n"]


def test_a_reply_streams_in_visibly(page: Page, app_url: str, fake_xai: FakeXai) -> None:
    fake_xai.set_stream_script(word_stream(40), delay=0.08)  # ~3.2 s in all
    open_app(page, app_url)
    use_chat_completions(page)
    send_chat(page, "Count slowly")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("w5 ", timeout=10_000)
    partial = reply.inner_text()
    assert "w39" not in partial  # seen before the end
    expect(reply).to_contain_text("w39", timeout=10_000)
    expect(reply).to_contain_text("10 in · 40 out · $0.000123 billed")
    assert_no_exception(page)


def test_thinking_block_and_stats_line(page: Page, app_url: str, fake_xai: FakeXai) -> None:
    open_app(page, app_url)
    use_chat_completions(page)
    send_chat(page, "Olá")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("finish: stop", timeout=15_000)
    expect(reply).to_contain_text("Olá!")
    expect(reply).to_contain_text(
        "213 in (192 cached) · 200 out (198 reasoning) · $0.000308 billed"
    )
    thinking = reply.get_by_test_id("stExpander")
    expect(thinking).to_contain_text("Thinking")
    thinking.get_by_text("Thinking").click()
    expect(thinking).to_contain_text("First, think.")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Session: 1 reply")
    assert_no_exception(page)


def test_stop_keeps_the_partial_reply(page: Page, app_url: str, fake_xai: FakeXai) -> None:
    fake_xai.set_stream_script(word_stream(100), delay=0.05)
    open_app(page, app_url)
    use_chat_completions(page)
    send_chat(page, "Talk a lot")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("w3 ", timeout=10_000)
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop").click()
    wait_for_app(page)
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("Stopped: the reply above is partial", timeout=10_000)
    assert "w99" not in reply.inner_text()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(2)
    assert_no_exception(page)


def test_compare_mode_shows_two_columns(page: Page, app_url: str, fake_xai: FakeXai) -> None:
    open_app(page, app_url)
    use_chat_completions(page)
    compare_with(page, "grok-3-mini")
    send_chat(page, "Both of you")
    columns = page.get_by_test_id("stColumn").filter(has=page.get_by_test_id("stChatMessage"))
    expect(columns).to_have_count(2, timeout=15_000)
    for index, model in enumerate(["grok-4.3", "grok-3-mini"]):
        expect(columns.nth(index)).to_contain_text(model)
        expect(columns.nth(index)).to_contain_text("$0.000308", timeout=15_000)
    models = {r.body["model"] for r in fake_xai.requests if r.path == "/v1/chat/completions"}
    assert models == {"grok-4.3", "grok-3-mini"}
    assert_no_exception(page)


def test_basic_chat_against_the_local_backend(page: Page, local_app: AppServer) -> None:
    open_app(page, local_app.url)
    page.get_by_test_id("stSidebar").get_by_text("Parameters").click()
    set_number(page, "Max tokens", "12")  # Responses, the local default
    send_chat(page, "Write a long story about a lighthouse keeper.")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("12 out", timeout=60_000)
    expect(reply).to_contain_text("qwen2.5-coder-0.5b-instruct")
    send_chat(page, "And again.")
    expect(page.get_by_test_id("stChatMessage")).to_have_count(4, timeout=60_000)
    expect(page.get_by_test_id("stChatMessage").nth(3)).to_contain_text("· free ·", timeout=60_000)
    assert_no_exception(page)
