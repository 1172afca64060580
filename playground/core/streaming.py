"""One stream runner for every page: chat replies (Chat Completions or Responses), compare, n-way
completions and sweeps (pure, no Streamlit).

A :class:`Run` is one request and how far it got. ``run.go(draw)`` sends it on the caller's thread:
it reads the ``xai_core`` stream, hands the client's accumulated snapshot (``stream.result``) to
``draw`` at a steady pace, and closes the stream however it ends (finished, failed, or interrupted
by an exception such as a Streamlit rerun), so what arrived stays in ``run.result``. A
non-streaming request (``best_of``, sweep cells) is a ``Run`` with a ``call`` instead.
:func:`run_all` sends several runs at once, one thread each (at most ``max_workers``), while the
caller's thread (the only one that may draw) draws them and reports progress. What a page says
about the reply (its stats line, its error in plain words) is in :mod:`playground.core.replies`.

    run = Run(model.id, model.prices, open_stream=lambda: client.stream_chat(...))
    try:
        run.go(lambda reply: show(reply))  # reply: the ChatCompletion so far
    finally:
        keep(run.result, run.reply_stats(), run.error_text, run.stopped)
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from playground.core.money import is_refusal
from playground.core.replies import ReplyStats, plain_error
from xai_core import (
    ChatCompletion,
    ChatCompletionChunk,
    Completion,
    CompletionChunk,
    ModelPrices,
    Response,
    Stream,
    StreamStats,
    XaiError,
)

__all__ = ["REDRAW_INTERVAL_S", "RedrawClock", "Run", "run_all"]

#: How often a streaming view is redrawn at most (and how often :func:`run_all` looks up).
REDRAW_INTERVAL_S = 0.05
#: How long an interrupted :func:`run_all` waits for its streams to close.
CLOSE_WAIT_S = 2.0

#: The statuses of a Responses reply that has not ended (stopped or cut while streaming).
_UNFINISHED = frozenset({"queued", "in_progress"})

ResultT = TypeVar("ResultT", ChatCompletion, Completion, Response)


class RedrawClock:
    """Says when a streaming view is due for a redraw: at most every ``interval_s``, so a long
    reply is redrawn in place a few times a second instead of on every delta (no flicker)."""

    def __init__(self, interval_s: float = REDRAW_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self._last = -float("inf")

    def due(self) -> bool:
        """True at most once per interval (the first call always)."""
        now = time.monotonic()
        if now - self._last < self.interval_s:
            return False
        self._last = now
        return True


@dataclass(eq=False)
class Run(Generic[ResultT]):
    """One request (a stream to open, or a non-streaming ``call``) and what came of it so far.

    ``model`` and ``prices`` are the model asked for: the stats name it when the reply does not,
    and price its usage.
    """

    model: str
    prices: ModelPrices | None = None
    open_stream: Callable[[], Stream[Any, ResultT]] | None = None
    call: Callable[[], ResultT] | None = None
    stream: Stream[Any, ResultT] | None = None
    answer: ResultT | None = None  # a non-streaming call's whole answer
    elapsed_s: float | None = None  # a non-streaming call's duration
    pieces: dict[int, int] = field(default_factory=dict)  # per choice: chunks that brought text
    error: XaiError | None = None
    finished: bool = False
    snapshot: ResultT | None = None  # the latest one a worker thread published (run_all)

    @property
    def result(self) -> ResultT | None:
        """Everything received so far (``None`` before a non-streaming call answered)."""
        if self.stream is not None:
            return self.stream.result
        return self.answer

    @property
    def stopped(self) -> bool:
        """True when the stream was closed before it was done (a stop, a rerun)."""
        return self.stream is not None and self.stream.stopped

    @property
    def timings(self) -> StreamStats:
        """The stream's timings; for a non-streaming call only its duration (no rate claimed)."""
        if self.stream is not None:
            return self.stream.stats
        return StreamStats(elapsed_s=self.elapsed_s)

    @property
    def error_text(self) -> str | None:
        """The error that ended the run, as a page says it."""
        return plain_error(self.error) if self.error is not None else None

    def reply_stats(self) -> ReplyStats | None:
        """Tokens, cost, timings and choice 0's finish reason (a Responses reply's incomplete
        reason, else its status once it ended); ``None`` before any answer."""
        result = self.result
        if result is None:
            return None
        if isinstance(result, Response):
            usage = result.usage.as_usage() if result.usage is not None else None
            details = result.incomplete_details or {}
            ended = result.status not in _UNFINISHED  # a stopped or cut reply has not finished
            finish = details.get("reason") or (result.status if ended else None)
        else:
            usage = result.usage
            finish = next((c.finish_reason for c in result.choices if c.index == 0), None)
        refused = is_refusal(getattr(self.error, "status_code", None))
        return ReplyStats.from_stream(
            result.model or self.model, usage, self.timings, finish, self.prices, refused=refused
        )

    def go(
        self,
        draw: Callable[[ResultT], None] | None = None,
        *,
        stop: threading.Event | None = None,
        interval_s: float = REDRAW_INTERVAL_S,
    ) -> None:
        """Send the request and read the reply into this run, on the caller's thread.

        ``draw(snapshot)`` gets the accumulated reply at most every ``interval_s`` and once at
        the end. An API error ends the run and is kept in ``error``; ``stop`` being set ends it
        early. Whatever ends it, even an exception from ``draw`` (a Streamlit rerun), the stream
        is closed and what arrived stays in ``result``.
        """
        started = time.perf_counter()
        try:
            if self.call is not None:
                self.answer = self.call()
            elif self.open_stream is not None:
                self._read(self.open_stream(), draw, stop, interval_s)
        except XaiError as exc:
            self.error = exc
        finally:
            if self.stream is not None:
                self.stream.close()
            elif self.call is not None:
                self.elapsed_s = time.perf_counter() - started
            self.finished = True

    def _read(
        self,
        stream: Stream[Any, ResultT],
        draw: Callable[[ResultT], None] | None,
        stop: threading.Event | None,
        interval_s: float,
    ) -> None:
        self.stream = stream
        redraw = RedrawClock(interval_s)
        for chunk in stream:
            _count_pieces(self.pieces, chunk)
            if stop is not None and stop.is_set():
                return
            if draw is not None and redraw.due():
                draw(stream.result)
        if draw is not None:
            draw(stream.result)  # the last pieces, without a wait


def _count_pieces(pieces: dict[int, int], chunk: object) -> None:
    """Count, per choice, the chunks that brought answer text (about one token each)."""
    texts: list[tuple[int, str | None]] = []
    if isinstance(chunk, ChatCompletionChunk):
        texts = [(c.index, c.delta.content) for c in chunk.choices]
    elif isinstance(chunk, CompletionChunk):
        texts = [(c.index, c.text) for c in chunk.choices]
    elif getattr(chunk, "type", None) == "response.output_text.delta":  # a Responses event
        texts = [(0, str(getattr(chunk, "delta", "") or ""))]
    for index, text in texts:
        if text:
            pieces[index] = pieces.get(index, 0) + 1


def run_all(
    runs: Sequence[Run[ResultT]],
    draws: Sequence[Callable[[ResultT], None]] | None = None,
    *,
    max_workers: int | None = None,
    on_done: Callable[[int, int], None] | None = None,
    interval_s: float = REDRAW_INTERVAL_S,
) -> None:
    """Send every run at once, each on a thread of its own, at most ``max_workers`` at a time.

    On the caller's thread: ``draws[i](snapshot)`` redraws the runs that moved (paced, and once
    more at the end) and ``on_done(finished, total)`` is called as runs end. When this is
    interrupted (an exception from a callback, e.g. a Streamlit rerun) every stream is stopped
    and closed (waited for up to :data:`CLOSE_WAIT_S`) and no run that had not started is sent.
    """
    moved: queue.Queue[tuple[int, bool]] = queue.Queue()
    stop = threading.Event()

    def work(index: int) -> None:
        run = runs[index]

        def publish(snapshot: ResultT) -> None:
            run.snapshot = snapshot
            moved.put((index, False))

        try:
            run.go(publish if draws is not None else None, stop=stop, interval_s=interval_s)
        finally:
            moved.put((index, True))

    workers = max(1, max_workers or len(runs))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="run")
    futures: list[Future[None]] = []
    try:
        futures = [pool.submit(work, index) for index in range(len(runs))]
        _follow(runs, moved, draws, on_done, interval_s)
    finally:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        streaming = [f for f, run in zip(futures, runs, strict=False) if run.call is None]
        wait(streaming, timeout=CLOSE_WAIT_S)


def _follow(
    runs: Sequence[Run[ResultT]],
    moved: queue.Queue[tuple[int, bool]],
    draws: Sequence[Callable[[ResultT], None]] | None,
    on_done: Callable[[int, int], None] | None,
    interval_s: float,
) -> None:
    """The caller's side of :func:`run_all`: draw what moved, count what ended."""
    redraw = RedrawClock(interval_s)
    dirty: set[int] = set()
    done = 0
    while done < len(runs):
        try:
            index, ended = moved.get(timeout=interval_s)
        except queue.Empty:
            index, ended = -1, False
        if index >= 0:
            dirty.add(index)
        if ended:
            done += 1
            if on_done is not None:
                on_done(done, len(runs))
        if draws is not None and dirty and (done == len(runs) or redraw.due()):
            for k in sorted(dirty):
                snapshot = runs[k].snapshot
                if snapshot is not None:
                    draws[k](snapshot)
            dirty.clear()
