"""Typed responses: one pydantic model per API object, tolerant of fields the server adds later.

Every model keeps unknown fields (``extra="allow"``), and every field a server may leave out is
optional, so a response from xAI, the local backend, llama.cpp, vLLM or Ollama parses alike.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Self

import numpy as np
from pydantic import (
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    model_validator,
)

from xai_core._base import XaiModel
from xai_core._compat import completion_logprobs_from_chat, merged_reasoning
from xai_core._errors import InvalidResponseError

__all__ = [
    "ChatChoice",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatDelta",
    "ChatLogprobs",
    "ChatMessage",
    "ChunkChoice",
    "Completion",
    "CompletionChoice",
    "CompletionChunk",
    "CompletionLogprobs",
    "CompletionTokensDetails",
    "EmbeddingData",
    "EmbeddingResponse",
    "Generation",
    "PromptTokensDetails",
    "TokenLogprob",
    "ToolCall",
    "ToolCallFunction",
    "TopLogprob",
    "Usage",
]


# --- usage ----------------------------------------------------------------------------------------


class PromptTokensDetails(XaiModel):
    text_tokens: int | None = None
    audio_tokens: int | None = None
    image_tokens: int | None = None
    cached_tokens: int | None = None


class CompletionTokensDetails(XaiModel):
    reasoning_tokens: int | None = None
    audio_tokens: int | None = None
    accepted_prediction_tokens: int | None = None
    rejected_prediction_tokens: int | None = None


class Usage(XaiModel):
    """Token usage. xAI leaves reasoning tokens out of ``completion_tokens``; OpenAI-style servers
    count them in. :attr:`output_tokens` counts them once either way."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    prompt_tokens_details: PromptTokensDetails | None = None
    completion_tokens_details: CompletionTokensDetails | None = None
    num_sources_used: int | None = None
    cost_in_usd_ticks: int | None = None
    #: Server-side tool calls (web search, X search, code execution, ...) this request made.
    num_server_side_tools_used: int | None = None
    #: Those calls by kind: ``{"web_search_calls": 2, ...}`` (billed per call, see pricing).
    server_side_tool_usage_details: dict[str, int] | None = None

    @property
    def cached_tokens(self) -> int:
        details = self.prompt_tokens_details
        return (details.cached_tokens or 0) if details else 0

    @property
    def reasoning_tokens(self) -> int:
        details = self.completion_tokens_details
        return (details.reasoning_tokens or 0) if details else 0

    @property
    def reasoning_in_completion(self) -> bool:
        """True when the server counted reasoning inside ``completion_tokens`` (OpenAI style).

        Told apart by ``total_tokens``: xAI's total adds reasoning on top of prompt + completion.
        """
        return (
            self.reasoning_tokens > 0
            and self.total_tokens == self.prompt_tokens + self.completion_tokens
        )

    @property
    def output_tokens(self) -> int:
        """Every generated token, reasoning included, counted once: what output is billed on."""
        if self.reasoning_in_completion:
            return self.completion_tokens
        return self.completion_tokens + self.reasoning_tokens

    @property
    def answer_tokens(self) -> int:
        """Generated tokens of the visible answer, reasoning excluded."""
        return self.output_tokens - self.reasoning_tokens


# --- chat completions -----------------------------------------------------------------------------


class ToolCallFunction(XaiModel):
    name: str | None = None
    arguments: str | None = None


class ToolCall(XaiModel):
    """A tool call, whole (xAI) or a fragment of one (llama.cpp, vLLM stream the arguments)."""

    index: int | None = None
    id: str | None = None
    type: str | None = None
    function: ToolCallFunction = Field(default_factory=ToolCallFunction)


class TopLogprob(XaiModel):
    token: str
    logprob: float
    bytes: list[int] | None = None


class TokenLogprob(TopLogprob):
    top_logprobs: list[TopLogprob] = Field(default_factory=list)


class ChatLogprobs(XaiModel):
    content: list[TokenLogprob] | None = None


class ChatMessage(XaiModel):
    """Assistant message; ``reasoning_content`` is also read from ``reasoning`` (vLLM, Ollama),
    once when a server sends both (see :func:`xai_core._compat.merged_reasoning`)."""

    role: str = "assistant"
    content: str | None = None
    reasoning_content: str | None = None
    tool_calls: list[ToolCall] | None = None
    refusal: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_reasoning_field(cls, data: Any) -> Any:
        return merged_reasoning(data)


class ChatDelta(ChatMessage):
    """The change a stream chunk brings to one choice's message."""

    role: str | None = None  # type: ignore[assignment]


class Generation(XaiModel):
    """What every generation response and chunk carries besides its choices.

    ``model`` is the name the server resolved the request to (``grok-4-fast`` may answer as
    ``grok-4-fast-reasoning``).
    """

    id: str = ""
    created: int | None = None
    model: str = ""
    usage: Usage | None = None
    system_fingerprint: str | None = None


class ChatChoice(XaiModel):
    index: int = 0
    message: ChatMessage = Field(default_factory=ChatMessage)
    finish_reason: str | None = None
    logprobs: ChatLogprobs | None = None


class ChatCompletion(Generation):
    """``POST /v1/chat/completions``."""

    object: str = "chat.completion"
    choices: list[ChatChoice] = Field(default_factory=list)

    @property
    def content(self) -> str:
        """The first choice's text ("" when there is none)."""
        return (self.choices[0].message.content or "") if self.choices else ""


class ChunkChoice(XaiModel):
    index: int = 0
    delta: ChatDelta = Field(default_factory=ChatDelta)
    finish_reason: str | None = None
    logprobs: ChatLogprobs | None = None


class ChatCompletionChunk(Generation):
    """A streamed chunk; the last one before ``[DONE]`` may have no choices and carry ``usage``."""

    object: str = "chat.completion.chunk"
    choices: list[ChunkChoice] = Field(default_factory=list)


# --- text completions -----------------------------------------------------------------------------


class CompletionLogprobs(XaiModel):
    """Logprobs in the completions format: parallel lists, one entry per token.

    The chat format some servers answer completions with (llama.cpp: ``content`` entries) is
    read into these lists; its ``text_offset`` then counts from the start of the generated text,
    and :attr:`offsets_from_text_start` says so.
    """

    tokens: list[str] = Field(default_factory=list)
    token_logprobs: list[float | None] = Field(default_factory=list)
    top_logprobs: list[dict[str, float] | None] | None = None
    text_offset: list[int] = Field(default_factory=list)
    _from_chat_format: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _read_chat_format(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        converted = completion_logprobs_from_chat(data)
        if converted is None:
            return handler(data)
        logprobs = handler(converted)
        logprobs._from_chat_format = True
        return logprobs

    @property
    def offsets_from_text_start(self) -> bool:
        """True when ``text_offset`` counts from the start of this generated text rather than
        from the prompt's (the logprobs came in the chat format, which has no offsets)."""
        return self._from_chat_format


class CompletionChoice(XaiModel):
    index: int = 0
    text: str = ""
    finish_reason: str | None = None
    logprobs: CompletionLogprobs | None = None


class Completion(Generation):
    """``POST /v1/completions`` (legacy; not supported by xAI's reasoning models)."""

    object: str = "text_completion"
    choices: list[CompletionChoice] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """The first choice's text ("" when there is none)."""
        return self.choices[0].text if self.choices else ""


class CompletionChunk(Completion):
    """One streamed text-completion chunk (same shape as a completion, partial text)."""


# --- embeddings -----------------------------------------------------------------------------------


class EmbeddingData(XaiModel):
    index: int = 0
    embedding: list[float] | str
    object: str = "embedding"

    def vector(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        """The embedding as float32; a base64 string is decoded as little-endian float32."""
        if isinstance(self.embedding, str):
            try:
                raw = base64.b64decode(self.embedding)
                return np.frombuffer(raw, dtype="<f4").astype(np.float32)
            except (binascii.Error, ValueError):
                raise InvalidResponseError(
                    f"Embedding {self.index} is not base64 of float32 values."
                ) from None
        return np.asarray(self.embedding, dtype=np.float32)


class EmbeddingResponse(XaiModel):
    """``POST /v1/embeddings``."""

    object: str = "list"
    model: str = ""
    data: list[EmbeddingData] = Field(default_factory=list)
    usage: Usage | None = None

    def vectors(self) -> np.ndarray[Any, np.dtype[np.float32]]:
        """All embeddings as an ``(n, dims)`` float32 array, in input order."""
        ordered = sorted(self.data, key=lambda item: item.index)
        if not ordered:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = [item.vector() for item in ordered]
        if len({len(vector) for vector in vectors}) > 1:
            raise InvalidResponseError("The server's embeddings do not all have the same length.")
        return np.stack(vectors)
