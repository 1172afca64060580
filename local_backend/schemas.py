"""Request bodies the local backend accepts, validated with the ranges xAI documents.

Unknown fields are kept and passed on: the server should not be stricter than xAI about fields it
does not use.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DEFAULT_MAX_TOKENS",
    "MAX_CHARS_PER_TOKEN",
    "MAX_CHOICES",
    "MAX_EMBEDDING_INPUTS",
    "MAX_TOKENIZE_CHARS",
    "ChatRequest",
    "CompletionRequest",
    "EmbeddingRequest",
    "ErrorBody",
    "TokenizeRequest",
]

#: xAI's cap on inputs per embeddings request.
MAX_EMBEDDING_INPUTS = 128
#: A small base model rambles to the end of its context when nothing bounds it; unless the client
#: sets ``max_tokens`` (or ``max_completion_tokens``), a reply stops after this many tokens.
DEFAULT_MAX_TOKENS = 512
#: Generations one request may ask for (prompts × n, and n alone): the local model runs on a
#: laptop's CPU.
MAX_CHOICES = 16
#: No real text packs more characters than this into one token: a prompt longer than the model's
#: context times this is refused before the model tokenizes it (a 2 MB paste answers at once).
MAX_CHARS_PER_TOKEN = 64
#: The longest text ``/v1/tokenize-text`` takes (a long conversation fits; a runaway paste not).
MAX_TOKENIZE_CHARS = 1_000_000


class ErrorBody(BaseModel):
    """Every error answer, in xAI's flat shape."""

    code: str = Field(description="The status in words, e.g. 'Some requested entity was not found'")
    error: str = Field(description="What is wrong, in plain words")


class _Sampling(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    n: int | None = Field(default=None, ge=1, le=8)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    seed: int | None = None
    stop: str | list[str] | None = None
    logit_bias: dict[str, float] | None = None
    response_format: dict[str, Any] | None = None
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    user: str | None = None

    def reply_limit(self) -> int | None:
        """The reply length the client asked for (``max_completion_tokens`` wins), if any."""
        return self.max_completion_tokens or self.max_tokens

    def body(self) -> dict[str, Any]:
        """The request as a dict of what the client set (for the engine), length bounded."""
        body = self.model_dump(exclude_none=True)
        if "max_tokens" not in body and "max_completion_tokens" not in body:
            body["max_tokens"] = DEFAULT_MAX_TOKENS
        return body


class ChatMessageIn(BaseModel):
    """One message of a chat request: a role, and text or a list of content parts."""

    model_config = ConfigDict(extra="allow")

    role: str = Field(min_length=1)
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(_Sampling):
    messages: list[ChatMessageIn] = Field(min_length=1)
    logprobs: bool | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=8)
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    reasoning_effort: Literal["low", "medium", "high"] | None = None

    def prompt_chars(self) -> int:
        """How much text the messages hold (their JSON size: an upper bound, cheap to get)."""
        return len(json.dumps([m.model_dump() for m in self.messages], ensure_ascii=False))


class CompletionRequest(_Sampling):
    prompt: str | list[str]
    suffix: str | None = None
    echo: bool | None = None
    logprobs: int | None = Field(default=None, ge=0, le=5)
    best_of: int | None = Field(default=None, ge=1, le=8)

    def prompt_chars(self) -> int:
        """Characters of the longest prompt."""
        prompts = [self.prompt] if isinstance(self.prompt, str) else self.prompt
        return max((len(prompt) for prompt in prompts), default=0) + len(self.suffix or "")


class EmbeddingRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1)
    input: str | list[str] = Field(min_length=1)
    dimensions: int | None = Field(default=None, ge=1)
    encoding_format: Literal["float", "base64"] = "float"
    user: str | None = None

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


class TokenizeRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1)
    text: str
    user: str | None = None
