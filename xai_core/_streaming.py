"""Streams of chunks over server-sent events, and what they add up to.

A :class:`Stream` is an iterator of typed chunks and a context manager. While it runs it accumulates
the reply, so ``stream.result`` holds everything received so far, whether the stream finished, was
stopped by the caller, or broke (an error object mid-stream, a dropped connection).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

import httpx
from httpx_sse import EventSource, SSEError
from pydantic import BaseModel, ValidationError

from xai_core._errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidResponseError,
    XaiError,
    error_from_body,
)
from xai_core._types import (
    ChatChoice,
    ChatCompletion,
    ChatCompletionChunk,
    ChatLogprobs,
    ChatMessage,
    Completion,
    CompletionChoice,
    CompletionChunk,
    CompletionLogprobs,
    Generation,
    ToolCall,
    ToolCallFunction,
    Usage,
)

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
ChunkT_contra = TypeVar("ChunkT_contra", bound=BaseModel, contravariant=True)
ResultT_co = TypeVar("ResultT_co", bound=BaseModel, covariant=True)


class _ChoiceParts(Protocol):
    finish_reason: str | None


PartsT = TypeVar("PartsT", bound=_ChoiceParts)


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


class Accumulator(Protocol[ChunkT_contra, ResultT_co]):
    """Adds chunks up into a final result."""

    def add(self, chunk: ChunkT_contra) -> str | None:
        """Take one chunk; return choice 0's new visible text (``None`` when it brought none)."""

    def result(self) -> ResultT_co:
        """Everything received so far, as the non-streaming response type."""

    @property
    def generated_pieces(self) -> int:
        """How many chunks carried generated text: a token count when usage is missing."""

    @property
    def finished(self) -> bool:
        """True once some choice has a finish reason."""

    @property
    def usage(self) -> Usage | None:
        """The usage the server reported, if it has yet."""


class _AccumulatorBase(Generic[PartsT]):
    """What both accumulators keep: the chunks' shared fields and one parts object per choice."""

    def __init__(self) -> None:
        self._id = ""
        self._model = ""
        self._created: int | None = None
        self._fingerprint: str | None = None
        self._usage: Usage | None = None
        self._choices: dict[int, PartsT] = {}
        self._pieces = 0

    @property
    def generated_pieces(self) -> int:
        return self._pieces

    @property
    def finished(self) -> bool:
        return any(parts.finish_reason for parts in self._choices.values())

    @property
    def usage(self) -> Usage | None:
        return self._usage

    def _take_shared_fields(self, chunk: Generation) -> None:
        self._id = chunk.id or self._id
        self._model = chunk.model or self._model
        self._created = chunk.created if chunk.created is not None else self._created
        self._fingerprint = chunk.system_fingerprint or self._fingerprint
        if chunk.usage is not None:
            self._usage = chunk.usage

    def _shared_fields(self) -> dict[str, Any]:
        return {
            "id": self._id,
            "created": self._created,
            "model": self._model,
            "usage": self._usage,
            "system_fingerprint": self._fingerprint,
        }


# --- chat -----------------------------------------------------------------------------------------


@dataclass
class _ToolCallParts:
    id: str | None = None
    type: str | None = None
    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass
class _ChatChoiceParts:
    role: str = "assistant"
    content: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    tool_calls: dict[int, _ToolCallParts] = field(default_factory=dict)
    finish_reason: str | None = None
    logprobs: list[Any] = field(default_factory=list)
    has_content: bool = False


class ChatAccumulator(_AccumulatorBase["_ChatChoiceParts"]):
    """Adds chat chunks up; tool calls may arrive whole (xAI) or in fragments (llama.cpp, vLLM)."""

    def add(self, chunk: ChatCompletionChunk) -> str | None:
        self._take_shared_fields(chunk)
        new_text: str | None = None
        for choice in chunk.choices:
            parts = self._choices.setdefault(choice.index, _ChatChoiceParts())
            delta = choice.delta
            if delta.role:
                parts.role = delta.role
            if delta.reasoning_content:
                parts.reasoning.append(delta.reasoning_content)
                self._pieces += 1
            if delta.content:
                parts.content.append(delta.content)
                parts.has_content = True
                self._pieces += 1
                if choice.index == 0:
                    new_text = delta.content
            for call in delta.tool_calls or []:
                self._add_tool_call(parts, call)
            if choice.finish_reason:
                parts.finish_reason = choice.finish_reason
            if choice.logprobs is not None and choice.logprobs.content:
                parts.logprobs.extend(choice.logprobs.content)
        return new_text

    def _add_tool_call(self, parts: _ChatChoiceParts, call: ToolCall) -> None:
        index = call.index if call.index is not None else len(parts.tool_calls)
        existing = parts.tool_calls.get(index)
        if existing is not None and call.id and existing.id and call.id != existing.id:
            index = max(parts.tool_calls) + 1  # a second whole call reusing an index
            existing = None
        if existing is None:
            existing = parts.tool_calls[index] = _ToolCallParts()
        existing.id = call.id or existing.id
        existing.type = call.type or existing.type
        existing.name += call.function.name or ""
        if call.function.arguments:
            existing.arguments.append(call.function.arguments)
        self._pieces += 1

    def result(self) -> ChatCompletion:
        choices = []
        for index in sorted(self._choices):
            parts = self._choices[index]
            tool_calls = [
                ToolCall(
                    index=i,
                    id=call.id,
                    type=call.type or "function",
                    function=ToolCallFunction(name=call.name, arguments="".join(call.arguments)),
                )
                for i, call in sorted(parts.tool_calls.items())
            ]
            message = ChatMessage(
                role=parts.role,
                content="".join(parts.content) if parts.has_content else None,
                reasoning_content="".join(parts.reasoning) or None,
                tool_calls=tool_calls or None,
            )
            logprobs = ChatLogprobs(content=list(parts.logprobs)) if parts.logprobs else None
            choices.append(
                ChatChoice(
                    index=index,
                    message=message,
                    finish_reason=parts.finish_reason,
                    logprobs=logprobs,
                )
            )
        return ChatCompletion(choices=choices, **self._shared_fields())


# --- text completions -----------------------------------------------------------------------------


@dataclass
class _CompletionChoiceParts:
    text: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    tokens: list[str] = field(default_factory=list)
    token_logprobs: list[float | None] = field(default_factory=list)
    top_logprobs: list[dict[str, float] | None] = field(default_factory=list)
    text_offset: list[int] = field(default_factory=list)


class CompletionAccumulator(_AccumulatorBase["_CompletionChoiceParts"]):
    """Adds text-completion chunks up, logprobs included."""

    def add(self, chunk: CompletionChunk) -> str | None:
        self._take_shared_fields(chunk)
        new_text: str | None = None
        for choice in chunk.choices:
            parts = self._choices.setdefault(choice.index, _CompletionChoiceParts())
            if choice.text:
                parts.text.append(choice.text)
                self._pieces += 1
                if choice.index == 0:
                    new_text = choice.text
            if choice.finish_reason:
                parts.finish_reason = choice.finish_reason
            if choice.logprobs is not None:
                parts.tokens.extend(choice.logprobs.tokens)
                parts.token_logprobs.extend(choice.logprobs.token_logprobs)
                parts.top_logprobs.extend(choice.logprobs.top_logprobs or [])
                parts.text_offset.extend(choice.logprobs.text_offset)
        return new_text

    def result(self) -> Completion:
        choices = []
        for index in sorted(self._choices):
            parts = self._choices[index]
            logprobs = (
                CompletionLogprobs(
                    tokens=parts.tokens,
                    token_logprobs=parts.token_logprobs,
                    top_logprobs=parts.top_logprobs or None,
                    text_offset=parts.text_offset,
                )
                if parts.tokens
                else None
            )
            choices.append(
                CompletionChoice(
                    index=index,
                    text="".join(parts.text),
                    finish_reason=parts.finish_reason,
                    logprobs=logprobs,
                )
            )
        return Completion(choices=choices, **self._shared_fields())


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
    ) -> None:
        self._open_response = open_response
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
            yield from self._read_events(self._response)
        except XaiError as exc:
            self.error = exc
            raise
        finally:
            self._close_response()

    def _read_events(self, response: httpx.Response) -> Iterator[ChunkT]:
        try:
            for event in EventSource(response).iter_sse():
                if event.data == "[DONE]":
                    self.done = True
                    return
                if not event.data:
                    continue
                chunk = self._parse(event.event, event.data)
                text_before = self._accumulator.generated_pieces
                self._last_text = self._accumulator.add(chunk)
                if self._accumulator.generated_pieces != text_before:
                    now = self._clock()
                    if self._first_token_at is None:
                        self._first_token_at = now
                    self._last_token_at = now
                yield chunk
        except SSEError as exc:
            raise InvalidResponseError(
                f"The server did not answer with an event stream: {exc}"
            ) from exc
        except httpx.TimeoutException as exc:
            raise APITimeoutError("The server stopped sending in the middle of the reply.") from exc
        except httpx.TransportError as exc:
            raise APIConnectionError("The connection dropped in the middle of the reply.") from exc
        if self._accumulator.finished:
            self.done = True
            return
        raise APIConnectionError("The connection closed before the reply was complete.")

    def _parse(self, event_name: str, data: str) -> ChunkT:
        try:
            payload = json.loads(data)
        except ValueError as exc:
            raise InvalidResponseError(
                f"The server sent a malformed stream chunk: {data[:200]!r}"
            ) from exc
        if event_name == "error" or (isinstance(payload, dict) and "error" in payload):
            raise error_from_body(payload)
        try:
            return self._chunk_type.model_validate(payload)
        except ValidationError as exc:
            raise InvalidResponseError(
                f"The server sent a stream chunk of an unexpected shape: {data[:200]!r}"
            ) from exc


ChatStream = Stream[ChatCompletionChunk, ChatCompletion]
CompletionStream = Stream[CompletionChunk, Completion]
