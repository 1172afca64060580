"""A reply's stats line: tokens and cost from the model's prices."""

from __future__ import annotations

from playground.core.replies import ReplyStats, stats_body, stats_from_body
from xai_core import ModelPrices, StreamStats, Usage

USAGE = Usage.model_validate(
    {
        "prompt_tokens": 213,
        "completion_tokens": 2,
        "total_tokens": 413,
        "prompt_tokens_details": {"cached_tokens": 192},
        "completion_tokens_details": {"reasoning_tokens": 198},
    }
)
MINI = ModelPrices(input=3000, cached_input=750, output=5000)


def test_cost_from_prices_when_there_are_no_ticks() -> None:
    stats = ReplyStats.from_stream("grok-3-mini", USAGE, StreamStats(), "stop", MINI)
    # 21 uncached × $0.30/M + 192 cached × $0.075/M + 200 out × $0.50/M
    assert stats.cost_usd is not None
    assert abs(stats.cost_usd - (21 * 0.30 + 192 * 0.075 + 200 * 0.50) / 1e6) < 1e-12
    assert "$0.000121" in stats.line()


def test_cost_unknown_without_ticks_or_prices() -> None:
    stats = ReplyStats.from_stream("m", USAGE, StreamStats(), None, ModelPrices())
    assert "cost unknown" in stats.line()


def test_a_long_prompt_is_priced_at_the_long_context_tier() -> None:
    grok = ModelPrices(12500, 2000, 25000, None, 25000, 4000, 50000, 200_000)
    long = Usage(prompt_tokens=250_000, completion_tokens=100, total_tokens=250_100)
    stats = ReplyStats.from_stream("grok-4.3", long, StreamStats(), "stop", grok)
    assert "$0.626 estimated" in stats.line() and stats.tool_cost_usd is None


def test_tool_fees_are_shown_apart_and_kept_in_the_stats_body() -> None:
    searched = USAGE.model_copy(update={"server_side_tool_usage_details": {"web_search_calls": 2}})
    stats = ReplyStats.from_stream("grok-3-mini", searched, StreamStats(), "stop", MINI)
    assert stats.tool_cost_usd == 0.01
    assert "≈ $0.0101 estimated: $0.000121 tokens + $0.01 tools (2 web searches)" in stats.line()
    again = stats_from_body(stats_body(stats), "stats")
    assert again is not None and again.tool_cost_usd == 0.01 and again.line() == stats.line()
    assert stats_from_body({"model": "m"}, "stats") == ReplyStats(model="m")  # older bodies
