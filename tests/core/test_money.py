"""One way to print money: significant digits, billed or estimated, free, not billed."""

from __future__ import annotations

import pytest

from playground.core.money import CostTotal, cost_text, free_prices, is_refusal, usd
from xai_core import ModelPrices


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0.0000234, "$0.0000234"),  # was $0.000023
        (0.0031, "$0.0031"),
        (0.000042, "$0.000042"),
        (0.0003, "$0.0003"),
        (0.0133, "$0.0133"),
        (0.15432, "$0.154"),
        (0.99996, "$1.00"),
        (1.254, "$1.25"),
        (1204.5, "$1,204.50"),
        (0, "$0.00"),
        (-0.0012, "-$0.0012"),
    ],
)
def test_usd_keeps_three_significant_digits_below_a_dollar(amount: float, shown: str) -> None:
    assert usd(amount) == shown


def test_cost_text_says_where_a_figure_comes_from() -> None:
    assert cost_text(0.000308, billed=True) == "$0.000308 billed"
    assert cost_text(0.000308) == "≈ $0.000308 estimated"
    assert cost_text(0.0, free=True) == "free"
    assert cost_text(0.0, free=True, billed=True) == "free"  # a free model billed 0
    assert cost_text(0.0, billed=True) == "$0.00 billed"
    assert cost_text(None, refused=True) == "not billed"
    assert cost_text(None) == "cost unknown"


@pytest.mark.parametrize(
    ("status", "refused"), [(400, True), (429, True), (404, True), (500, False), (None, False)]
)
def test_a_4xx_or_429_is_a_refusal(status: int | None, refused: bool) -> None:
    assert is_refusal(status) is refused


def test_free_prices_are_known_and_all_zero() -> None:
    assert free_prices(ModelPrices(input=0, output=0, cached_input=0))
    assert not free_prices(ModelPrices(input=0, output=1))
    assert not free_prices(ModelPrices())  # not listed: unknown, not free
    assert not free_prices(None)


def test_a_total_keeps_billed_and_estimated_apart() -> None:
    total = CostTotal()
    total.add(0.0012, billed=True)
    total.add(0.0003)
    total.add(0.0, free=True)
    total.add(None, refused=True)
    total.add(None)
    assert total.usd == pytest.approx(0.0015)
    assert total.text() == (
        "$0.0012 billed + ≈ $0.0003 estimated (1 free; 1 refused, not billed; 1 of unknown cost)"
    )


Cost = dict[str, float | bool | None]
FREE_REPLY: Cost = {"amount": 0.0, "free": True}
REFUSED: Cost = {"refused": True}
UNKNOWN: Cost = {"amount": None}


def _total(*costs: Cost) -> str:
    total = CostTotal()
    for cost in costs:
        amount = cost.get("amount")
        total.add(
            None if amount is None else float(amount),
            free=bool(cost.get("free")),
            refused=bool(cost.get("refused")),
        )
    return total.text()


def test_a_total_says_free_not_billed_or_unknown_when_nothing_was_paid() -> None:
    assert _total() == "$0.00"
    assert _total(FREE_REPLY, FREE_REPLY) == "free"
    assert _total(REFUSED, REFUSED) == "not billed (2 refused)"
    assert _total(FREE_REPLY, REFUSED) == "free (1 refused, not billed)"
    assert _total(UNKNOWN) == "cost unknown"
    assert _total(UNKNOWN, REFUSED) == "cost unknown (1 refused, not billed)"
