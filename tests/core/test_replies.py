"""A reply's stats line: tokens and cost from the model's prices."""

from __future__ import annotations

from playground.core.replies import ReplyStats
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
