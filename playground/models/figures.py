"""Plotly figures for prices and costs, built as data (pure: no Streamlit)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import replace

import plotly.graph_objects as go

from playground.core.catalog import ModelInfo
from playground.models.compute import CostEstimate, UsageProfile, estimate_cost
from xai_core.pricing import usd_per_million

__all__ = [
    "COST_PERIODS",
    "cost_bar_chart",
    "cost_curve_chart",
    "price_scatter",
    "prompt_lengths",
]

#: Calculator periods: label -> attribute of :class:`CostEstimate`.
COST_PERIODS = {
    "per request": "per_request_usd",
    "per day": "per_day_usd",
    "per month": "per_month_usd",
}


#: Log axes labelled 1-2-5 in dollars (plotly's default labels minor ticks with bare digits).
_LOG_TICKS = [m * 10.0**e for e in range(-3, 4) for m in (1, 2, 5)]
_LOG_AXIS = {"type": "log", "tickvals": _LOG_TICKS, "tickprefix": "$", "tickformat": "~g"}


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"${value:,.3f}"


def _hover(model: ModelInfo) -> str:
    prices = model.prices
    context = f"{model.context_length:,}" if model.context_length else "unknown"
    return "<br>".join(
        [
            f"<b>{html.escape(model.id)}</b>",
            f"input {_fmt(usd_per_million(prices.input))} / 1M",
            f"cached input {_fmt(usd_per_million(prices.cached_input))} / 1M",
            f"output {_fmt(usd_per_million(prices.output))} / 1M",
            f"context {context}",
        ]
    )


def price_scatter(models: Sequence[ModelInfo], title: str) -> go.Figure:
    """Input vs output price per 1M tokens, log scales: one labelled point per price pair,
    naming every model at that price (models with the same prices share the point,
    so none hides another).

    Models with a missing or zero price are left out (a log axis cannot show 0); the hover shows
    each model's id, its three prices and its context window.
    """
    shown = [m for m in models if (m.prices.input or 0) > 0 and (m.prices.output or 0) > 0]
    groups: dict[tuple[int | None, int | None], list[ModelInfo]] = {}
    for model in shown:
        groups.setdefault((model.prices.input, model.prices.output), []).append(model)
    figure = go.Figure()
    for (price_in, price_out), group in groups.items():
        ids = [m.id for m in group]
        figure.add_trace(
            go.Scatter(
                x=[usd_per_million(price_in)],
                y=[usd_per_million(price_out)],
                mode="markers+text",
                name=", ".join(ids),
                text=["<br>".join(html.escape(i) for i in ids)],
                textposition="top center",
                cliponaxis=False,  # a label near an edge is drawn whole
                customdata=[ids],
                hovertext=["<br><br>".join(_hover(m) for m in group)],
                hoverinfo="text",
                marker={"size": 12 + 2 * (len(group) - 1)},
            )
        )
    tallest = max((len(group) for group in groups.values()), default=1)  # lines in a label
    x_range = _padded_log_range([price for price, _ in groups], 0.3, 0.3)
    y_range = _padded_log_range([price for _, price in groups], 0.2, 0.25 + 0.12 * tallest)
    figure.update_layout(
        title=title,
        xaxis={"title": "input $ per 1M tokens", **_LOG_AXIS, "range": x_range},
        yaxis={"title": "output $ per 1M tokens", **_LOG_AXIS, "range": y_range},
        showlegend=False,  # every point names its models
        height=480,
        margin={"t": 50, "b": 40},
    )
    return figure


def _padded_log_range(
    prices: Sequence[int | None], below: float, above: float
) -> list[float] | None:
    """A log axis range (in decades) around ``prices`` (API integers) with room for the labels:
    ``below`` and ``above`` decades beyond the cheapest and the dearest."""
    usd = [v for p in prices if (v := usd_per_million(p))]
    if not usd:
        return None
    return [math.log10(min(usd)) - below, math.log10(max(usd)) + above]


def cost_bar_chart(estimates: Sequence[CostEstimate], period: str) -> go.Figure:
    """Horizontal bars of each model's cost for ``period`` (a key of :data:`COST_PERIODS`),
    in the order given (cheapest on top when the estimates are sorted); a model whose context is
    smaller than the prompt is named so."""
    attribute = COST_PERIODS[period]
    values = [float(getattr(e, attribute)) for e in estimates]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[
                e.model_id if e.fits else f"{e.model_id} (prompt over its context)"
                for e in estimates
            ],
            orientation="h",
            text=["free" if v == 0 else f"${v:,.4f}" if v < 1 else f"${v:,.2f}" for v in values],
            textposition=["outside" if v == 0 else "auto" for v in values],  # no bar to hold it
            hovertemplate="%{y}: $%{x:,.6f}<extra></extra>",
        )
    )
    figure.update_layout(
        title=f"Cost {period}",
        xaxis={"title": f"USD {period}"},
        yaxis={"autorange": "reversed"},
        margin={"t": 50, "b": 40},
    )
    return figure


def prompt_lengths(max_tokens: int, points: int = 40) -> list[int]:
    """Evenly spaced prompt lengths from ``max_tokens / points`` to ``max_tokens``."""
    if max_tokens <= 0 or points <= 0:
        return []
    step = max(max_tokens // points, 1)
    return list(range(step, max_tokens + 1, step))


def cost_curve_chart(
    models: Sequence[ModelInfo], profile: UsageProfile, lengths: Sequence[int]
) -> go.Figure:
    """Cost of one request vs prompt length, one line per model, with the profile's cached share,
    output tokens and tool calls. The long-context tier shows as a jump; a line stops at the
    model's context window when known."""
    figure = go.Figure()
    for model in models:
        xs: list[int] = []
        ys: list[float] = []
        candidates = set(lengths)
        threshold = model.prices.long_context_threshold
        if model.prices.has_long_context and threshold and lengths and threshold <= max(lengths):
            candidates |= {threshold - 1, threshold}  # show the jump
        for length in sorted(candidates):
            if model.context_length is not None and length > model.context_length:
                break
            point = replace(profile, prompt_tokens=length, requests_per_day=1)
            estimate = estimate_cost(model, point)
            if estimate is None:
                break
            xs.append(length)
            ys.append(estimate.per_request_usd)
        if xs:
            figure.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=model.id,
                    hovertemplate=(
                        f"{model.id}<br>%{{x:,}} prompt tokens: $%{{y:,.4f}}<extra></extra>"
                    ),
                )
            )
    figure.update_layout(
        title="Cost of one request vs prompt length",
        xaxis={"title": "prompt tokens"},
        yaxis={"title": "USD per request"},
        margin={"t": 50, "b": 40},
    )
    return figure
