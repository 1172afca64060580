"""How every page prints an amount of money and says where it comes from (pure, no Streamlit).

One place, so that a figure reads the same under a reply, in the session's ledger, under a sweep
cell, in the embeddings summary and in the cluster-naming estimate:

- :func:`usd` keeps enough significant digits to tell small costs apart (``$0.0000234``, never a
  rounded ``$0.000023`` or a misleading ``$0.000000``);
- :func:`cost_text` says whether a figure was billed by the server (``cost_in_usd_ticks``) or
  estimated from the model's prices, that a free model's reply is ``free``, that a request the
  server refused (a 4xx or a 429, answered before any work) is ``not billed``, and ``cost
  unknown`` only when nothing else can be said.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from xai_core import ModelPrices

__all__ = [
    "BILLED",
    "ESTIMATED",
    "FREE",
    "NOT_BILLED",
    "UNKNOWN",
    "CostTotal",
    "amount_text",
    "cost_text",
    "free_prices",
    "is_refusal",
    "usd",
]

BILLED = "billed"
ESTIMATED = "estimated"
FREE = "free"
NOT_BILLED = "not billed"
UNKNOWN = "cost unknown"
#: Significant digits below one dollar: $0.0133, $0.00154, $0.0000234.
SIGNIFICANT = 3


def usd(amount: float) -> str:
    """``amount`` US dollars: cents from one dollar up (``$1.23``, ``$1,204.50``), three
    significant digits below it (``$0.0133``, ``$0.0000234``), ``$0.00`` for nothing."""
    if amount < 0:
        return "-" + usd(-amount)
    if amount == 0 or not math.isfinite(amount):
        return "$0.00" if amount == 0 else f"${amount}"
    if amount >= 1:
        return f"${amount:,.2f}"
    decimals = SIGNIFICANT - 1 - math.floor(math.log10(amount))
    exact = Decimal(repr(amount))  # 0.6255 as written, not as the float 0.62549999...
    text = str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    if float(text) >= 1:  # 0.9996 rounds up to a dollar
        return f"${amount:,.2f}"
    return "$" + text.rstrip("0").rstrip(".")


def free_prices(prices: ModelPrices | None) -> bool:
    """True when ``prices`` are known and every token price is 0 (the local models)."""
    if prices is None or not prices.known:
        return False
    return not any((prices.input, prices.cached_input, prices.output, prices.image_input))


def is_refusal(status_code: int | None) -> bool:
    """True for an HTTP status the server answers before doing (or billing) any work: a 4xx,
    the rate limit's 429 included."""
    return status_code is not None and 400 <= status_code < 500


def amount_text(amount: float, *, billed: bool) -> str:
    """``$0.000308 billed`` (the server's own figure) or ``≈ $0.000308 estimated`` (from the
    model's prices)."""
    return f"{usd(amount)} {BILLED}" if billed else f"≈ {usd(amount)} {ESTIMATED}"


def cost_text(
    amount: float | None, *, billed: bool = False, free: bool = False, refused: bool = False
) -> str:
    """``$0.000308 billed`` (the server said), ``≈ $0.000308 estimated`` (from the prices),
    ``free`` (every price is 0), ``not billed`` (the server refused the request), else
    ``cost unknown``."""
    if refused:
        return NOT_BILLED
    if amount is None:
        return UNKNOWN
    if free and amount == 0:
        return FREE
    return amount_text(amount, billed=billed)


@dataclass
class CostTotal:
    """Costs added up, what the server billed apart from what is estimated from prices, with
    how many were free, refused (not billed) or of unknown cost."""

    billed_usd: float = 0.0
    estimated_usd: float = 0.0
    free: int = 0
    refused: int = 0
    unknown: int = 0

    def add(
        self,
        amount: float | None,
        *,
        billed: bool = False,
        free: bool = False,
        refused: bool = False,
    ) -> None:
        """Count one request's cost, as :func:`cost_text` would say it."""
        if refused:
            self.refused += 1
        elif amount is None:
            self.unknown += 1
        elif free and amount == 0:
            self.free += 1
        elif billed:
            self.billed_usd += amount
        else:
            self.estimated_usd += amount

    @property
    def usd(self) -> float:
        """Billed and estimated together."""
        return self.billed_usd + self.estimated_usd

    def text(self) -> str:
        """``$0.0012 billed + ≈ $0.0003 estimated (1 free; 1 refused, not billed; 2 of unknown
        cost)``; ``free`` when every request was free, ``not billed`` when every one was
        refused, ``cost unknown`` when no cost is known, ``$0.00`` before any."""
        parts = [amount_text(self.billed_usd, billed=True)] if self.billed_usd else []
        parts += [amount_text(self.estimated_usd, billed=False)] if self.estimated_usd else []
        if not parts:
            lone = [(self.free, FREE), (self.unknown, UNKNOWN), (self.refused, NOT_BILLED)]
            parts = [next((word for count, word in lone if count), usd(0))]
        notes = [f"{self.free} free"] if self.free and parts != [FREE] else []
        if self.refused:
            notes.append(
                f"{self.refused} refused" + ("" if parts == [NOT_BILLED] else ", not billed")
            )
        if self.unknown and parts != [UNKNOWN]:
            notes.append(f"{self.unknown} of unknown cost")
        return " + ".join(parts) + (f" ({'; '.join(notes)})" if notes else "")
