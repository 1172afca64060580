"""The stream runner against recorded and fake streams: snapshots drawn at a pace, partial replies
kept on failure and on stop, reply stats, non-streaming calls, and concurrent runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from playground.core import streaming
from playground.core.streaming import RedrawClock, Run, run_all
from tests.fake_xai import FakeXai, sse_event
from tests.xai_core.conftest import ByteChunks, sse_body
from xai_core import (
    APIConnectionError,
    ChatCompletion,
    ChatCompletionChunk,
    ChatStream,
    Completion,
    CompletionChunk,
    ModelPrices,
    NotFoundError,
    Response,
    Stream,
    XaiClient,
)
from xai_core._accumulators import ChatAccumulator, CompletionAccumulator

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = ModelPrices(input=3000, cached_input=750, output=5000)


def chat_stream(
    pieces: list[bytes], fail_with: Exception | None = None, delay: float = 0.0
) -> ChatStream:
    """A chat stream whose body arrives in ``pieces`` (``delay`` apart), then fails if told."""

    class Slow(ByteChunks):
        def __iter__(self):  # type: ignore[no-untyped-def]
            for piece in super().__iter__():
                time.sleep(delay)
                yield piece

    def open_response() -> httpx.Response:
        body = Slow(pieces, fail_with)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)

    return Stream(open_response, ChatCompletionChunk, ChatAccumulator())


def events(body: bytes) -> list[bytes]:
    return [event + b"\n\n" for event in body.split(b"\n\n") if event]


def recorded(name: str) -> list[bytes]:
    return events((FIXTURES / name).read_bytes())


def text_events(texts: list[str], *, done: bool = True) -> list[bytes]:
    chunks = [{"choices": [{"index": 0, "delta": {"content": t}}]} for t in texts]
    return events(sse_body(chunks, done=done))


# --- pacing --------------------------------------------------------------------------------


def test_redraw_clock_is_due_at_most_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(streaming.time, "monotonic", lambda: now[0])
    clock = RedrawClock(0.05)
    assert clock.due()  # the first piece is drawn at once
    now[0] += 0.01
    assert not clock.due()
    now[0] += 0.05
    assert clock.due()
    assert not clock.due()


# --- one stream ----------------------------------------------------------------------------------


def test_a_run_draws_the_clients_snapshot_and_ends_with_stats() -> None:
    run = Run("asked", MINI, open_stream=lambda: chat_stream(recorded("chat_stream_reasoning.sse")))
    drawn: list[ChatCompletion] = []
    run.go(drawn.append, interval_s=0)
    assert drawn[0].choices[0].message.reasoning_content == "First"  # reasoning shows live
    assert drawn[-1].content == "Olá!"
    assert run.result is not None and run.result.content == "Olá!"
    assert run.finished and not run.stopped and run.error is None and run.error_text is None
    assert run.pieces == {0: 2}  # chunks that brought answer text (not reasoning)
    stats = run.reply_stats()
    assert stats is not None
    assert (stats.model, stats.finish_reason) == ("grok-code-fast-1", "stop")
    assert stats.usage is not None and stats.usage.prompt_tokens == 213
    assert stats.cost_usd == pytest.approx(3080400 / 1e10)  # the server's ticks
    assert "213 in (192 cached)" in stats.line()


def test_redraws_are_paced_and_the_last_pieces_drawn_at_once() -> None:
    every = Run("m", open_stream=lambda: chat_stream(text_events(["a", "b", "c", "d"])))
    drawn: list[str] = []
    every.go(lambda reply: drawn.append(reply.content), interval_s=0)
    assert drawn == ["a", "ab", "abc", "abcd", "abcd"]  # every chunk, then the end
    paced = Run("m", open_stream=lambda: chat_stream(text_events(["a", "b", "c", "d"])))
    drawn.clear()
    paced.go(lambda reply: drawn.append(reply.content), interval_s=60)
    assert drawn == ["a", "abcd"]  # the first piece at once, the rest at the end


def test_a_cut_stream_keeps_its_partial_reply_and_the_error() -> None:
    cut = httpx.RemoteProtocolError("peer closed connection")
    pieces = text_events(["Half ", "an"], done=False)
    run = Run("m", open_stream=lambda: chat_stream(pieces, fail_with=cut))
    run.go()
    assert isinstance(run.error, APIConnectionError)
    assert run.error_text == "The connection dropped in the middle of the reply."
    assert run.result is not None and run.result.content == "Half an"
    assert run.finished and not run.stopped
    stats = run.reply_stats()
    assert stats is not None and stats.model == "m" and stats.usage is None


def test_an_interrupted_run_closes_the_stream_and_keeps_what_came() -> None:
    """A Streamlit rerun raises out of ``draw``: the stream is closed, marked stopped, kept."""
    run = Run("m", open_stream=lambda: chat_stream(text_events(["a", "b", "c", "d"])))

    def draw(reply: ChatCompletion) -> None:
        if reply.content == "ab":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run.go(draw, interval_s=0)
    assert run.finished and run.stopped and run.error is None
    assert run.result is not None and run.result.content == "ab"
    assert run.stream is not None and run.stream.stats.elapsed_s is not None


def test_a_stop_event_ends_the_run_early() -> None:
    stop = threading.Event()
    stop.set()
    run = Run("m", open_stream=lambda: chat_stream(text_events(["a", "b", "c"])))
    run.go(stop=stop)
    assert run.stopped and run.result is not None and run.result.content == "a"


@pytest.mark.parametrize(
    ("status", "details", "finish"),
    [
        ("in_progress", None, None),  # stopped or cut while streaming: it did not finish
        ("queued", None, None),
        ("completed", None, "completed"),
        ("incomplete", {"reason": "max_output_tokens"}, "max_output_tokens"),
    ],
)
def test_a_responses_reply_finishes_only_once_it_ended(
    status: str, details: dict[str, str] | None, finish: str | None
) -> None:
    reply = Response.model_validate({"model": "m", "status": status, "incomplete_details": details})
    stats = Run("m", answer=reply).reply_stats()
    assert stats is not None and stats.finish_reason == finish
    assert "finish: in_progress" not in stats.line()


def test_a_one_burst_reply_claims_no_speed() -> None:
    body = b"".join(recorded("chat_stream_reasoning.sse"))
    run = Run("m", open_stream=lambda: chat_stream([body]))
    run.go()
    stats = run.reply_stats()
    assert stats is not None and stats.tokens_per_second is None
    assert stats.time_to_first_token_s is not None


def test_completion_pieces_are_counted_per_choice() -> None:
    chunks = [
        {"choices": [{"index": 0, "text": " is"}, {"index": 1, "text": " was"}]},
        {"choices": [{"index": 0, "text": " blue", "finish_reason": "stop"}]},
        {"choices": [{"index": 1, "text": "", "finish_reason": "length"}]},
    ]

    def open_stream() -> Stream[CompletionChunk, Completion]:
        body = ByteChunks(events(sse_body(chunks)))
        response = httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)
        return Stream(lambda: response, CompletionChunk, CompletionAccumulator())

    run = Run("m", open_stream=open_stream)
    run.go()
    assert run.pieces == {0: 2, 1: 1}
    assert run.result is not None and [c.text for c in run.result.choices] == [" is blue", " was"]
    stats = run.reply_stats()
    assert stats is not None and stats.finish_reason == "stop"


def test_a_non_streaming_call_is_timed_and_its_error_kept() -> None:
    answer = Completion.model_validate({"model": "served", "choices": [{"text": "hi"}]})
    run = Run("asked", call=lambda: answer)
    run.go(lambda _snapshot: pytest.fail("a call is not drawn"))
    assert run.result is answer and run.elapsed_s is not None and not run.stopped
    stats = run.reply_stats()
    assert stats is not None and stats.model == "served" and stats.tokens_per_second is None

    def refuse() -> Completion:
        raise NotFoundError("No such model.", status_code=404)

    failed = Run("asked", call=refuse)
    failed.go()
    assert failed.error_text == "No such model." and failed.result is None
    assert failed.reply_stats() is None and failed.elapsed_s is not None


# --- several at once -----------------------------------------------------------------------------


def pieces_stream(model: str, count: int) -> list[str]:
    chunks = [
        sse_event({"model": model, "choices": [{"index": 0, "delta": {"content": f"{model}{i} "}}]})
        for i in range(count)
    ]
    return [*chunks, "data: [DONE]\n\n"]


def chat_run(client: XaiClient, model: str) -> Run[ChatCompletion]:
    messages = [{"role": "user", "content": "hi"}]
    return Run(model, open_stream=lambda: client.stream_chat(model=model, messages=messages))


def test_runs_are_read_concurrently_and_drawn_on_the_callers_thread(fake_xai: FakeXai) -> None:
    fake_xai.set_stream_script(pieces_stream("a", 10), delay=0.05)
    fake_xai.set_stream_script(pieces_stream("b", 10), delay=0.05)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    runs = [chat_run(client, "a"), chat_run(client, "b")]
    drawn: list[tuple[int, str, int]] = []

    def drawer(index: int) -> Callable[[ChatCompletion], None]:
        return lambda reply: drawn.append((index, reply.content, threading.get_ident()))

    run_all(runs, [drawer(0), drawer(1)])
    assert {thread for _, _, thread in drawn} == {threading.get_ident()}
    order = [index for index, _, _ in drawn]
    assert order != sorted(order)  # interleaved, not one after the other
    # The fake hands its scripts out in the order the requests arrive, which the threads decide.
    expected = {"".join(f"{m}{i} " for i in range(10)) for m in "ab"}
    contents = [run.result.content if run.result is not None else None for run in runs]
    assert set(contents) == expected
    for index, content in enumerate(contents):  # each run drawn complete, in its own slot
        assert [text for k, text, _ in drawn if k == index][-1] == content
    assert all(run.finished and run.reply_stats() is not None for run in runs)


def test_an_error_ends_only_its_own_run(fake_xai: FakeXai) -> None:
    fake_xai.fail_next(400, {"code": "x", "error": "bad model"}, path="/v1/chat/completions")
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, max_retries=0)
    runs = [chat_run(client, "bad"), chat_run(client, "good")]
    progress: list[tuple[int, int]] = []
    run_all(runs, on_done=lambda done, total: progress.append((done, total)))
    assert progress == [(1, 2), (2, 2)]
    assert [run.error_text for run in runs].count("bad model") == 1
    assert all(run.finished for run in runs)
    assert [run.result.content for run in runs if run.error is None] == ["Olá!"]  # type: ignore[union-attr]


def test_an_interrupted_run_all_stops_and_closes_every_stream(fake_xai: FakeXai) -> None:
    fake_xai.set_stream_script(pieces_stream("a", 100), delay=0.02)
    fake_xai.set_stream_script(pieces_stream("b", 100), delay=0.02)
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    runs = [chat_run(client, "a"), chat_run(client, "b")]

    def rerun(_reply: ChatCompletion) -> None:
        raise KeyboardInterrupt  # what a Streamlit rerun looks like to the loop

    with pytest.raises(KeyboardInterrupt):
        run_all(runs, [rerun, rerun])
    assert all(run.finished and run.stopped for run in runs)
    assert all(run.result is not None and run.result.content for run in runs)  # partial kept


def test_bounded_calls_report_progress_and_skip_unsent_ones_when_interrupted() -> None:
    running: list[int] = []
    most = [0]
    lock = threading.Lock()

    def call() -> Any:
        with lock:
            running.append(1)
            most[0] = max(most[0], len(running))
        time.sleep(0.05)
        with lock:
            running.pop()
        return Completion.model_validate({"choices": [{"text": "x"}]})

    runs = [Run("m", call=call) for _ in range(6)]
    progress: list[int] = []
    run_all(runs, max_workers=2, on_done=lambda done, _total: progress.append(done))
    assert most[0] == 2 and progress == [1, 2, 3, 4, 5, 6]
    assert all(run.result is not None for run in runs)

    calls = [Run("m", call=call) for _ in range(12)]

    def interrupt(_done: int, _total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_all(calls, max_workers=2, on_done=interrupt)
    time.sleep(0.2)
    assert sum(run.finished for run in calls) <= 4  # the running ones, not all twelve
