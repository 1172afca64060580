"""Prices and cost: one conversion each way, ticks preferred, reasoning never counted twice."""

from __future__ import annotations

import pytest

from tests.xai_core.conftest import fixture_json
from xai_core import (
    TOOL_FEE_TICKS,
    CostBreakdown,
    LanguageModel,
    Model,
    ModelPrices,
    Usage,
    cost_breakdown,
    cost_in_ticks,
    cost_in_usd,
    tool_fees_in_ticks,
)
from xai_core.pricing import ticks_to_usd, usd_per_million


@pytest.mark.parametrize(
    ("price", "usd"), [(20000, 2.0), (7500, 0.75), (150000, 15.0), (12500, 1.25), (0, 0.0)]
)
def test_price_integers_are_cents_per_100m_tokens(price, usd):
    assert usd_per_million(price) == usd


def test_missing_prices_stay_unknown():
    assert usd_per_million(None) is None
    assert ticks_to_usd(None) is None


def test_ticks_are_1e_minus_10_usd():
    assert ticks_to_usd(10_000_000_000) == 1.0
    assert ticks_to_usd(731000) == pytest.approx(0.0000731)


def usage(prompt, cached, completion, reasoning, total=None, ticks=None) -> Usage:
    return Usage.model_validate(
        {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": total if total is not None else prompt + completion + reasoning,
            "prompt_tokens_details": {"cached_tokens": cached},
            "completion_tokens_details": {"reasoning_tokens": reasoning},
            **({"cost_in_usd_ticks": ticks} if ticks is not None else {}),
        }
    )


def test_formula_reproduces_recorded_ticks_for_grok_4_fast():
    prices = ModelPrices(input=2000, cached_input=500, output=5000)  # $0.20 / $0.05 / $0.50
    assert cost_in_ticks(usage(165, 156, 2, 125), prices) == 731000


def test_formula_reproduces_recorded_ticks_for_grok_code_fast():
    prices = ModelPrices(input=2000, cached_input=200, output=15000)  # $0.20 / $0.02 / $1.50
    assert cost_in_ticks(usage(213, 192, 2, 198), prices) == 3080400


def test_recorded_chat_usage_ticks_win_over_prices():
    recorded = Usage.model_validate(fixture_json("chat_completion.json")["usage"])
    absurd = ModelPrices(input=10**9, output=10**9)
    assert cost_in_ticks(recorded, absurd) == 731000
    assert cost_in_usd(recorded) == pytest.approx(0.0000731)


def test_openai_style_usage_does_not_double_count_reasoning():
    # llama.cpp / vLLM: reasoning is inside completion_tokens, total = prompt + completion
    openai_style = usage(100, 0, 50, 30, total=150)
    assert openai_style.reasoning_in_completion
    assert openai_style.output_tokens == 50
    assert openai_style.answer_tokens == 20
    xai_style = usage(100, 0, 50, 30)
    assert not xai_style.reasoning_in_completion
    assert xai_style.output_tokens == 80
    assert xai_style.answer_tokens == 50
    prices = ModelPrices(input=10, output=100)
    assert cost_in_ticks(openai_style, prices) == 100 * 10 + 50 * 100
    assert cost_in_ticks(xai_style, prices) == 100 * 10 + 80 * 100


def test_cached_tokens_without_a_cached_price_are_billed_as_input():
    prices = ModelPrices(input=10, output=100)
    assert cost_in_ticks(usage(100, 40, 0, 0), prices) == 100 * 10


def test_cost_is_unknown_without_ticks_or_prices():
    assert cost_in_usd(usage(10, 0, 10, 0)) is None
    assert cost_in_usd(usage(10, 0, 10, 0), ModelPrices(input=5)) is None


def test_language_model_prices_feed_the_cost():
    model = LanguageModel.model_validate(fixture_json("language_model_grok-3-mini.json"))
    prices = model.prices
    assert (prices.input, prices.cached_input, prices.output) == (3000, 750, 5000)
    assert cost_in_usd(usage(1_000_000, 0, 0, 0), prices) == pytest.approx(0.30)
    assert cost_in_usd(usage(0, 0, 1_000_000, 0), prices) == pytest.approx(0.50)


# --- long-context tier and server-side tool fees --------------------------------------------------

#: grok-4.3: $1.25 / $0.20 / $2.50, x2 from 200,000 prompt tokens.
GROK_4_3 = ModelPrices(
    input=12500,
    cached_input=2000,
    output=25000,
    input_long_context=25000,
    cached_input_long_context=4000,
    output_long_context=50000,
    long_context_threshold=200_000,
)
WEB_SEARCH_USAGE = {  # a recorded Responses usage (web search, 2026), in chat shape
    "prompt_tokens": 4144,
    "completion_tokens": 49,
    "total_tokens": 4193,
    "prompt_tokens_details": {"cached_tokens": 1920},
    "completion_tokens_details": {"reasoning_tokens": 0},
    "num_server_side_tools_used": 2,
    "server_side_tool_usage_details": {
        "web_search_calls": 2,
        "x_search_calls": 0,
        "code_interpreter_calls": 0,
        "file_search_calls": 0,
        "mcp_calls": 0,
        "document_search_calls": 0,
    },
}


def test_the_tier_applies_from_its_threshold_and_falls_back_to_standard_prices():
    assert GROK_4_3.for_prompt(199_999) is GROK_4_3
    assert GROK_4_3.for_prompt(200_000) == ModelPrices(25000, 4000, 50000)
    partial = ModelPrices(10, 2, 30, 5, input_long_context=20, long_context_threshold=100)
    assert partial.for_prompt(100) == ModelPrices(20, 2, 30, 5)  # no long cached/output: standard
    assert not ModelPrices(10, 2, 30, long_context_threshold=100).has_long_context
    assert ModelPrices(10, 2, 30).for_prompt(10**9) == ModelPrices(10, 2, 30)


def test_a_long_prompt_without_ticks_is_priced_at_the_long_context_tier():
    # the issue: 250,000 prompt tokens + 100 output on grok-4.3, no cost_in_usd_ticks
    long = usage(250_000, 0, 100, 0)
    assert cost_in_ticks(long, GROK_4_3) == 6_255_000_000
    assert cost_in_usd(long, GROK_4_3) == pytest.approx(0.6255)
    assert cost_in_usd(long, ModelPrices(12500, 2000, 25000)) == pytest.approx(0.31275)


def test_tool_fees_are_per_call_by_kind():
    assert TOOL_FEE_TICKS["web_search_calls"] == 50_000_000  # $5 per 1,000
    assert tool_fees_in_ticks({"web_search_calls": 2, "x_search_calls": 1}) == 150_000_000
    assert tool_fees_in_ticks({"file_search_calls": 1, "document_search_calls": 1}) == 125_000_000
    assert tool_fees_in_ticks({"x_posts_fetched": 30, "mcp_calls": 2}) == 0  # no published rate
    assert tool_fees_in_ticks(None) == tool_fees_in_ticks({}) == 0


def test_the_formula_with_tool_fees_reproduces_the_recorded_web_search_ticks():
    recorded = Usage.model_validate(WEB_SEARCH_USAGE)
    assert recorded.num_server_side_tools_used == 2
    assert cost_in_ticks(recorded, GROK_4_3) == 132_865_000
    estimated = cost_breakdown(recorded, GROK_4_3)
    assert estimated == CostBreakdown(132_865_000, 32_865_000, 100_000_000, billed=False)


def test_billed_ticks_win_and_are_split_into_tokens_and_tool_fees():
    billed = Usage.model_validate(WEB_SEARCH_USAGE | {"cost_in_usd_ticks": 132_865_000})
    breakdown = cost_breakdown(billed, None)
    assert breakdown == CostBreakdown(132_865_000, 32_865_000, 100_000_000, billed=True)
    assert breakdown is not None and breakdown.total_usd == pytest.approx(0.0132865)
    assert cost_breakdown(usage(10, 0, 10, 0), None) is None


def test_model_entries_carry_the_tier_and_zero_means_none():
    tiered = {
        "prompt_text_token_price_long_context": 25000,
        "cached_prompt_text_token_price_long_context": 0,
        "completion_text_token_price_long_context": 50000,
        "long_context_threshold": 200_000,
    }
    base = fixture_json("language_model_grok-3-mini.json")
    prices = LanguageModel.model_validate(base | tiered).prices
    assert prices.long_context_threshold == 200_000 and prices.cached_input_long_context is None
    zero = LanguageModel.model_validate(base | dict.fromkeys(tiered, 0)).prices
    assert zero == ModelPrices(3000, 750, 5000, 0) and not zero.has_long_context
    listed = Model.model_validate({"id": "m", "aliases": ["n"], **tiered})
    assert listed.aliases == ["n"] and listed.prices.long_context_threshold == 200_000
