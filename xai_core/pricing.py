"""Prices and cost, in one place.

xAI returns token prices as integers in USD cents per 100 million tokens. One cent per 100M tokens
is 1e-10 USD per token, which is exactly one ``cost_in_usd_ticks`` tick (1 tick = 1e-10 USD). So a
price integer *is* a cost in ticks per token, and every cost here is computed in exact integer
ticks before it is turned into dollars.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xai_core._types import Usage

__all__ = [
    "PRICE_UNITS_PER_USD_PER_MILLION",
    "TICKS_PER_USD",
    "ModelPrices",
    "cost_in_ticks",
    "cost_in_usd",
    "ticks_to_usd",
    "usd_per_million",
]

#: A price integer divided by this is USD per 1M tokens (20000 -> $2.00 per 1M).
PRICE_UNITS_PER_USD_PER_MILLION = 10_000
#: ``cost_in_usd_ticks`` per US dollar.
TICKS_PER_USD = 10_000_000_000


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


@dataclass(frozen=True)
class ModelPrices:
    """A model's prices as the API's raw integers (ticks per token); ``None`` when not listed."""

    input: int | None = None
    cached_input: int | None = None
    output: int | None = None
    image_input: int | None = None

    @property
    def known(self) -> bool:
        """True when input and output prices are both known, so a cost can be computed."""
        return self.input is not None and self.output is not None


def cost_in_ticks(usage: Usage, prices: ModelPrices | None = None) -> int | None:
    """The cost of ``usage`` in ticks: the server's own figure when present, else from ``prices``.

    Formula (it reproduces xAI's recorded ``cost_in_usd_ticks`` exactly):
    ``(prompt - cached) x input + cached x cached_input + output_tokens x output``, where
    ``output_tokens`` counts reasoning once whichever convention the server follows.
    Returns ``None`` when neither ticks nor prices are known.
    """
    if usage.cost_in_usd_ticks is not None:
        return usage.cost_in_usd_ticks
    if prices is None or prices.input is None or prices.output is None:
        return None
    cached = usage.cached_tokens
    cached_price = prices.cached_input if prices.cached_input is not None else prices.input
    uncached = max(usage.prompt_tokens - cached, 0)
    return uncached * prices.input + cached * cached_price + usage.output_tokens * prices.output


def cost_in_usd(usage: Usage, prices: ModelPrices | None = None) -> float | None:
    """The cost of ``usage`` in US dollars, or ``None`` when it cannot be known."""
    return ticks_to_usd(cost_in_ticks(usage, prices))
