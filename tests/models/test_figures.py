"""Price and cost figures, asserted as data (fig.data / fig.layout)."""

from __future__ import annotations

import math

import pytest

from playground.core.catalog import ModelInfo
from playground.models.compute import UsageProfile, estimate_costs
from playground.models.figures import (
    COST_PERIODS,
    cost_bar_chart,
    cost_curve_chart,
    price_scatter,
    prompt_lengths,
)
from xai_core import ModelPrices

CHEAP = ModelInfo("cheap", prices=ModelPrices(3000, 750, 5000), context_length=131_072)
DEAR = ModelInfo(  # x2 from 200,000 prompt tokens
    "dear", prices=ModelPrices(20000, 5000, 60000, None, 40000, 10000, 120000, 200_000),
    context_length=500_000,
)  # fmt: skip
FREE = ModelInfo("free", prices=ModelPrices(0, 0, 0))
UNPRICED = ModelInfo("unpriced")


def test_price_scatter_has_log_axes_and_one_point_per_priced_model():
    figure = price_scatter([CHEAP, DEAR, FREE, UNPRICED], "prices")
    assert [t.name for t in figure.data] == ["cheap", "dear"]
    assert [(t.x, t.y) for t in figure.data] == [((0.3,), (0.5,)), ((2.0,), (6.0,))]
    assert [t.customdata for t in figure.data] == [(["cheap"],), (["dear"],)]
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    assert 0.5 in figure.layout.yaxis.tickvals and figure.layout.yaxis.tickprefix == "$"
    cheap_hover = figure.data[0].hovertext[0]
    assert "cached input $0.075" in cheap_hover and "context 131,072" in cheap_hover


def test_cost_bar_chart_plots_the_chosen_period():
    estimates = estimate_costs([DEAR, CHEAP], UsageProfile(1000, 0, 100, 10))
    for period, attribute in COST_PERIODS.items():
        (bar,) = cost_bar_chart(estimates, period).data
        assert list(bar.y) == ["cheap", "dear"]
        assert list(bar.x) == [getattr(e, attribute) for e in estimates]
    month = cost_bar_chart(estimates, "per month")
    assert month.data[0].x[0] == estimates[0].per_day_usd * 30
    assert month.layout.title.text == "Cost per month"


def test_cost_bar_chart_names_models_whose_context_is_too_small():
    estimates = estimate_costs([DEAR, CHEAP], UsageProfile(250_000, 0, 100, 1))
    (bar,) = cost_bar_chart(estimates, "per request").data
    assert list(bar.y) == ["dear", "cheap (prompt over its context)"]


def test_cost_curve_counts_the_tool_calls_of_the_profile():
    profile = UsageProfile(0, 0.0, 0, 1, searches=2)
    (line,) = cost_curve_chart([CHEAP], profile, [1000]).data
    assert list(line.y) == [pytest.approx((1000 * 3000 + 2 * 50_000_000) / 1e10)]


def test_prompt_lengths_are_evenly_spaced_up_to_the_maximum():
    assert prompt_lengths(1000, 4) == [250, 500, 750, 1000]
    assert prompt_lengths(0) == []


def test_cost_curve_stops_at_the_context_window_and_shows_the_step():
    profile = UsageProfile(0, 0.0, 0, 1)
    figure = cost_curve_chart([CHEAP, DEAR], profile, prompt_lengths(500_000, 10))
    cheap, dear = figure.data
    assert cheap.name == "cheap" and max(cheap.x) <= 131_072
    assert max(dear.x) == 500_000
    xs, ys = list(dear.x), list(dear.y)
    below, above = ys[xs.index(199_999)], ys[xs.index(200_000)]
    assert below == pytest.approx(199_999 * 20000 / 1e10)
    assert above == pytest.approx(200_000 * 40000 / 1e10)  # every token at x2 from the threshold


def test_cost_curve_skips_models_without_prices():
    figure = cost_curve_chart([UNPRICED], UsageProfile(0, 0, 0, 1), [1000, 2000])
    assert figure.data == ()


def test_cost_bar_chart_says_free_beside_an_empty_bar():
    estimates = estimate_costs([FREE, CHEAP], UsageProfile(1000, 0, 100, 10))
    (bar,) = cost_bar_chart(estimates, "per day").data
    assert list(bar.y) == ["free", "cheap"]
    assert bar.text[0] == "free" and bar.textposition[0] == "outside"
    assert bar.text[1].startswith("$")


def test_price_scatter_labels_every_point_and_leaves_room_for_the_labels():
    twin = ModelInfo("twin", prices=CHEAP.prices)
    figure = price_scatter([CHEAP, twin, DEAR], "prices")
    assert [t.text for t in figure.data] == [("cheap<br>twin",), ("dear",)]
    assert all(t.mode == "markers+text" and t.cliponaxis is False for t in figure.data)
    low, high = figure.layout.yaxis.range
    assert low < math.log10(0.5) and high > math.log10(6.0) + 0.25  # two lines above "cheap"
