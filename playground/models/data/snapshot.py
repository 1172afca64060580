"""xAI's published models and prices as a dated offline snapshot, and how live data differs.

Pure: no Streamlit. The snapshot file holds entries shaped like ``/v1/language-models`` ones (same
integer price units, the long-context tier as ``*_long_context`` prices and
``long_context_threshold``), so live and snapshot models go through the same code. An older file's
``long_context: {threshold_tokens, multiplier}`` is still read, as those prices.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from playground.core.catalog import ModelInfo, from_language_model, with_known_tiers
from xai_core import LanguageModel
from xai_core.pricing import usd_per_million

__all__ = [
    "DIFFED_PRICES",
    "SNAPSHOT_PATH",
    "PriceChange",
    "PriceSnapshot",
    "SnapshotDiff",
    "SnapshotError",
    "diff_against_snapshot",
    "diff_table",
    "load_snapshot",
    "parse_snapshot",
    "shipped_models",
    "with_snapshot_tiers",
]

SNAPSHOT_PATH = Path(__file__).with_name("xai_price_snapshot.json")

#: The prices a diff compares: field of :class:`xai_core.ModelPrices` -> label.
DIFFED_PRICES = {"input": "input", "cached_input": "cached input", "output": "output"}


class SnapshotError(ValueError):
    """The snapshot file is missing or malformed; the message says what is wrong."""


@dataclass(frozen=True)
class PriceSnapshot:
    """A dated list of models and prices, with where the facts come from."""

    as_of: date
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    models: tuple[ModelInfo, ...]

    @property
    def label(self) -> str:
        """``snapshot of 2026-11-25``: how every view of this data is labelled."""
        return f"snapshot of {self.as_of.isoformat()}"

    @property
    def current_models(self) -> list[ModelInfo]:
        """The models xAI still serves, per the snapshot."""
        return [m for m in self.models if m.status != "retired"]

    def find(self, model_id: str) -> ModelInfo | None:
        """The snapshot entry for ``model_id`` (its id or one of its aliases)."""
        for model in self.models:
            if model_id == model.id or model_id in model.aliases:
                return model
        return None


_TIERED = (  # standard price field -> its long-context field
    ("prompt_text_token_price", "prompt_text_token_price_long_context"),
    ("cached_prompt_text_token_price", "cached_prompt_text_token_price_long_context"),
    ("completion_text_token_price", "completion_text_token_price_long_context"),
)


def _with_tier_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    """``entry`` with an older file's ``long_context: {threshold_tokens, multiplier}`` turned
    into the API's long-context fields (every listed price times the multiplier)."""
    fields = {k: v for k, v in entry.items() if k != "long_context"}
    raw = entry.get("long_context")
    if raw is None:
        return fields
    model_id = entry.get("id")
    try:
        threshold, multiplier = int(raw["threshold_tokens"]), int(raw["multiplier"])
    except (TypeError, KeyError, ValueError) as exc:
        raise SnapshotError(f"{model_id}: long_context needs threshold_tokens, multiplier") from exc
    for standard, long in _TIERED:
        if isinstance(fields.get(standard), int):
            fields.setdefault(long, fields[standard] * multiplier)
    fields.setdefault("long_context_threshold", threshold)
    return fields


def parse_snapshot(data: Mapping[str, Any]) -> PriceSnapshot:
    """Build a :class:`PriceSnapshot` from the file's JSON object; :class:`SnapshotError` when
    a required part (date, sources, models) is missing or malformed."""
    try:
        as_of = date.fromisoformat(str(data["as_of"]))
        sources = tuple(str(s) for s in data["sources"])
        entries = list(data["models"])
    except (KeyError, TypeError, ValueError) as exc:
        message = f"the snapshot needs as_of (a date), sources and models: {exc}"
        raise SnapshotError(message) from exc
    if not sources:
        raise SnapshotError("the snapshot must say where its facts come from (sources)")
    models = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise SnapshotError(f"a snapshot model is not an object: {entry!r}")
        try:
            described = LanguageModel.model_validate(_with_tier_fields(entry))
        except ValidationError as exc:
            raise SnapshotError(f"a snapshot model is malformed: {exc}") from exc
        status = str(entry.get("status", "current"))
        models.append(from_language_model(described, status=status))
    notes = tuple(str(note) for note in data.get("notes", []))
    return PriceSnapshot(as_of, sources, notes, tuple(models))


def load_snapshot(path: Path = SNAPSHOT_PATH) -> PriceSnapshot:
    """Read and parse the snapshot file shipped with the app."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"cannot read the price snapshot {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise SnapshotError("the price snapshot must be a JSON object")
    return parse_snapshot(data)


@functools.cache
def shipped_models() -> tuple[ModelInfo, ...]:
    """The shipped snapshot's models (read once), for the long-context tiers of servers that list
    none; none when the file is unusable (the Models page says why)."""
    try:
        return load_snapshot().models
    except SnapshotError:
        return ()


@dataclass(frozen=True)
class PriceChange:
    """One price that differs between the snapshot and the live listing (API integers)."""

    model_id: str
    price: str
    snapshot: int | None
    live: int | None


@dataclass(frozen=True)
class SnapshotDiff:
    """Live models compared with the snapshot's."""

    new: tuple[str, ...]
    removed: tuple[str, ...]
    repriced: tuple[PriceChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.new or self.removed or self.repriced)


def diff_against_snapshot(live: Sequence[ModelInfo], snapshot: PriceSnapshot) -> SnapshotDiff:
    """New models (live only), removed ones (current in the snapshot, absent live; retired ones
    are expected to be gone) and re-priced ones (input, cached input or output differ)."""
    new: list[str] = []
    repriced: list[PriceChange] = []
    matched: set[str] = set()
    for model in live:
        known = snapshot.find(model.id)
        if known is None:
            new.append(model.id)
            continue
        matched.add(known.id)
        for name, label in DIFFED_PRICES.items():
            before, after = getattr(known.prices, name), getattr(model.prices, name)
            if before != after:
                repriced.append(PriceChange(model.id, label, before, after))
    removed = [m.id for m in snapshot.current_models if m.id not in matched]
    return SnapshotDiff(tuple(new), tuple(removed), tuple(repriced))


def with_snapshot_tiers(live: Sequence[ModelInfo], snapshot: PriceSnapshot) -> list[ModelInfo]:
    """Live models carrying the snapshot's long-context tier where they list none and the
    snapshot knows one (:func:`playground.core.catalog.with_known_tiers`)."""
    return with_known_tiers(live, snapshot.models)


def diff_table(diff: SnapshotDiff) -> pd.DataFrame:
    """One row per difference: model, change (new / removed / re-priced), price, both values in
    USD per 1M tokens."""
    rows: list[dict[str, Any]] = [
        {"model": m, "change": "new", "price": None, "snapshot $/1M": None, "live $/1M": None}
        for m in diff.new
    ]
    rows += [
        {"model": m, "change": "removed", "price": None, "snapshot $/1M": None, "live $/1M": None}
        for m in diff.removed
    ]
    rows += [
        {
            "model": c.model_id,
            "change": "re-priced",
            "price": c.price,
            "snapshot $/1M": usd_per_million(c.snapshot),
            "live $/1M": usd_per_million(c.live),
        }
        for c in diff.repriced
    ]
    frame = pd.DataFrame(rows, columns=["model", "change", "price", "snapshot $/1M", "live $/1M"])
    for column in ("snapshot $/1M", "live $/1M"):
        frame[column] = frame[column].astype("float64")
    return frame
