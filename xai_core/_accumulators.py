"""Accumulators: they add a stream's chunks up into the non-streaming response type.

Tool calls may arrive whole (xAI) or in fragments (llama.cpp, vLLM); ``n`` choices, logprobs and
the final usage chunk are kept per choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

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

__all__ = ["Accumulator", "ChatAccumulator", "CompletionAccumulator"]

ChunkT_contra = TypeVar("ChunkT_contra", bound=BaseModel, contravariant=True)
ResultT_co = TypeVar("ResultT_co", bound=BaseModel, covariant=True)


class _ChoiceParts(Protocol):
    finish_reason: str | None


PartsT = TypeVar("PartsT", bound=_ChoiceParts)


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
        name = call.function.name or ""
        if name != existing.name:  # a fragment of the name, not the whole name said again
            existing.name += name
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
    token_chars: int = 0  # characters in ``tokens`` so far
    offsets_from_text_start: bool = False


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
                self._add_logprobs(parts, choice.logprobs)
        return new_text

    @staticmethod
    def _add_logprobs(parts: _CompletionChoiceParts, logprobs: CompletionLogprobs) -> None:
        """Append one chunk's logprobs; offsets counted from that chunk's own text (logprobs
        read from the chat format) are shifted past the tokens before it."""
        shift = parts.token_chars if logprobs.offsets_from_text_start else 0
        parts.tokens.extend(logprobs.tokens)
        parts.token_logprobs.extend(logprobs.token_logprobs)
        parts.top_logprobs.extend(logprobs.top_logprobs or [])
        parts.text_offset.extend(offset + shift for offset in logprobs.text_offset)
        parts.token_chars += sum(len(token) for token in logprobs.tokens)
        parts.offsets_from_text_start |= logprobs.offsets_from_text_start

    def result(self) -> Completion:
        choices = []
        for index in sorted(self._choices):
            parts = self._choices[index]
            logprobs = None
            if parts.tokens:
                logprobs = CompletionLogprobs(
                    tokens=parts.tokens,
                    token_logprobs=parts.token_logprobs,
                    top_logprobs=parts.top_logprobs or None,
                    text_offset=parts.text_offset,
                )
                logprobs._from_chat_format = parts.offsets_from_text_start
            choices.append(
                CompletionChoice(
                    index=index,
                    text="".join(parts.text),
                    finish_reason=parts.finish_reason,
                    logprobs=logprobs,
                )
            )
        return Completion(choices=choices, **self._shared_fields())
