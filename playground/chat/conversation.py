"""A chat conversation as the page keeps it, and the messages it sends (pure, no Streamlit)."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from xai_core import (
    MAX_RETRY_AFTER_S,
    ChatCompletionChunk,
    ChatStream,
    ModelPrices,
    RateLimitError,
    StreamStats,
    Usage,
    XaiError,
    cost_in_usd,
)

__all__ = [
    "RedrawClock",
    "ReplyStats",
    "SessionLedger",
    "Turn",
    "apply_chunk",
    "context_fill",
    "finish_turn",
    "image_data_url",
    "plain_error",
    "to_messages",
]


@dataclass
class ReplyStats:
    """What is shown under a reply."""

    model: str = ""
    usage: Usage | None = None
    cost_usd: float | None = None
    time_to_first_token_s: float | None = None
    tokens_per_second: float | None = None
    finish_reason: str | None = None

    @classmethod
    def from_stream(
        cls,
        model: str,
        usage: Usage | None,
        stats: StreamStats,
        finish_reason: str | None,
        prices: ModelPrices | None,
    ) -> ReplyStats:
        return cls(
            model=model,
            usage=usage,
            cost_usd=cost_in_usd(usage, prices) if usage is not None else None,
            time_to_first_token_s=stats.time_to_first_token_s,
            tokens_per_second=stats.tokens_per_second,
            finish_reason=finish_reason,
        )

    def line(self) -> str:
        """``grok-3-mini · 213 in (192 cached) · 2 out · 198 reasoning · $0.000308 · ...``"""
        parts = [self.model] if self.model else []
        usage = self.usage
        if usage is not None:
            cached = f" ({usage.cached_tokens} cached)" if usage.cached_tokens else ""
            parts.append(f"{usage.prompt_tokens} in{cached}")
            parts.append(f"{usage.answer_tokens} out")
            if usage.reasoning_tokens:
                parts.append(f"{usage.reasoning_tokens} reasoning")
        parts.append("cost unknown" if self.cost_usd is None else f"${self.cost_usd:.6f}")
        if self.time_to_first_token_s is not None:
            parts.append(f"first token {self.time_to_first_token_s:.2f} s")
        if self.tokens_per_second is not None:
            parts.append(f"{self.tokens_per_second:.0f} tok/s")
        if self.finish_reason:
            parts.append(f"finish: {self.finish_reason}")
        return " · ".join(parts)


@dataclass
class Turn:
    """One message of the conversation. An assistant turn may be partial (stopped or failed).

    ``alternatives`` holds every choice's text when ``n > 1`` was asked; ``content`` is the one
    the conversation continues with. ``images`` are URLs (``data:`` URLs for uploads) sent with a
    user message; ``tool_calls`` are an assistant's calls in the API's shape; a ``tool`` turn
    answers the call ``tool_call_id``.
    """

    role: str
    content: str
    reasoning: str = ""
    stats: ReplyStats | None = None
    stopped: bool = False
    error: str | None = None
    created: float = field(default_factory=time.time)
    alternatives: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    tool_call_id: str | None = None
    rejected_parameter: str | None = None  # named by the server's 400, offered to drop

    def to_message(self) -> dict[str, Any]:
        """This turn as an OpenAI-format message."""
        if self.role == "tool":
            return {
                "role": "tool",
                "tool_call_id": self.tool_call_id or "",
                "content": self.content,
            }
        if self.tool_calls:
            return {
                "role": self.role,
                "content": self.content or None,
                "tool_calls": self.tool_calls,
            }
        if self.images:
            parts: list[dict[str, Any]] = [{"type": "text", "text": self.content}]
            parts += [{"type": "image_url", "image_url": {"url": url}} for url in self.images]
            return {"role": self.role, "content": parts}
        return {"role": self.role, "content": self.content}


def plain_error(exc: XaiError) -> str:
    """What a page says about ``exc``: the server's words, and for a rate limit whether the
    client retried and how long the server asks to wait."""
    if not isinstance(exc, RateLimitError):
        return exc.message
    after = exc.retry_after
    if after is not None and after > MAX_RETRY_AFTER_S:
        return (
            f"Rate limited (HTTP 429): {exc.message} The server asks to wait {after:.0f} s "
            "before trying again."
        )
    wait = f" The server asks to wait {after:.0f} s." if after else ""
    return f"Rate limited (HTTP 429), retried and still refused: {exc.message}{wait}"


def to_messages(system_prompt: str, turns: Iterable[Turn]) -> list[dict[str, Any]]:
    """The request's messages: the system prompt (when set), then every turn with something to
    say (an assistant turn that failed before any text is left out)."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt.strip() else []
    messages += [
        turn.to_message()
        for turn in turns
        if turn.content or turn.tool_calls or turn.role in ("user", "tool")
    ]
    return messages


def image_data_url(data: bytes, mime_type: str) -> str:
    """An uploaded image as a ``data:`` URL, the way the API takes inline images."""
    return f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass
class SessionLedger:
    """Every reply of the session (regenerated and compared ones too): tokens and cost."""

    replies: int = 0
    prompt_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0  # replies whose cost is unknown

    def add(self, stats: ReplyStats) -> None:
        """Count one reply."""
        self.replies += 1
        if stats.usage is not None:
            self.prompt_tokens += stats.usage.prompt_tokens
            self.output_tokens += stats.usage.output_tokens
        if stats.cost_usd is None:
            self.unpriced += 1
        else:
            self.cost_usd += stats.cost_usd

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens

    def line(self) -> str:
        """``3 replies · 1,204 tokens (1,000 in, 204 out) · $0.000912 (1 reply of unknown cost)``"""
        unknown = f" ({self.unpriced} of unknown cost)" if self.unpriced else ""
        return (
            f"{self.replies} {'reply' if self.replies == 1 else 'replies'} · "
            f"{self.total_tokens:,} tokens ({self.prompt_tokens:,} in, {self.output_tokens:,} out)"
            f" · ${self.cost_usd:.6f}{unknown}"
        )


def context_fill(turns: Iterable[Turn], context_length: int | None) -> tuple[int, float] | None:
    """How full the model's context is after the last reply with usage: (tokens, fraction ≤ 1).

    ``None`` when the context window or any usage is unknown.
    """
    if not context_length:
        return None
    last = None
    for turn in turns:
        if turn.stats is not None and turn.stats.usage is not None:
            last = turn.stats.usage
    if last is None:
        return None
    used = last.prompt_tokens + last.answer_tokens
    return used, min(1.0, used / context_length)


class RedrawClock:
    """Says when a streaming view is due for a redraw: at most every ``interval_s``, so a long
    reply is redrawn in place a few times a second instead of on every delta (no flicker)."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self._last = -float("inf")

    def due(self) -> bool:
        now = time.monotonic()
        if now - self._last < self.interval_s:
            return False
        self._last = now
        return True


def apply_chunk(turn: Turn, chunk: ChatCompletionChunk) -> None:
    """Add a streamed chunk's text for choice 0 to ``turn`` (other choices arrive in the
    stream's result and become ``alternatives`` in :func:`finish_turn`)."""
    for choice in chunk.choices:
        if choice.index == 0:
            turn.reasoning += choice.delta.reasoning_content or ""
            turn.content += choice.delta.content or ""


def finish_turn(
    turn: Turn, stream: ChatStream, fallback_model: str, prices: ModelPrices | None
) -> None:
    """Fill ``turn`` from a closed stream: stopped flag, alternatives (n > 1), tool calls, stats."""
    result = stream.result
    turn.stopped = stream.stopped
    choices = sorted(result.choices, key=lambda c: c.index)
    if len(choices) > 1:
        turn.alternatives = [c.message.content or "" for c in choices]
    first = choices[0] if choices else None
    if first is not None:
        turn.content = first.message.content or turn.content
        turn.reasoning = first.message.reasoning_content or turn.reasoning
        turn.tool_calls = [
            {
                "id": call.id or f"call_{number}",
                "type": call.type or "function",
                "function": {
                    "name": call.function.name or "",
                    "arguments": call.function.arguments or "",
                },
            }
            for number, call in enumerate(first.message.tool_calls or [])
        ]
    turn.stats = ReplyStats.from_stream(
        result.model or fallback_model,
        result.usage,
        stream.stats,
        first.finish_reason if first is not None else None,
        prices,
    )
