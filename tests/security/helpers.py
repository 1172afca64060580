"""What the security browser tests share: driving the sidebar, the chat and page switches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page

from tests.browser.conftest import close_connection_settings, go_to
from tests.browser.conftest import type_key as browser_type_key
from tests.fake_xai import FakeXai, RecordedRequest, sse_event

__all__ = ["go_to", "reply_stream", "requests_made", "type_key"]


def type_key(page: Page, key: str) -> None:
    """Type ``key`` into the connection settings' "API key" field, let the run it starts finish
    and close the settings."""
    browser_type_key(page, key)
    close_connection_settings(page)


def reply_stream(
    content: str, reasoning: str = "", model: str = "grok-4.3", tool_call: dict | None = None
) -> list[str]:
    """A chat stream: optional reasoning, the content, an optional tool call, finish and usage."""
    events = []
    if reasoning:
        delta = {"reasoning_content": reasoning}
        events.append(sse_event({"model": model, "choices": [{"index": 0, "delta": delta}]}))
    delta = {"role": "assistant", "content": content}
    events.append(sse_event({"model": model, "choices": [{"index": 0, "delta": delta}]}))
    finish = "stop"
    if tool_call is not None:
        delta = {"tool_calls": [{"index": 0, "id": "call_1", "type": "function", **tool_call}]}
        events.append(sse_event({"model": model, "choices": [{"index": 0, "delta": delta}]}))
        finish = "tool_calls"
    events.append(
        sse_event({"model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    )
    usage = {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}
    events.append(sse_event({"model": model, "choices": [], "usage": usage}))
    return [*events, "data: [DONE]\n\n"]


@contextmanager
def requests_made(fake: FakeXai) -> Iterator[list[RecordedRequest]]:
    """The requests the fake received inside the ``with`` block (filled in when it ends)."""
    made: list[RecordedRequest] = []
    before = len(fake.requests)
    yield made
    made.extend(fake.requests[before:])
