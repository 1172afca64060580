"""What a page says about a reply: its stats line (tokens, cost from the model's prices, first
token, speed, finish reason) and its error in plain words (pure, no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

from xai_core import (
    MAX_RETRY_AFTER_S,
    ModelPrices,
    RateLimitError,
    StreamStats,
    Usage,
    XaiError,
    cost_in_usd,
)

__all__ = ["ReplyStats", "plain_error"]


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
        """Tokens and cost (from ``prices``) of ``usage``, and the stream's timings."""
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
    wait_note = f" The server asks to wait {after:.0f} s." if after else ""
    return f"Rate limited (HTTP 429), retried and still refused: {exc.message}{wait_note}"
