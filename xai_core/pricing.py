"""Prices and cost, in one place.

xAI returns token prices as integers in USD cents per 100 million tokens. One cent per 100M tokens
is 1e-10 USD per token, which is exactly one ``cost_in_usd_ticks`` tick (1 tick = 1e-10 USD). So a
price integer *is* a cost in ticks per token, and every cost here is computed in exact integer
ticks before it is turned into dollars.

A model may have a long-context tier: from ``long_context_threshold`` prompt tokens on, the whole
request is billed at its ``*_long_context`` prices (:meth:`ModelPrices.for_prompt`). Server-side
tools (web search, X search, code execution, ...) add a fee per call (:data:`TOOL_FEE_TICKS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xai_core._types import Usage

__all__ = [
    "PRICE_UNITS_PER_USD_PER_MILLION",
    "TICKS_PER_USD",
    "TOOL_FEE_TICKS",
    "CostBreakdown",
    "ModelPrices",
    "cost_breakdown",
    "cost_in_ticks",
    "cost_in_usd",
    "ticks_to_usd",
    "tool_fees_in_ticks",
    "usd_per_million",
]

#: A price integer divided by this is USD per 1M tokens (20000 -> $2.00 per 1M).
PRICE_UNITS_PER_USD_PER_MILLION = 10_000
#: ``cost_in_usd_ticks`` per US dollar.
TICKS_PER_USD = 10_000_000_000

#: The fee per server-side tool call, in ticks, by ``server_side_tool_usage_details`` key
#: (docs.x.ai pricing: web search, X search and code execution $5 per 1,000 calls, collections
#: search $2.50, file attachments $10). Counters without a published rate (``x_posts_fetched``,
#: ``mcp_calls``, ...) add nothing.
TOOL_FEE_TICKS: dict[str, int] = {
    "web_search_calls": 50_000_000,
    "x_search_calls": 50_000_000,
    "code_interpreter_calls": 50_000_000,
    "file_search_calls": 25_000_000,
    "document_search_calls": 100_000_000,
}


def usd_per_million(price: int | None) -> float | None:
    """Convert an API price integer (cents per 100M tokens) to USD per 1M tokens."""
    if price is None:
        return None
    return price / PRICE_UNITS_PER_USD_PER_MILLION


def ticks_to_usd(ticks: int | None) -> float | None:
    """Convert ``cost_in_usd_ticks`` to US dollars."""
    if ticks is None:
        return None
    return ticks / TICKS_PER_USD


def _scaled(price: int | None, long: int | None, standard: int | None) -> int | None:
    """``price`` scaled as ``standard`` is to ``long`` (``None`` when there is no such step)."""
    if price is None or long is None or not standard:
        return None
    return price * long // standard


@dataclass(frozen=True)
class ModelPrices:
    """A model's prices as the API's raw integers (ticks per token); ``None`` when not listed.

    The long-context tier: from ``long_context_threshold`` prompt tokens on, the ``*_long_context``
    prices apply to the whole request; a long price left ``None`` (or 0, as
    ``/v1/language-models`` says "no tier") falls back to the standard one.
    """

    input: int | None = None
    cached_input: int | None = None
    output: int | None = None
    image_input: int | None = None
    input_long_context: int | None = None
    cached_input_long_context: int | None = None
    output_long_context: int | None = None
    #: Prompt tokens at or above which the long-context prices apply.
    long_context_threshold: int | None = None

    @property
    def known(self) -> bool:
        """True when input and output prices are both known, so a cost can be computed."""
        return self.input is not None and self.output is not None

    @property
    def has_long_context(self) -> bool:
        """True when a threshold and at least one non-zero long-context price are known."""
        longs = (self.input_long_context, self.cached_input_long_context, self.output_long_context)
        return self.long_context_threshold is not None and any(longs)

    def is_long(self, prompt_tokens: int) -> bool:
        """True when a prompt of ``prompt_tokens`` is billed at the long-context prices."""
        threshold = self.long_context_threshold
        return self.has_long_context and threshold is not None and prompt_tokens >= threshold

    def for_prompt(self, prompt_tokens: int) -> ModelPrices:
        """The prices a request of ``prompt_tokens`` is billed at: at or above the threshold the
        long-context ones (each 0/None one: the standard price) as plain prices without a tier,
        else these, as they are."""
        if not self.is_long(prompt_tokens):
            return self
        return ModelPrices(
            input=self.input_long_context or self.input,
            cached_input=self.cached_input_long_context or self.cached_input,
            output=self.output_long_context or self.output,
            image_input=self.image_input,
        )

    def with_tier_of(self, known: ModelPrices) -> ModelPrices:
        """These prices with ``known``'s long-context tier when they have none: its threshold,
        and each long price scaled to these standard prices (x2 stays x2 after a re-pricing)."""
        if self.has_long_context or not known.has_long_context:
            return self
        cached_standard = known.cached_input if known.cached_input is not None else known.input
        return replace(
            self,
            input_long_context=_scaled(self.input, known.input_long_context, known.input),
            cached_input_long_context=_scaled(
                self.cached_input, known.cached_input_long_context, cached_standard
            ),
            output_long_context=_scaled(self.output, known.output_long_context, known.output),
            long_context_threshold=known.long_context_threshold,
        )


def tool_fees_in_ticks(details: Mapping[str, int] | None) -> int:
    """The server-side tool fees of a request, from ``server_side_tool_usage_details``."""
    if not details:
        return 0
    return sum(
        TOOL_FEE_TICKS.get(name, 0) * max(int(count or 0), 0) for name, count in details.items()
    )


@dataclass(frozen=True)
class CostBreakdown:
    """A request's cost in ticks: tokens and tool fees; ``billed`` when ``total_ticks`` is the
    server's own ``cost_in_usd_ticks`` (then the token part is the rest after the tool fees)."""

    total_ticks: int
    token_ticks: int
    tool_ticks: int
    billed: bool

    @property
    def total_usd(self) -> float:
        """The total in US dollars."""
        return self.total_ticks / TICKS_PER_USD


def _token_ticks(usage: Usage, prices: ModelPrices) -> int | None:
    """Token cost of ``usage`` at the tier its prompt falls in; ``None`` without prices."""
    tier = prices.for_prompt(usage.prompt_tokens)
    if tier.input is None or tier.output is None:
        return None
    cached = usage.cached_tokens
    cached_price = tier.cached_input if tier.cached_input is not None else tier.input
    uncached = max(usage.prompt_tokens - cached, 0)
    return uncached * tier.input + cached * cached_price + usage.output_tokens * tier.output


def cost_breakdown(usage: Usage, prices: ModelPrices | None = None) -> CostBreakdown | None:
    """The cost of ``usage`` split into tokens and tool fees: the server's ticks when present
    (``billed``), else the formula from ``prices`` (long-context tier and tool fees included).
    ``None`` when neither ticks nor prices are known."""
    fees = tool_fees_in_ticks(usage.server_side_tool_usage_details)
    ticks = usage.cost_in_usd_ticks
    if ticks is not None:
        tool = min(fees, ticks)
        return CostBreakdown(ticks, ticks - tool, tool, billed=True)
    tokens = None if prices is None else _token_ticks(usage, prices)
    if tokens is None:
        return None
    return CostBreakdown(tokens + fees, tokens, fees, billed=False)


def cost_in_ticks(usage: Usage, prices: ModelPrices | None = None) -> int | None:
    """The cost of ``usage`` in ticks: the server's own figure when present, else from ``prices``.

    Formula (it reproduces xAI's recorded ``cost_in_usd_ticks`` exactly):
    ``(prompt - cached) x input + cached x cached_input + output_tokens x output + tool fees``,
    at the long-context prices when the prompt reaches the tier's threshold, where
    ``output_tokens`` counts reasoning once whichever convention the server follows.
    Returns ``None`` when neither ticks nor prices are known.
    """
    breakdown = cost_breakdown(usage, prices)
    return None if breakdown is None else breakdown.total_ticks


def cost_in_usd(usage: Usage, prices: ModelPrices | None = None) -> float | None:
    """The cost of ``usage`` in US dollars, or ``None`` when it cannot be known."""
    return ticks_to_usd(cost_in_ticks(usage, prices))
