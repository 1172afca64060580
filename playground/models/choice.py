"""Which prices the Models & pricing page compares, and where each model's row comes from
(pure: no Streamlit): the server's live prices when it has some; offline, its free models with
xAI's from the dated snapshot beside them, each marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from playground.core.catalog import Catalog, ModelInfo
from playground.models.data.snapshot import PriceSnapshot, with_snapshot_tiers

__all__ = ["PriceChoice", "choose_prices", "distinct_price_models", "table_models"]


@dataclass(frozen=True)
class PriceChoice:
    """The prices the calculator and charts use, and where they come from."""

    models: tuple[ModelInfo, ...]
    #: ``live prices from <url>``, ``xAI's published prices, snapshot of <date>`` or ``no prices``.
    source: str
    #: True when the server's own prices are used (some of them are not 0).
    live: bool
    #: Where each of ``models`` comes from, in order: the server's name (``live``, ``local``...)
    #: or ``snapshot <date>``; empty when there are no models.
    marks: tuple[str, ...] = ()

    @property
    def rows(self) -> list[tuple[ModelInfo, str]]:
        """``(model, where it comes from)`` pairs."""
        return list(zip(self.models, self.marks, strict=True))

    @property
    def marks_by_id(self) -> dict[str, str]:
        """Model id -> where its prices come from."""
        return {model.id: mark for model, mark in self.rows}

    @property
    def mixed(self) -> bool:
        """True when the models come from more than one place (the server's and a snapshot)."""
        return len(set(self.marks)) > 1


def choose_prices(
    catalog: Catalog | None,
    snapshot: PriceSnapshot | None,
    base_url: str,
    server: str = "live",
) -> PriceChoice:
    """Live prices when the server has some (with the snapshot's long-context tier where the
    server lists none). Else the server's own (free) language models, e.g. the local backend's,
    and beside them the snapshot's current xAI models marked ``snapshot <date>``, so prices
    compare without a key; else none. ``server`` names the server's rows (``live``, ``local``)."""
    if catalog is not None and catalog.priced:
        live = list(catalog.language)
        if snapshot is not None:
            live = with_snapshot_tiers(live, snapshot)
        return PriceChoice(
            tuple(live), f"live prices from {base_url}", live=True, marks=(server,) * len(live)
        )
    own = list(catalog.language) if catalog is not None and catalog.has_prices else []
    rows = [(model, server) for model in own]
    parts = [f"the {server} models' prices (free)"] if own else []
    if snapshot is not None:
        names = {name for model in own for name in (model.id, *model.aliases)}
        marked = f"snapshot {snapshot.as_of.isoformat()}"
        rows += [(m, marked) for m in snapshot.current_models if m.id not in names]
        parts.append(f"xAI's published prices, {snapshot.label}")
    if not rows:
        return PriceChoice((), "no prices", live=False)
    models, marks = zip(*rows, strict=True)
    return PriceChoice(tuple(models), " and ".join(parts), live=False, marks=tuple(marks))


def table_models(
    catalog: Catalog | None, prices: PriceChoice, server: str
) -> list[tuple[ModelInfo, str]]:
    """The language models the Models tab lists, each with where its row comes from: the
    chosen prices' rows (the live ones; or the server's free models with xAI's from the
    snapshot beside them), except for a server that lists models but prices none (llama.cpp):
    its own models, marked ``server``."""
    if catalog is not None and not catalog.has_prices:
        return [(model, server) for model in catalog.language]
    return prices.rows


def distinct_price_models(models: Sequence[ModelInfo], count: int = 3) -> list[str]:
    """Up to ``count`` model ids with different prices (input, cached input, output, tier), in
    the given order: a chart of them shows ``count`` lines, not one line drawn three times.
    Free models (a local backend's) are left out: a flat line at $0 says nothing to compare."""
    seen: set[tuple[int | None, ...]] = set()
    picked: list[str] = []
    for model in models:
        p = model.prices
        key = (p.input, p.cached_input, p.output, p.long_context_threshold, p.input_long_context)
        if key in seen or not p.input or not p.output:
            continue
        seen.add(key)
        picked.append(model.id)
        if len(picked) == count:
            break
    return picked
