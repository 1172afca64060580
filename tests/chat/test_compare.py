"""Concurrent chat streams: read at once in threads, handed to the caller through a queue."""

from __future__ import annotations

import time

from playground.chat.compare import ConcurrentStreams
from tests.fake_xai import FakeXai, sse_event
from xai_core import ChatStream, XaiClient


def pieces_stream(model: str, count: int) -> list[str]:
    events = [
        sse_event({"model": model, "choices": [{"index": 0, "delta": {"content": f"{model}{i} "}}]})
        for i in range(count)
    ]
    return [*events, "data: [DONE]\n\n"]


def opener(client: XaiClient, model: str):  # type: ignore[no-untyped-def]
    def open_stream() -> ChatStream:
        return client.stream_chat(model=model, messages=[{"role": "user", "content": "hi"}])

    return open_stream


def test_streams_are_read_concurrently(fake_xai: FakeXai) -> None:
    fake_xai.set_stream_script(pieces_stream("a", 10), delay=0.05)
    fake_xai.set_stream_script(pieces_stream("b", 10), delay=0.05)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    order: list[int] = []
    started = time.monotonic()
    with ConcurrentStreams([opener(client, "a"), opener(client, "b")]) as streams:
        for index, chunk in streams.chunks():
            if chunk is not None and chunk.choices:
                order.append(index)
    elapsed = time.monotonic() - started
    assert sorted(order) == [0] * 10 + [1] * 10
    assert order != sorted(order)  # interleaved, not one after the other
    assert elapsed < 0.9 * 2 * 10 * 0.05  # well under the time of two streams in a row
    texts = {streams.outcomes[i].stream.result.content for i in (0, 1)}  # type: ignore[union-attr]
    assert texts == {"".join(f"{m}{i} " for i in range(10)) for m in "ab"}


def test_an_error_ends_only_its_own_stream(fake_xai: FakeXai) -> None:
    fake_xai.fail_next(400, {"code": "x", "error": "bad model"}, path="/v1/chat/completions")
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, max_retries=0)
    with ConcurrentStreams([opener(client, "bad"), opener(client, "good")]) as streams:
        ended = [index for index, chunk in streams.chunks() if chunk is None and index >= 0]
    assert sorted(ended) == [0, 1]
    errors = [o.error.message for o in streams.outcomes if o.error is not None]
    assert errors == ["bad model"]
    assert all(o.finished for o in streams.outcomes)


def test_closing_stops_every_stream(fake_xai: FakeXai) -> None:
    fake_xai.set_stream_script(pieces_stream("a", 100), delay=0.02)
    fake_xai.set_stream_script(pieces_stream("b", 100), delay=0.02)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    with ConcurrentStreams([opener(client, "a"), opener(client, "b")]) as streams:
        for _index, chunk in streams.chunks():
            if chunk is not None:
                break
    assert all(o.finished for o in streams.outcomes)
    assert all(o.stream is not None and o.stream.stopped for o in streams.outcomes)
