"""A chat conversation as the page keeps it, and the messages it sends (pure, no Streamlit)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from xai_core import ModelPrices, StreamStats, Usage, cost_in_usd

__all__ = ["ReplyStats", "Turn", "coalesce", "to_messages"]


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
    """One message of the conversation. An assistant turn may be partial (stopped or failed)."""

    role: str
    content: str
    reasoning: str = ""
    stats: ReplyStats | None = None
    stopped: bool = False
    error: str | None = None
    created: float = field(default_factory=time.time)

    def to_message(self) -> dict[str, Any]:
        return {"role": self.role, "content": self.content}


def to_messages(system_prompt: str, turns: Iterable[Turn]) -> list[dict[str, Any]]:
    """The request's messages: the system prompt (when set), then every turn with content."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt.strip() else []
    messages += [turn.to_message() for turn in turns if turn.content or turn.role == "user"]
    return messages


def coalesce(pieces: Iterable[str], interval_s: float = 0.05) -> Iterator[str]:
    """Join pieces arriving faster than ``interval_s`` so a long reply does not flicker.

    Nothing is lost: what is pending when the input ends is yielded last.
    """
    pending: list[str] = []
    last = time.monotonic()
    for piece in pieces:
        pending.append(piece)
        now = time.monotonic()
        if now - last >= interval_s:
            yield "".join(pending)
            pending.clear()
            last = now
    if pending:
        yield "".join(pending)
