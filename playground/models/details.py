"""A model described for people, and the models a server lists only in ``/v1/models`` (pure:
no Streamlit).

The API says prices in USD cents per 100M tokens and dates in epoch seconds; a person reads
dollars per 1M tokens and calendar dates. The raw answer stays available (the page shows it in an
expander); these rows are what is read first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from playground.core.catalog import ModelInfo
from xai_core import Model, ModelPrices
from xai_core.pricing import ticks_to_usd, usd_per_million

__all__ = ["NO_PRICE", "OtherModel", "dollars", "model_facts", "other_models", "price_text"]

#: What a table says for a model the server gives no price for.
NO_PRICE = "no price listed"


def _date(timestamp: int | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")


def dollars(amount: float) -> str:
    """``$1.25``, ``$0.075``, ``$0.0375``: cents, and the digits below them a price has."""
    text = f"{amount:,.4f}".rstrip("0")
    whole, _, cents = text.partition(".")
    return f"${whole}.{cents.ljust(2, '0')}"


def price_text(price: int | None) -> str | None:
    """``$1.25 per 1M tokens`` from an API price integer (``None`` when not listed)."""
    usd = usd_per_million(price)
    return None if usd is None else f"{dollars(usd)} per 1M tokens"


def _long_context(prices: ModelPrices) -> str | None:
    threshold = prices.long_context_threshold
    if not prices.has_long_context or threshold is None:
        return None
    long = prices.for_prompt(threshold)
    parts = [
        f"{label} {dollars(usd)}"
        for label, usd in (
            ("input", usd_per_million(long.input)),
            ("cached input", usd_per_million(long.cached_input)),
            ("output", usd_per_million(long.output)),
        )
        if usd is not None
    ]
    return f"from {threshold:,} prompt tokens: " + ", ".join(parts) + " per 1M tokens"


def model_facts(model: ModelInfo, source: str | None = None) -> list[tuple[str, str]]:
    """``(field, value)`` rows for people: what it takes and writes, its context, its prices in
    dollars per 1M tokens (the long-context tier too), dates as dates. Fields the server does not
    give are left out."""
    prices = model.prices
    efforts = model.reasoning_efforts
    rows: list[tuple[str, str | None]] = [
        ("model", model.id),
        ("aliases", ", ".join(model.aliases) or None),
        ("source", source),
        ("kind", model.purpose or model.kind),
        ("what it is", model.description),
        ("input", ", ".join(model.input_modalities) or None),
        ("output", ", ".join(model.output_modalities) or None),
        ("context", f"{model.context_length:,} tokens" if model.context_length else None),
        ("input price", price_text(prices.input)),
        ("cached input price", price_text(prices.cached_input)),
        ("output price", price_text(prices.output)),
        ("image input price", price_text(prices.image_input)),
        ("long-context prices", _long_context(prices)),
        (
            "search price",
            None
            if model.search_price is None
            else f"{dollars(ticks_to_usd(model.search_price * 1000) or 0)} per 1,000 sources",
        ),
        ("reasoning efforts", ", ".join(efforts) if efforts else None),
        ("default reasoning effort", model.default_reasoning_effort),
        ("tool calls", None if model.takes_tools is None else "yes" if model.takes_tools else "no"),
        ("status", model.status),
        ("created", _date(model.created)),
        ("version", model.version),
        ("fingerprint", model.fingerprint),
        ("owned by", model.owned_by),
    ]
    return [(name, value) for name, value in rows if value]


@dataclass(frozen=True)
class OtherModel:
    """A model the server lists in ``/v1/models`` but in none of its priced lists (an image
    model, say): what kind it is and what it costs, when the server says."""

    id: str
    aliases: tuple[str, ...]
    kind: str
    price: str
    created: str | None
    owned_by: str | None


def _kind(model: Model) -> str:
    if model.kind:
        return model.kind
    name = model.id.lower()
    if "image" in name or "imagine" in name or model.image_price is not None:
        return "image"
    if "video" in name:
        return "video"
    return "other"


def _other_price(model: Model) -> str:
    per_image = model.image_price
    if per_image is None and model.pricing:
        prices = [p.get("price_per_image") for p in model.pricing]
        numbers = [p for p in prices if isinstance(p, int)]
        per_image = min(numbers) if numbers else None
        if per_image is not None and len(set(numbers)) > 1:
            return f"from {dollars(ticks_to_usd(per_image) or 0)} per image"
    if per_image is not None:
        return f"{dollars(ticks_to_usd(per_image) or 0)} per image"
    text = price_text(model.prompt_text_token_price)
    return f"input {text}" if text else NO_PRICE


def other_models(listed: Iterable[Model], known: Sequence[ModelInfo]) -> list[OtherModel]:
    """The entries of ``listed`` that are none of the ``known`` models (by id or alias)."""
    names = {name for m in known for name in (m.id, *m.aliases)}
    return [
        OtherModel(
            model.id,
            tuple(model.aliases),
            _kind(model),
            _other_price(model),
            _date(model.created),
            model.owned_by,
        )
        for model in listed
        if model.id not in names and not names.intersection(model.aliases)
    ]
