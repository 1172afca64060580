"""Streams of chunks over server-sent events, and what they add up to.

A :class:`Stream` is an iterator of typed chunks and a context manager. While it runs it accumulates
the reply, so ``stream.result`` holds everything received so far, whether the stream finished, was
stopped by the caller, or broke (an error object mid-stream, a dropped connection, a stall past the
read timeout, a malformed chunk, more than ``max_bytes``).

A server that ignores ``stream: true`` and answers with one complete JSON completion
(``application/json``) is accepted: the answer becomes a single chunk, so the caller sees the same
result as if it had streamed. Any other content type (an HTML login page, plain text) is an
:class:`InvalidResponseError` naming what came.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from xai_core._accumulators import Accumulator, ChatAccumulator, CompletionAccumulator
from xai_core._errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidResponseError,
    XaiError,
    error_from_body,
    scrub_secret,
)
from xai_core._http import (
    DEFAULT_MAX_RESPONSE_BYTES,
    TIMEOUT_ENV,
    content_type,
    iter_sse_events,
    read_capped,
    read_error_body,
)
from xai_core._types import ChatCompletion, ChatCompletionChunk, Completion, CompletionChunk

__all__ = [
    "ChatAccumulator",
    "ChatStream",
    "CompletionAccumulator",
    "CompletionStream",
    "Stream",
    "StreamStats",
]

ChunkT = TypeVar("ChunkT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


#: Below this span between first and last token, a rate says more about buffering than speed
#: (a reply that arrives in one network read), so none is given.
MIN_RATE_SPAN_S = 0.05


@dataclass
class StreamStats:
    """Timings measured by the stream itself (seconds, from the moment the request was sent)."""

    time_to_first_token_s: float | None = None
    elapsed_s: float | None = None
    generated_tokens: int | None = None
    tokens_per_second: float | None = None


# --- the stream -----------------------------------------------------------------------------------


class Stream(Generic[ChunkT, ResultT]):
    """An open streaming response: iterate it for typed chunks, ``close()`` it to stop early.

    ``open_response`` sends the request (with the client's retries) and returns a response whose
    status is already known to be 2xx. A stream is never retried once it has delivered anything.
    """

    def __init__(
        self,
        open_response: Callable[[], httpx.Response],
        chunk_type: type[ChunkT],
        accumulator: Accumulator[ChunkT, ResultT],
        *,
        clock: Callable[[], float] = time.perf_counter,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        secret: str | None = None,
        read_timeout_s: float | None = None,
    ) -> None:
        self._open_response = open_response
        self._max_bytes = max_bytes
        self._secret = secret  # scrubbed out of every error message
        self._read_timeout_s = read_timeout_s  # only to say it in the stall's message
        self._chunk_type = chunk_type
        self._accumulator = accumulator
        self._clock = clock
        self._response: httpx.Response | None = None
        self._iterator: Iterator[ChunkT] | None = None
        self._started_at: float | None = None
        self._first_token_at: float | None = None
        self._last_token_at: float | None = None
        self._ended_at: float | None = None
        self._last_text: str | None = None  # choice 0's text in the chunk last yielded
        #: True once the server said ``[DONE]`` (or closed after a finish reason).
        self.done = False
        #: True when the caller closed the stream before it was done.
        self.stopped = False
        #: The error that ended the stream, if one did.
        self.error: XaiError | None = None

    # iteration -------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[ChunkT]:
        if self._iterator is None:
            self._iterator = self._chunks()
        return self._iterator

    def __next__(self) -> ChunkT:
        return next(iter(self))

    def __enter__(self) -> Stream[ChunkT, ResultT]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def text_stream(self) -> Iterator[str]:
        """Only choice 0's new answer text, piece by piece: fit for ``st.write_stream``."""
        for _chunk in self:
            if self._last_text:
                yield self._last_text

    def until_done(self) -> ResultT:
        """Read the stream to its end and return the accumulated result."""
        for _ in self:
            pass
        return self.result

    # state -----------------------------------------------------------------------------------
    @property
    def result(self) -> ResultT:
        """Everything received so far, in the non-streaming response type."""
        return self._accumulator.result()

    @property
    def stats(self) -> StreamStats:
        """Time to first token, elapsed time and generation speed, as measured so far."""
        if self._started_at is None:
            return StreamStats()
        end = self._ended_at if self._ended_at is not None else self._clock()
        ttft = None if self._first_token_at is None else self._first_token_at - self._started_at
        usage = self._accumulator.usage
        tokens = usage.output_tokens if usage is not None else None
        if not tokens:
            tokens = self._accumulator.generated_pieces or None
        speed = None
        if tokens and self._first_token_at is not None and self._last_token_at is not None:
            span = self._last_token_at - self._first_token_at
            if span >= MIN_RATE_SPAN_S:
                speed = tokens / span
        return StreamStats(
            time_to_first_token_s=ttft,
            elapsed_s=end - self._started_at,
            generated_tokens=tokens,
            tokens_per_second=speed,
        )

    def close(self) -> None:
        """Stop reading and close the connection; what arrived stays in ``result``."""
        if not self.done and self.error is None and self._started_at is not None:
            self.stopped = True
        if self._iterator is not None and hasattr(self._iterator, "close"):
            self._iterator.close()
        self._close_response()

    # internals -------------------------------------------------------------------------------
    def _close_response(self) -> None:
        if self._response is not None:
            self._response.close()
        if self._ended_at is None and self._started_at is not None:
            self._ended_at = self._clock()

    def _chunks(self) -> Iterator[ChunkT]:
        self._started_at = self._clock()
        try:
            self._response = self._open_response()
            try:
                yield from self._read_events(self._response)
            except httpx.TimeoutException as exc:
                raise self._stalled() from exc
            except httpx.TransportError as exc:
                raise APIConnectionError(
                    "The connection dropped in the middle of the reply."
                ) from exc
        except XaiError as exc:
            self.error = scrub_secret(exc, self._secret)
            raise
        finally:
            self._close_response()

    def _read_events(self, response: httpx.Response) -> Iterator[ChunkT]:
        kind = content_type(response)
        if kind != "text/event-stream":
            yield from self._read_whole_answer(response, kind)
            return
        for event in iter_sse_events(response, self._max_bytes):
            if event.data == "[DONE]":
                self._end(done_marker=True)
                return
            if not event.data:
                continue
            yield self._take(self._parse(event.event, event.data))
        self._end(done_marker=False)

    def _end(self, *, done_marker: bool) -> None:
        """The event stream ended (with ``[DONE]`` or not): mark it done, or raise what ending
        there means (a subclass decides for its own format)."""
        if done_marker or self._accumulator.finished:
            self.done = True
            return
        raise APIConnectionError("The connection closed before the reply was complete.")

    def _stalled(self) -> APITimeoutError:
        wait = self._read_timeout_s
        silence = f" for {wait:g} s" if wait else ""
        return APITimeoutError(
            f"The server stopped sending in the middle of the reply (nothing{silence}; "
            f"{TIMEOUT_ENV} sets this wait)."
        )

    def _read_whole_answer(self, response: httpx.Response, kind: str) -> Iterator[ChunkT]:
        """A stream request answered without an event stream: one complete JSON completion is
        taken as a single chunk; anything else is an error naming what came."""
        if kind != "application/json" and not kind.endswith("+json"):
            preview = read_error_body(response, 120).decode("utf-8", errors="replace")
            raise InvalidResponseError(
                f"Expected an event stream but the server sent {kind or 'no content type'}: "
                f"{preview!r}"
            )
        raw = read_capped(response, self._max_bytes)
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        chunk = self._take(self._whole_answer(payload, kind, raw))
        self.done = True
        yield chunk

    def _whole_answer(self, payload: Any, kind: str, raw: bytes) -> ChunkT:
        """The one chunk a complete JSON answer stands for (here a completion whose choices
        become deltas), or the error it is or makes."""
        if isinstance(payload, dict) and "error" in payload:
            raise error_from_body(payload)
        if not isinstance(payload, dict) or not isinstance(payload.get("choices"), list):
            raise not_a_stream_answer(kind, raw, "a completion")
        choices = [_as_delta(choice) for choice in payload["choices"]]
        preview = raw[:200].decode("utf-8", errors="replace")
        return self._validate("", {**payload, "choices": choices}, preview)

    def _take(self, chunk: ChunkT) -> ChunkT:
        """Add ``chunk`` to the result, noting when text first and last arrived."""
        text_before = self._accumulator.generated_pieces
        self._last_text = self._accumulator.add(chunk)
        if self._accumulator.generated_pieces != text_before:
            now = self._clock()
            if self._first_token_at is None:
                self._first_token_at = now
            self._last_token_at = now
        return chunk

    def _parse(self, event_name: str, data: str) -> ChunkT:
        try:
            payload = json.loads(data)
        except ValueError as exc:
            raise InvalidResponseError(
                f"The server sent a malformed stream chunk: {data[:200]!r}"
            ) from exc
        return self._validate(event_name, payload, data[:200])

    def _validate(self, event_name: str, payload: Any, preview: str) -> ChunkT:
        """The typed chunk, or the error the payload is (an error object) or makes (a shape the
        chunk type refuses; ``preview`` shows what came)."""
        if event_name == "error" or (isinstance(payload, dict) and "error" in payload):
            raise error_from_body(payload)
        return self._typed(self._chunk_type, payload, preview)

    @staticmethod
    def _typed(model: type[ChunkT], payload: Any, preview: str) -> ChunkT:
        """``payload`` as ``model``, or the error naming the shape that came."""
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            raise InvalidResponseError(
                f"The server sent a stream chunk of an unexpected shape: {preview!r}"
            ) from exc


def not_a_stream_answer(kind: str, raw: bytes, expected: str) -> InvalidResponseError:
    """The error for a JSON answer to a stream request that is not ``expected``."""
    preview = raw[:120].decode("utf-8", errors="replace")
    return InvalidResponseError(
        f"Expected an event stream but the server sent {kind} that is not {expected}: {preview!r}"
    )


def _as_delta(choice: Any) -> Any:
    """A complete answer's choice in a chunk's shape: a chat ``message`` becomes the ``delta``."""
    if isinstance(choice, dict) and "message" in choice and "delta" not in choice:
        return {**{k: v for k, v in choice.items() if k != "message"}, "delta": choice["message"]}
    return choice


ChatStream = Stream[ChatCompletionChunk, ChatCompletion]
CompletionStream = Stream[CompletionChunk, Completion]
