"""What a page says about a reply: its stats line (tokens, cost from the model's prices split into
tokens and server-side tool fees, first token, speed, finish reason) and its error in plain words
(pure, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from playground.core.money import amount_text, cost_text, free_prices, usd
from xai_core import (
    MAX_RETRY_AFTER_S,
    ModelPrices,
    RateLimitError,
    StreamStats,
    Usage,
    XaiError,
    cost_breakdown,
    tool_fees_in_ticks,
)
from xai_core.pricing import TICKS_PER_USD

__all__ = [
    "TOOL_NAMES",
    "ReplyStats",
    "checked",
    "cost_split_text",
    "plain_error",
    "stats_body",
    "stats_from_body",
    "tool_counts_text",
]

#: ``server_side_tool_usage_details`` key -> (one, several) as people say it.
TOOL_NAMES: dict[str, tuple[str, str]] = {
    "web_search_calls": ("web search", "web searches"),
    "x_search_calls": ("X search", "X searches"),
    "code_interpreter_calls": ("code run", "code runs"),
    "file_search_calls": ("file search", "file searches"),
    "document_search_calls": ("document search", "document searches"),
    "mcp_calls": ("MCP call", "MCP calls"),
    "image_generation_calls": ("image generation", "image generations"),
    "x_posts_fetched": ("X post fetched", "X posts fetched"),
    "x_users_fetched": ("X user fetched", "X users fetched"),
}


def tool_counts_text(counts: Mapping[str, int]) -> str:
    """``2 web searches, 1 X search`` (the counts that are not zero, in the table's order)."""
    order = list(TOOL_NAMES)
    parts = []
    for key in sorted(counts, key=lambda k: order.index(k) if k in order else len(order)):
        number = counts[key]
        if number:
            one, several = TOOL_NAMES.get(key, (key.replace("_", " "),) * 2)
            parts.append(f"{number} {one if number == 1 else several}")
    return ", ".join(parts)


def _usd(ticks: int) -> str:
    return usd(ticks / TICKS_PER_USD)


def cost_split_text(
    total_ticks: int, tool_ticks: int, *, billed: bool, counts: Mapping[str, int]
) -> str:
    """``$0.0133 billed: $0.0033 tokens + $0.0100 tools (2 web searches)``; ``≈ … estimated``
    when the server did not say what it billed; without tool fees just the total."""
    total = amount_text(total_ticks / TICKS_PER_USD, billed=billed)
    if not tool_ticks:
        return total
    what = tool_counts_text(counts)
    return f"{total}: {_usd(total_ticks - tool_ticks)} tokens + {_usd(tool_ticks)} tools" + (
        f" ({what})" if what else ""
    )


_STAT_NUMBERS = ("cost_usd", "time_to_first_token_s", "tokens_per_second")
_STAT_FLAGS = ("free", "refused")


@dataclass
class ReplyStats:
    """What is shown under a reply."""

    model: str = ""
    usage: Usage | None = None
    cost_usd: float | None = None
    time_to_first_token_s: float | None = None
    tokens_per_second: float | None = None
    finish_reason: str | None = None
    #: The model's prices are all 0 (a local model): its replies are free.
    free: bool = False
    #: The server refused the request (a 4xx or 429) before doing any work: not billed.
    refused: bool = False

    @classmethod
    def from_stream(
        cls,
        model: str,
        usage: Usage | None,
        stats: StreamStats,
        finish_reason: str | None,
        prices: ModelPrices | None,
        *,
        refused: bool = False,
    ) -> ReplyStats:
        """Tokens and cost of ``usage`` (its ticks, else from ``prices``: long-context tier and
        tool fees included, see :func:`xai_core.cost_breakdown`), and the stream's timings;
        ``refused`` when the server said no before any usage (a 4xx or 429: not billed)."""
        cost = cost_breakdown(usage, prices) if usage is not None else None
        return cls(
            free=free_prices(prices),
            refused=refused and usage is None,
            model=model,
            usage=usage,
            cost_usd=None if cost is None else cost.total_usd,
            time_to_first_token_s=stats.time_to_first_token_s,
            tokens_per_second=stats.tokens_per_second,
            finish_reason=finish_reason,
        )

    def _tool_ticks(self) -> int:
        """The server-side tool fees inside ``cost_usd``, from the usage's tool counts (as
        :func:`xai_core.cost_breakdown` splits them); 0 when none ran or the cost is unknown."""
        if self.cost_usd is None or self.usage is None:
            return 0
        fees = tool_fees_in_ticks(self.usage.server_side_tool_usage_details)
        return min(fees, round(self.cost_usd * TICKS_PER_USD))

    @property
    def tool_cost_usd(self) -> float | None:
        """The server-side tool fees inside ``cost_usd`` (``None`` when there are none)."""
        ticks = self._tool_ticks()
        return ticks / TICKS_PER_USD if ticks else None

    @property
    def billed(self) -> bool:
        """True when the cost is the server's own figure (``cost_in_usd_ticks``), not an
        estimate from the model's prices."""
        return self.usage is not None and self.usage.cost_in_usd_ticks is not None

    def cost_text(self) -> str:
        """The cost, billed or estimated (split into tokens and tool fees when server-side
        tools ran), ``free``, ``not billed`` or ``cost unknown``."""
        tools, usage = self._tool_ticks(), self.usage
        if not tools or usage is None or self.cost_usd is None:
            return cost_text(
                self.cost_usd, billed=self.billed, free=self.free, refused=self.refused
            )
        total = round(self.cost_usd * TICKS_PER_USD)
        counts = usage.server_side_tool_usage_details or {}
        return cost_split_text(total, tools, billed=self.billed, counts=counts)

    def line(self) -> str:
        """``grok-3-mini · 213 in (192 cached) · 200 out (198 reasoning) · $0.000308 billed ·
        ...``: "out" counts every generated token, reasoning included, as the session's ledger
        and the bill do."""
        parts = [self.model] if self.model else []
        usage = self.usage
        if usage is not None:
            cached = f" ({usage.cached_tokens:,} cached)" if usage.cached_tokens else ""
            parts.append(f"{usage.prompt_tokens:,} in{cached}")
            reasoning = f" ({usage.reasoning_tokens:,} reasoning)" if usage.reasoning_tokens else ""
            parts.append(f"{usage.output_tokens:,} out{reasoning}")
        parts.append(self.cost_text())
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
        "free": stats.free,
        "refused": stats.refused,
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
    free, refused = (bool(checked(data.get(name, False), bool, where)) for name in _STAT_FLAGS)
    return ReplyStats(
        model="" if model is None else str(checked(model, str, where)),
        free=free,
        refused=refused,
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
