"""Price tables and the cost calculator's arithmetic, against values worked out by hand."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from playground.core.catalog import (
    ModelInfo,
    from_embedding_model,
    from_language_model,
    from_listed_model,
)
from playground.models.compute import (
    UsageProfile,
    blended_usd_per_million,
    cost_table,
    estimate_cost,
    estimate_costs,
    filter_models,
    model_table,
    table_csv,
    usd_per_thousand_sources,
)
from tests.fake_xai import load_json
from xai_core import EmbeddingModel, LanguageModel, Model, ModelPrices

GROK_3_MINI = ModelPrices(input=3000, cached_input=750, output=5000)  # $0.30 / $0.075 / $0.50
#: grok-4.3 with its long-context tier: x2 from 200,000 prompt tokens.
GROK_4_3 = ModelPrices(12500, 2000, 25000, None, 25000, 4000, 50000, 200_000)


def live_models() -> list[ModelInfo]:
    return [
        from_language_model(LanguageModel.model_validate(m))
        for m in load_json("language_models.json")["models"]
    ]


def test_model_table_shows_usd_per_million_from_api_integers():
    table = model_table(live_models()).set_index("model")
    # 20000 -> $2.00/M, 7500-style cached prices, 60000 -> $6.00/M, from the fake's fixture
    assert table.loc["grok-4.20-0309-reasoning", "input $/1M"] == 2.0
    assert table.loc["grok-4.20-0309-reasoning", "output $/1M"] == 6.0
    assert table.loc["grok-3-mini", "cached input $/1M"] == 0.075
    assert table.loc["grok-3-mini", "input $/1M"] == 0.3
    assert table.loc["grok-4.3", "context"] == 1_000_000
    assert table.loc["grok-4.3", "aliases"] == "grok-4.3-latest"
    assert table.loc["grok-4.3", "input"] == "text, image"


def test_missing_prices_and_context_stay_empty_not_zero():
    listed = load_json("language_models.json")["models"]  # an older answer without a cached price
    del next(m for m in listed if m["id"] == "grok-build-0.1")["cached_prompt_text_token_price"]
    models = [from_language_model(LanguageModel.model_validate(m)) for m in listed]
    table = model_table(models).set_index("model")
    assert pd.isna(table.loc["grok-build-0.1", "cached input $/1M"])
    assert pd.isna(table.loc["grok-build-0.1", "context"])
    assert pd.isna(table.loc["grok-build-0.1", "aliases"])


def test_drop_empty_leaves_out_columns_no_model_fills():
    listed = [from_listed_model(Model(id="llama-3", created=1, owned_by="me"))]
    assert list(model_table(listed, drop_empty=True).columns) == ["model", "created", "owned by"]
    assert len(model_table(listed).columns) == 20
    assert list(model_table([], drop_empty=True).columns) == ["model"]


def test_created_is_a_utc_datetime():
    table = model_table(live_models()).set_index("model")
    assert table.loc["grok-3-mini", "created"] == pd.Timestamp("2025-04-04T00:00:00Z")


@pytest.mark.parametrize(("price", "per_thousand"), [(250_000_000, 25.0), (0, 0.0), (None, None)])
def test_search_price_is_usd_per_thousand_sources(price, per_thousand):
    assert usd_per_thousand_sources(price) == per_thousand


def test_search_price_column_uses_the_same_conversion():
    table = model_table(live_models()).set_index("model")
    assert table.loc["grok-4.3", "search $/1K sources"] == 25.0


def test_blended_price_weighs_three_input_to_one_output():
    # grok-4.3: (3 x 1.25 + 2.50) / 4 = 1.5625
    assert blended_usd_per_million(ModelPrices(input=12500, output=25000)) == 1.5625
    # 3 x $2.00 + $6.00 over 4 = $3.00
    assert blended_usd_per_million(ModelPrices(input=20000, output=60000)) == 3.0
    assert blended_usd_per_million(ModelPrices(input=20000)) is None


def test_embedding_and_listed_models_have_no_output_price():
    embedding = from_embedding_model(
        EmbeddingModel.model_validate(load_json("embedding_models.json")["models"][0])
    )
    assert embedding.kind == "embedding"
    assert embedding.prices.input == 1000 and embedding.prices.output is None
    listed = from_listed_model(Model(id="llama-3", owned_by="me"))
    assert listed.kind == "listed" and not listed.prices.known


def test_one_request_costs_what_the_formula_says():
    # 10,000 prompt tokens, 40% cached, 1,000 output tokens on grok-3-mini:
    # 6,000 x 3000 + 4,000 x 750 + 1,000 x 5000 = 26,000,000 ticks = $0.0026
    model = ModelInfo("grok-3-mini", prices=GROK_3_MINI)
    estimate = estimate_cost(model, UsageProfile(10_000, 0.4, 1_000, 250))
    assert estimate is not None
    assert estimate.ticks_per_request == 26_000_000
    assert estimate.per_request_usd == pytest.approx(0.0026)
    assert estimate.per_day_usd == pytest.approx(0.65)
    assert estimate.per_month_usd == pytest.approx(19.5)
    assert estimate.blended_usd_per_million == pytest.approx(0.35)
    assert not estimate.long_context_applied


def test_cached_share_rounds_to_whole_tokens():
    assert UsageProfile(999, 0.5, 0, 1).cached_tokens == 500
    assert UsageProfile(1000, 0.0, 0, 1).cached_tokens == 0


def test_missing_cached_price_bills_cached_tokens_at_the_input_price():
    model = ModelInfo("no-cache", prices=ModelPrices(input=10000, output=20000))
    estimate = estimate_cost(model, UsageProfile(1000, 0.5, 0, 1))
    assert estimate is not None and estimate.ticks_per_request == 1000 * 10000


def test_unknown_prices_give_no_estimate_and_are_left_out():
    unknown = ModelInfo("mystery", prices=ModelPrices(input=10000))
    assert estimate_cost(unknown, UsageProfile(100, 0, 100, 1)) is None
    assert estimate_costs([unknown], UsageProfile(100, 0, 100, 1)) == []


def test_estimates_are_sorted_cheapest_first():
    profile = UsageProfile(2_000, 0, 500, 1_000)
    ids = [e.model_id for e in estimate_costs(live_models(), profile)]
    assert ids == [
        "grok-3-mini",  # 2000 x 3000 + 500 x 5000 = 8.5M ticks
        "grok-build-0.1",  # 2000 x 10000 + 500 x 20000 = 30M
        "grok-4.3",  # 2000 x 12500 + 500 x 25000 = 37.5M
        "grok-4.20-0309-non-reasoning",  # 70M, tie broken by id
        "grok-4.20-0309-reasoning",
    ]


def test_estimate_marks_requests_billed_at_the_long_context_rate():
    model = ModelInfo("grok-4.3", prices=GROK_4_3)
    below = estimate_cost(model, UsageProfile(199_999, 0, 0, 1))
    above = estimate_cost(model, UsageProfile(200_000, 0, 0, 1))
    assert below is not None and above is not None
    assert (below.long_context_applied, above.long_context_applied) == (False, True)
    assert below.ticks_per_request == 199_999 * 12500
    assert above.ticks_per_request == 200_000 * 25000


def test_the_issue_request_costs_the_long_price_in_the_calculator():
    # 250,000 prompt tokens + 100 output on grok-4.3: 250,000 x 25000 + 100 x 50000 = $0.6255
    estimate = estimate_cost(
        ModelInfo("grok-4.3", prices=GROK_4_3), UsageProfile(250_000, 0, 100, 1)
    )
    assert estimate is not None and estimate.per_request_usd == pytest.approx(0.6255)


def test_tool_calls_add_their_fees_to_every_request():
    # 2 searches + 1 code execution at $5 per 1,000 = $0.015 on top of the tokens
    model = ModelInfo("grok-3-mini", prices=GROK_3_MINI)
    plain = estimate_cost(model, UsageProfile(10_000, 0.4, 1_000, 250))
    tools = estimate_cost(model, UsageProfile(10_000, 0.4, 1_000, 250, searches=2, code_runs=1))
    assert plain is not None and tools is not None
    assert tools.tool_ticks == 150_000_000 and plain.tool_ticks == 0
    assert tools.ticks_per_request == plain.ticks_per_request + 150_000_000
    assert cost_table([tools])["tool fees $/request"].tolist() == [pytest.approx(0.015)]


def test_a_prompt_longer_than_the_context_is_marked_and_never_ranked_cheapest():
    # grok-3-mini takes 131,072 tokens: it would be cheapest for 250,000, but cannot take them
    estimates = estimate_costs(live_models(), UsageProfile(250_000, 0, 100, 1))
    by_id = {e.model_id: e for e in estimates}
    assert not by_id["grok-3-mini"].fits and by_id["grok-4.3"].fits
    assert by_id["grok-build-0.1"].fits  # its context is not listed: not marked
    assert estimates[0].model_id != "grok-3-mini" and estimates[-1].model_id == "grok-3-mini"
    table = cost_table(estimates).set_index("model")
    assert not table.loc["grok-3-mini", "fits context"] and table.loc["grok-4.3", "fits context"]


def test_the_model_table_shows_the_long_context_prices_and_threshold():
    table = model_table([ModelInfo("grok-4.3", prices=GROK_4_3)]).set_index("model")
    assert table.loc["grok-4.3", "long context from"] == 200_000
    assert table.loc["grok-4.3", "long input $/1M"] == 2.5
    assert table.loc["grok-4.3", "long cached input $/1M"] == 0.4
    assert table.loc["grok-4.3", "long output $/1M"] == 5.0
    plain = model_table([ModelInfo("grok-3-mini", prices=GROK_3_MINI)], drop_empty=True)
    assert "long context from" not in plain.columns


@pytest.mark.parametrize(
    "args", [(-1, 0.0, 0, 0), (0, 0.0, -1, 0), (0, 0.0, 0, -5), (0, 1.5, 0, 0), (0, -0.1, 0, 0)]
)
def test_impossible_profiles_are_refused(args):
    with pytest.raises(ValueError, match=r"negative|fraction"):
        UsageProfile(*args)
    with pytest.raises(ValueError, match="negative"):
        UsageProfile(0, 0.0, 0, 0, searches=-1)


def test_filter_matches_id_or_alias_and_modality():
    models = live_models()
    assert [m.id for m in filter_models(models, "MINI-BETA")] == ["grok-3-mini"]
    assert [m.id for m in filter_models(models, "4.20-reasoning")] == ["grok-4.20-0309-reasoning"]
    assert "grok-3-mini" not in [m.id for m in filter_models(models, modality="image")]
    assert len(filter_models(models, "  ")) == len(models)


def test_csv_export_round_trips_the_cost_table():
    profile = UsageProfile(2_000, 0.25, 500, 1_000)
    results = cost_table(estimate_costs(live_models(), profile))
    back = pd.read_csv(io.BytesIO(table_csv(results)))
    assert back["model"].tolist() == results["model"].tolist()
    assert back["per month $"].tolist() == pytest.approx(results["per month $"].tolist())


def test_csv_export_writes_iso_dates():
    text = table_csv(model_table(live_models())).decode()
    assert "2025-04-04T00:00:00Z" in text
    assert text.splitlines()[0].startswith("model,context,input $/1M,cached input $/1M")
