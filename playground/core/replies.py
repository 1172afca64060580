"""What a page says about a reply: its stats line (tokens, cost: the server's ticks, else from the
model's prices with their long-context tier and the server-side tool fees, with the tool fees
apart; first token, speed, finish reason) and its error in plain words (pure, no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xai_core import (
    MAX_RETRY_AFTER_S,
    ModelPrices,
    RateLimitError,
    StreamStats,
    Usage,
    XaiError,
    cost_breakdown,
)
from xai_core.pricing import TICKS_PER_USD

__all__ = ["ReplyStats", "checked", "plain_error", "stats_body", "stats_from_body"]

_STAT_NUMBERS = ("cost_usd", "time_to_first_token_s", "tokens_per_second", "tool_cost_usd")


@dataclass
class ReplyStats:
    """What is shown under a reply."""

    model: str = ""
    usage: Usage | None = None
    cost_usd: float | None = None
    time_to_first_token_s: float | None = None
    tokens_per_second: float | None = None
    finish_reason: str | None = None
    #: The server-side tool fees inside ``cost_usd`` (``None`` when there are none).
    tool_cost_usd: float | None = None

    @classmethod
    def from_stream(
        cls,
        model: str,
        usage: Usage | None,
        stats: StreamStats,
        finish_reason: str | None,
        prices: ModelPrices | None,
    ) -> ReplyStats:
        """Tokens and cost of ``usage`` (its ticks, else from ``prices``: long-context tier and
        tool fees included, see :func:`xai_core.cost_breakdown`), and the stream's timings."""
        cost = cost_breakdown(usage, prices) if usage is not None else None
        return cls(
            model=model,
            usage=usage,
            cost_usd=None if cost is None else cost.total_usd,
            time_to_first_token_s=stats.time_to_first_token_s,
            tokens_per_second=stats.tokens_per_second,
            finish_reason=finish_reason,
            tool_cost_usd=cost.tool_ticks / TICKS_PER_USD if cost and cost.tool_ticks else None,
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
        if self.tool_cost_usd:
            parts[-1] += f" (tool fees ${self.tool_cost_usd:.6f})"
        if self.time_to_first_token_s is not None:
            parts.append(f"first token {self.time_to_first_token_s:.2f} s")
        if self.tokens_per_second is not None:
            parts.append(f"{self.tokens_per_second:.0f} tok/s")
        if self.finish_reason:
            parts.append(f"finish: {self.finish_reason}")
        return " · ".join(parts)


def stats_body(stats: ReplyStats) -> dict[str, Any]:
    """The stats as a JSON document (usage as the server sent it), for the workspace store."""
    return {
        "model": stats.model,
        "usage": None if stats.usage is None else stats.usage.model_dump(mode="json"),
        "cost_usd": stats.cost_usd,
        "time_to_first_token_s": stats.time_to_first_token_s,
        "tokens_per_second": stats.tokens_per_second,
        "finish_reason": stats.finish_reason,
        "tool_cost_usd": stats.tool_cost_usd,
    }


def checked(value: Any, kinds: type | tuple[type, ...], where: str) -> Any:
    """``value`` when it is one of ``kinds`` (a boolean is not a number here), else ValueError
    naming ``where``."""
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
        raise ValueError(f"{where} has the wrong type ({type(value).__name__})")
    return value


def stats_from_body(data: Any, where: str) -> ReplyStats | None:
    """Read what :func:`stats_body` made (None stays None); ``ValueError`` names ``where``."""
    if data is None:
        return None
    data = checked(data, dict, where)
    numbers: dict[str, float | None] = {}
    for name in _STAT_NUMBERS:
        value = data.get(name)
        numbers[name] = None if value is None else float(checked(value, (int, float), where))
    usage = data.get("usage")
    finish = data.get("finish_reason")
    model = data.get("model")
    return ReplyStats(
        model="" if model is None else str(checked(model, str, where)),
        usage=None if usage is None else Usage.model_validate(checked(usage, dict, where)),
        finish_reason=None if finish is None else str(checked(finish, str, where)),
        **numbers,
    )


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
