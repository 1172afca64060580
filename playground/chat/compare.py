"""Several chat streams read at once: one thread pulls from each stream, the caller (the page's
script thread, the only one that may draw) takes their chunks from a queue (pure, no Streamlit).

    with ConcurrentStreams([open_a, open_b]) as streams:
        for index, chunk in streams.chunks():   # (i, ChatCompletionChunk) as they arrive
            ...
    streams.outcomes[i]  # each stream, and the error that ended it if one did
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType

from xai_core import ChatCompletionChunk, ChatStream, XaiError

__all__ = ["ConcurrentStreams", "StreamOutcome"]

_POLL_S = 0.05


@dataclass
class StreamOutcome:
    """One stream once its thread is done: the stream (for ``result``/``stats``) and its error."""

    stream: ChatStream | None = None
    error: XaiError | None = None
    finished: bool = False


class ConcurrentStreams:
    """Open and read every stream in its own thread; closing stops them all."""

    def __init__(self, open_streams: Sequence[Callable[[], ChatStream]]) -> None:
        self._open_streams = list(open_streams)
        self._queue: queue.Queue[tuple[int, ChatCompletionChunk | None]] = queue.Queue()
        self._stop = threading.Event()
        self.outcomes = [StreamOutcome() for _ in self._open_streams]
        self._threads = [
            threading.Thread(target=self._pull, args=(i,), name=f"chat-compare-{i}", daemon=True)
            for i in range(len(self._open_streams))
        ]

    def __enter__(self) -> ConcurrentStreams:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _pull(self, index: int) -> None:
        outcome = self.outcomes[index]
        try:
            stream = outcome.stream = self._open_streams[index]()
            for chunk in stream:
                if self._stop.is_set():
                    break
                self._queue.put((index, chunk))
        except XaiError as exc:
            outcome.error = exc
        finally:
            if outcome.stream is not None:
                outcome.stream.close()
            outcome.finished = True
            self._queue.put((index, None))

    def chunks(self) -> Iterator[tuple[int, ChatCompletionChunk | None]]:
        """``(index, chunk)`` in arrival order; ``(index, None)`` once stream ``index`` ended.

        Also yields ``(-1, None)`` every 50 ms while nothing arrives, so the caller can redraw.
        """
        running = len(self._threads)
        while running:
            try:
                index, chunk = self._queue.get(timeout=_POLL_S)
            except queue.Empty:
                yield -1, None
                continue
            if chunk is None:
                running -= 1
            yield index, chunk

    def close(self) -> None:
        """Ask every thread to stop, close their streams, and wait briefly for them."""
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=2)
