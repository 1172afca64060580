"""The shipped price snapshot: dated, sourced, in API units; and the live-vs-snapshot diff."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from playground.core.catalog import Catalog, ModelInfo, from_language_model
from playground.models.choice import PriceChoice, choose_prices, table_models
from playground.models.data.snapshot import (
    PriceChange,
    SnapshotError,
    diff_against_snapshot,
    diff_table,
    load_snapshot,
    parse_snapshot,
    shipped_models,
    with_snapshot_tiers,
)
from tests.fake_xai import load_json
from xai_core import LanguageModel, ModelPrices


def live_models() -> list[ModelInfo]:
    return [
        from_language_model(LanguageModel.model_validate(m))
        for m in load_json("language_models.json")["models"]
    ]


def minimal(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "as_of": "2026-01-02",
        "sources": ["https://docs.x.ai/docs/models"],
        "models": [
            {
                "id": "a",
                "status": "current",
                "prompt_text_token_price": 20000,
                "cached_prompt_text_token_price": 5000,
                "completion_text_token_price": 60000,
            },
            {"id": "old", "status": "retired", "prompt_text_token_price": 1},
        ],
    }
    data.update(overrides)
    return data


def test_shipped_snapshot_is_dated_sourced_and_in_api_units():
    snapshot = load_snapshot()
    assert snapshot.as_of <= date.today()
    assert snapshot.label == f"snapshot of {snapshot.as_of.isoformat()}"
    assert any(s.startswith("https://docs.x.ai/") for s in snapshot.sources)
    grok_3_mini = snapshot.find("grok-3-mini")
    assert grok_3_mini is not None
    assert grok_3_mini.prices == ModelPrices(input=3000, cached_input=750, output=5000)
    assert grok_3_mini.context_length == 131_072


def test_shipped_snapshot_marks_retired_models():
    snapshot = load_snapshot()
    retired = {m.id for m in snapshot.models if m.status == "retired"}
    assert {"grok-3", "grok-4-0709", "grok-code-fast-1"} <= retired
    assert retired.isdisjoint(m.id for m in snapshot.current_models)
    assert "grok-4.3" in {m.id for m in snapshot.current_models}


def test_snapshot_knows_the_long_context_tier_where_documented():
    snapshot = load_snapshot()
    prices = snapshot.find("grok-4.20-0309-reasoning").prices  # type: ignore[union-attr]
    assert prices.long_context_threshold == 200_000
    long = prices.for_prompt(200_000)
    assert (long.input, long.cached_input, long.output) == (25000, 4000, 50000)  # x2
    assert not snapshot.find("grok-3-mini").prices.has_long_context  # type: ignore[union-attr]


def test_an_older_snapshot_with_a_multiplier_is_read_as_long_context_prices():
    entry = {"id": "m", "prompt_text_token_price": 100, "completion_text_token_price": 300,
             "long_context": {"threshold_tokens": 1000, "multiplier": 3}}  # fmt: skip
    prices = parse_snapshot(minimal(models=[entry])).models[0].prices
    assert prices.for_prompt(999) == prices
    assert prices.for_prompt(1000) == ModelPrices(input=300, output=900)


def test_aliases_find_the_snapshot_entry():
    assert load_snapshot().find("grok-4.20-reasoning").id == "grok-4.20-0309-reasoning"  # type: ignore[union-attr]
    assert load_snapshot().find("no-such-model") is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"as_of": "yesterday"}, "as_of"),
        ({"sources": []}, "sources"),
        ({"models": [{"status": "current"}]}, "malformed"),
        ({"models": [{"id": "x", "long_context": {"multiplier": 2}}]}, "long_context"),
    ],
)
def test_malformed_snapshots_are_refused_with_a_reason(overrides, message):
    with pytest.raises(SnapshotError, match=message):
        parse_snapshot(minimal(**overrides))


def test_unreadable_snapshot_file_is_a_snapshot_error(tmp_path: Path):
    with pytest.raises(SnapshotError, match="cannot read"):
        load_snapshot(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(SnapshotError, match="JSON object"):
        load_snapshot(bad)


def test_diff_lists_new_removed_and_repriced_models():
    snapshot = parse_snapshot(minimal())
    live = [
        ModelInfo("a", prices=ModelPrices(input=20000, cached_input=5000, output=50000)),
        ModelInfo("brand-new", prices=ModelPrices(input=1, output=1)),
    ]
    diff = diff_against_snapshot(live, snapshot)
    assert diff.new == ("brand-new",)
    assert diff.removed == ()  # "old" is retired: its absence is expected
    assert diff.repriced == (PriceChange("a", "output", 60000, 50000),)
    assert not diff.empty


def test_current_model_missing_live_is_removed():
    diff = diff_against_snapshot([], parse_snapshot(minimal()))
    assert diff.removed == ("a",)


def test_identical_prices_give_an_empty_diff():
    live = [ModelInfo("a", prices=ModelPrices(input=20000, cached_input=5000, output=60000))]
    assert diff_against_snapshot(live, parse_snapshot(minimal())).empty


def test_fake_server_listing_against_the_shipped_snapshot():
    diff = diff_against_snapshot(live_models(), load_snapshot())
    assert diff.new == ()
    assert "grok-4.6" in diff.removed
    repriced = {(c.model_id, c.price) for c in diff.repriced}
    assert ("grok-4.20-0309-reasoning", "input") in repriced
    assert ("grok-build-0.1", "cached input") not in repriced  # live and snapshot agree
    older = [  # an older answer without grok-build-0.1's cached price: listed in the snapshot only
        m if m.id != "grok-build-0.1" else replace(m, prices=replace(m.prices, cached_input=None))
        for m in live_models()
    ]
    older_diff = diff_against_snapshot(older, load_snapshot()).repriced
    assert ("grok-build-0.1", "cached input") in {(c.model_id, c.price) for c in older_diff}
    assert not any(c.model_id in ("grok-4.3", "grok-3-mini") for c in diff.repriced)


def test_diff_table_shows_usd_per_million():
    diff = diff_against_snapshot(live_models(), load_snapshot())
    table = diff_table(diff)
    row = table[(table["model"] == "grok-4.20-0309-reasoning") & (table["price"] == "output")]
    assert row[["snapshot $/1M", "live $/1M"]].values.tolist() == [[2.5, 6.0]]
    assert table[table["change"] == "removed"]["model"].tolist() == list(diff.removed)


def test_live_models_take_the_snapshot_long_context_tier():
    enriched = {m.id: m for m in with_snapshot_tiers(live_models(), load_snapshot())}
    assert enriched["grok-4.3"].prices.has_long_context
    assert enriched["grok-4.3"].prices.input == 12500  # live price kept
    assert not enriched["grok-3-mini"].prices.has_long_context
    # grok-4.20 is re-priced live ($2 / $6): its tier doubles the live prices, not the snapshot's
    long = enriched["grok-4.20-0309-reasoning"].prices.for_prompt(200_000)
    assert (long.input, long.output) == (40000, 120000)


def test_snapshot_file_is_valid_json_with_a_date_and_sources():
    raw = json.loads(Path("playground/models/data/xai_price_snapshot.json").read_text())
    assert date.fromisoformat(raw["as_of"])
    assert raw["sources"]


def test_live_prices_win_and_carry_the_snapshot_long_context_step():
    snapshot = load_snapshot()
    catalog = Catalog(tuple(live_models()), (), has_prices=True)
    chosen = choose_prices(catalog, snapshot, "https://api.x.ai/v1")
    assert chosen.live and chosen.source == "live prices from https://api.x.ai/v1"
    assert [m.id for m in chosen.models] == [m.id for m in live_models()]
    assert {m.id: m for m in chosen.models}["grok-4.3"].prices.has_long_context


def test_without_a_server_the_prices_are_the_labelled_snapshot():
    snapshot = load_snapshot()
    chosen = choose_prices(None, snapshot, "http://127.0.0.1:8000/v1")
    assert not chosen.live
    assert chosen.source == f"xAI's published prices, {snapshot.label}"
    assert list(chosen.models) == snapshot.current_models
    assert set(chosen.marks) == {f"snapshot {snapshot.as_of.isoformat()}"}


def test_a_free_server_compares_its_models_with_the_snapshot_beside_them():
    snapshot = load_snapshot()
    free = Catalog(
        (
            ModelInfo("gemma", prices=ModelPrices(0, 0, 0)),
            replace(snapshot.current_models[0], prices=ModelPrices(0, 0, 0)),
        ),
        (),
        has_prices=True,
    )
    chosen = choose_prices(free, snapshot, "http://127.0.0.1:8000/v1", "local")
    assert not chosen.live and chosen.mixed
    assert (
        chosen.source
        == f"the local models' prices (free) and xAI's published prices, {snapshot.label}"
    )
    marked = f"snapshot {snapshot.as_of.isoformat()}"
    # the server's own first; a model it lists itself is not repeated from the snapshot
    assert chosen.rows == [
        (free.language[0], "local"),
        (free.language[1], "local"),
        *[(m, marked) for m in snapshot.current_models[1:]],
    ]
    assert table_models(free, chosen, "local") == chosen.rows
    # a server that prices nothing (llama.cpp) lists its own models only in the table
    bare = Catalog((ModelInfo("llama"),), (), has_prices=False)
    chosen = choose_prices(bare, snapshot, "http://127.0.0.1:8080/v1", "live")
    assert table_models(bare, chosen, "live") == [(bare.language[0], "live")]
    assert list(chosen.models) == snapshot.current_models  # the calculator still compares


def test_without_live_prices_or_a_snapshot_there_are_no_prices():
    chosen = choose_prices(None, None, "http://127.0.0.1:8000/v1")
    assert chosen == PriceChoice((), "no prices", live=False)


def test_the_shipped_models_are_the_snapshot_models_read_once():
    assert shipped_models() == load_snapshot().models
    assert shipped_models() is shipped_models()
