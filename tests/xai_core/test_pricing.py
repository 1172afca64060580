"""Prices and cost: one conversion each way, ticks preferred, reasoning never counted twice."""

from __future__ import annotations

import pytest

from tests.xai_core.conftest import fixture_json
from xai_core import LanguageModel, ModelPrices, Usage, cost_in_ticks, cost_in_usd
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
