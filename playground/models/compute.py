"""Model price tables and the cost calculator's arithmetic (pure: no Streamlit).

Prices stay the API's raw integers (USD cents per 100M tokens, which is ticks per token) until a
table shows them; every conversion and every cost goes through :mod:`xai_core.pricing` (the
long-context tier and server-side tool fees included), as a reply's cost on the Chat page does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from playground.core.catalog import ModelInfo
from playground.models.details import OtherModel
from xai_core import ModelPrices, Usage
from xai_core.pricing import TICKS_PER_USD, cost_breakdown, ticks_to_usd, usd_per_million

__all__ = [
    "BLENDED",
    "BLENDED_INPUT_SHARE",
    "DAYS_PER_MONTH",
    "CostEstimate",
    "UsageProfile",
    "blended_usd_per_million",
    "cost_table",
    "estimate_cost",
    "estimate_costs",
    "filter_models",
    "model_table",
    "other_models_table",
    "table_csv",
    "usd_per_thousand_sources",
]

#: The blended price weighs input 3 : output 1, the usual mix of a chat workload.
BLENDED_INPUT_SHARE = 0.75
#: The blended price's column: the mix it assumes is in its name, not only in a tooltip.
BLENDED = "blended $/1M (3:1 input:output)"
#: A month in the calculator is 30 days.
DAYS_PER_MONTH = 30


def other_models_table(models: Sequence[OtherModel]) -> pd.DataFrame:
    """The models a server lists only in ``/v1/models`` (image models...): kind and price."""
    return pd.DataFrame(
        [
            {
                "model": m.id,
                "aliases": ", ".join(m.aliases) or None,
                "kind": m.kind,
                "price": m.price,
                "created": m.created,
                "owned by": m.owned_by,
            }
            for m in models
        ],
        columns=["model", "aliases", "kind", "price", "created", "owned by"],
    )


def usd_per_thousand_sources(search_price: int | None) -> float | None:
    """``search_price`` (ticks per source) as USD per 1,000 sources: 250000000 -> $25."""
    return None if search_price is None else ticks_to_usd(search_price * 1000)


def blended_usd_per_million(prices: ModelPrices) -> float | None:
    """USD per 1M tokens for a 3 : 1 mix of input and output tokens; ``None`` when unknown."""
    if prices.input is None or prices.output is None:
        return None
    usd_input, usd_output = usd_per_million(prices.input), usd_per_million(prices.output)
    assert usd_input is not None and usd_output is not None
    return BLENDED_INPUT_SHARE * usd_input + (1 - BLENDED_INPUT_SHARE) * usd_output


@dataclass(frozen=True)
class UsageProfile:
    """The calculator's inputs: one typical request (with the server-side tool calls it is
    expected to make) and how many a day."""

    prompt_tokens: int
    cached_share: float
    output_tokens: int
    requests_per_day: int
    #: Web or X searches per request (billed per call).
    searches: int = 0
    #: Code executions per request (billed per call).
    code_runs: int = 0

    def __post_init__(self) -> None:
        counts = (self.prompt_tokens, self.output_tokens, self.requests_per_day)
        if min(*counts, self.searches, self.code_runs) < 0:
            raise ValueError("token, request and tool call counts cannot be negative")
        if not 0.0 <= self.cached_share <= 1.0:
            raise ValueError("the cached share is a fraction between 0 and 1")

    @property
    def cached_tokens(self) -> int:
        """Prompt tokens served from the cache."""
        return round(self.prompt_tokens * self.cached_share)

    def as_usage(self) -> Usage:
        """The request as a usage record, so :func:`xai_core.cost_in_ticks` prices it."""
        return Usage.model_validate(
            {
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.output_tokens,
                "total_tokens": self.prompt_tokens + self.output_tokens,
                "prompt_tokens_details": {"cached_tokens": self.cached_tokens},
                "server_side_tool_usage_details": {
                    "web_search_calls": self.searches,
                    "code_interpreter_calls": self.code_runs,
                },
            }
        )


@dataclass(frozen=True)
class CostEstimate:
    """What one model costs for a :class:`UsageProfile`."""

    model_id: str
    ticks_per_request: int
    requests_per_day: int
    long_context_applied: bool
    blended_usd_per_million: float | None
    #: False when the prompt is longer than the model's context (it cannot take the request).
    fits: bool = True
    #: The server-side tool fees in ``ticks_per_request``.
    tool_ticks: int = 0

    @property
    def per_request_usd(self) -> float:
        return self.ticks_per_request / TICKS_PER_USD

    @property
    def per_day_usd(self) -> float:
        return self.ticks_per_request * self.requests_per_day / TICKS_PER_USD

    @property
    def per_month_usd(self) -> float:
        return self.ticks_per_request * self.requests_per_day * DAYS_PER_MONTH / TICKS_PER_USD


def estimate_cost(model: ModelInfo, profile: UsageProfile) -> CostEstimate | None:
    """The cost of ``profile`` on ``model`` (its long-context tier and the tool fees included);
    ``None`` when its input or output price is unknown. ``fits`` says whether the prompt fits
    the model's context (unknown: it does)."""
    cost = cost_breakdown(profile.as_usage(), model.prices)
    if cost is None:
        return None
    context = model.context_length
    return CostEstimate(
        model_id=model.id,
        ticks_per_request=cost.total_ticks,
        requests_per_day=profile.requests_per_day,
        long_context_applied=model.prices.is_long(profile.prompt_tokens),
        blended_usd_per_million=blended_usd_per_million(model.prices),
        fits=context is None or profile.prompt_tokens <= context,
        tool_ticks=cost.tool_ticks,
    )


def estimate_costs(models: Iterable[ModelInfo], profile: UsageProfile) -> list[CostEstimate]:
    """Estimates for every model with known prices, cheapest first (ties by id); the models
    whose context is smaller than the prompt come after every one that fits."""
    estimates = [e for m in models if (e := estimate_cost(m, profile)) is not None]
    return sorted(estimates, key=lambda e: (not e.fits, e.ticks_per_request, e.model_id))


def filter_models(
    models: Sequence[ModelInfo], text: str = "", modality: str | None = None
) -> list[ModelInfo]:
    """Models whose id or an alias contains ``text`` (any case) and that accept ``modality``."""
    needle = text.strip().lower()
    return [
        m
        for m in models
        if (not needle or any(needle in name.lower() for name in (m.id, *m.aliases)))
        and (modality is None or modality in m.input_modalities)
    ]


def _created(timestamp: int | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, tz=UTC)


def model_table(
    models: Sequence[ModelInfo],
    *,
    drop_empty: bool = False,
    sources: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per model, prices in USD per 1M tokens (search: per 1,000 sources); with
    ``sources``, a "source" column saying where each row comes from.

    Column names are stable: pages configure their formats and tests read them. With
    ``drop_empty``, columns empty in every row (e.g. prices a server does not list) are left out.
    """
    marks = list(sources) if sources is not None else [None] * len(models)
    rows = [
        {
            "model": m.id,
            "source": mark,
            "aliases": ", ".join(m.aliases) or None,
            "input": ", ".join(m.input_modalities) or None,
            "output": ", ".join(m.output_modalities) or None,
            "context": m.context_length,
            "input $/1M": usd_per_million(m.prices.input),
            "cached input $/1M": usd_per_million(m.prices.cached_input),
            "output $/1M": usd_per_million(m.prices.output),
            "image input $/1M": usd_per_million(m.prices.image_input),
            BLENDED: blended_usd_per_million(m.prices),
            "search $/1K sources": usd_per_thousand_sources(m.search_price),
            **_long_context_prices(m.prices),
            "status": m.status,
            "created": _created(m.created),
            "version": m.version,
            "fingerprint": m.fingerprint,
            "owned by": m.owned_by,
        }
        for m, mark in zip(models, marks, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=_MODEL_COLUMNS)
    if sources is None:
        frame = frame.drop(columns="source")
    for column in [*_PRICE_COLUMNS, *_LONG_PRICE_COLUMNS]:
        frame[column] = frame[column].astype("float64")
    for column in ("context", "long context from"):
        frame[column] = frame[column].astype("Int64")
    if drop_empty:
        filled = [c for c in frame.columns if c == "model" or frame[c].notna().any()]
        frame = frame[filled]
    return frame


_PRICE_COLUMNS = [
    "input $/1M",
    "cached input $/1M",
    "output $/1M",
    "image input $/1M",
    BLENDED,
    "search $/1K sources",
]
_MODEL_COLUMNS = [
    "model",
    "source",
    "context",
    "input $/1M",
    "cached input $/1M",
    "output $/1M",
    BLENDED,
    "input",  # modalities after the prices: the comparison stays in view
    "output",
    "image input $/1M",
    "search $/1K sources",
    "long context from",
    "long input $/1M",
    "long cached input $/1M",
    "long output $/1M",
    "aliases",  # after the prices: long lists would push them off the screen
    "status",
    "created",
    "version",
    "fingerprint",
    "owned by",
]


#: The long-context tier's prices (the threshold is "long context from", in prompt tokens).
_LONG_PRICE_COLUMNS = ["long input $/1M", "long cached input $/1M", "long output $/1M"]
_LONG_COLUMNS = ["long context from", *_LONG_PRICE_COLUMNS]


def _long_context_prices(prices: ModelPrices) -> dict[str, float | int | None]:
    """The tier's threshold and the prices billed from it (USD per 1M tokens), empty without."""
    if not prices.has_long_context or prices.long_context_threshold is None:
        empty: dict[str, float | int | None] = dict.fromkeys(_LONG_COLUMNS)
        return empty
    long = prices.for_prompt(prices.long_context_threshold)
    return {
        "long context from": prices.long_context_threshold,
        "long input $/1M": usd_per_million(long.input),
        "long cached input $/1M": usd_per_million(long.cached_input),
        "long output $/1M": usd_per_million(long.output),
    }


def cost_table(
    estimates: Sequence[CostEstimate], sources: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The calculator's results, in the order given (see :func:`estimate_costs`): "fits
    context" is False for a model whose context is smaller than the prompt. With ``sources``
    (model id -> where its prices come from), a "source" column."""
    columns = [
        "model",
        "source",
        "fits context",
        "per request $",
        "per day $",
        "per month $",
        "tool fees $/request",
        BLENDED,
        "long-context rate",
    ]
    frame = pd.DataFrame(
        [
            {
                "model": e.model_id,
                "source": (sources or {}).get(e.model_id),
                "fits context": e.fits,
                "per request $": e.per_request_usd,
                "per day $": e.per_day_usd,
                "per month $": e.per_month_usd,
                "tool fees $/request": e.tool_ticks / TICKS_PER_USD,
                BLENDED: e.blended_usd_per_million,
                "long-context rate": e.long_context_applied,
            }
            for e in estimates
        ],
        columns=columns,
    )
    return frame if sources is not None else frame.drop(columns="source")


def table_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV (dates in ISO 8601), for a download button."""
    text = str(frame.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%SZ"))
    return text.encode("utf-8")
