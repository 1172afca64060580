"""Turns, messages, request bodies, the session ledger and the context bar."""

from __future__ import annotations

import base64

from playground.chat.conversation import (
    ReplyStats,
    SessionLedger,
    Turn,
    context_fill,
    image_data_url,
    to_messages,
)
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


def test_messages_carry_images_tool_calls_and_tool_results() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    turns = [
        Turn("user", "What is this?", images=["https://example.com/a.png"]),
        Turn("assistant", "", tool_calls=[call]),
        Turn("tool", "42", tool_call_id="c1"),
        Turn("assistant", "", error="failed"),  # nothing came: not sent
    ]
    assert to_messages("Be brief.", turns) == [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            ],
        },
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
    ]


def test_image_data_url_is_base64() -> None:
    url = image_data_url(b"\x89PNG", "image/png")
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == b"\x89PNG"


def test_ledger_adds_tokens_and_cost_and_counts_unknown_cost() -> None:
    ledger = SessionLedger()
    ledger.add(ReplyStats(usage=USAGE, cost_usd=0.5))
    ledger.add(ReplyStats(usage=USAGE, cost_usd=None))
    assert ledger.total_tokens == 2 * (213 + 200)
    assert ledger.cost_usd == 0.5
    assert (
        ledger.line() == "2 replies · 826 tokens (426 in, 400 out) · $0.500000 (1 of unknown cost)"
    )


def test_context_fill_uses_the_last_usage() -> None:
    turns = [Turn("user", "hi"), Turn("assistant", "Olá", stats=ReplyStats(usage=USAGE))]
    assert context_fill(turns, 1000) == (215, 0.215)
    assert context_fill(turns, None) is None
    assert context_fill([Turn("user", "hi")], 1000) is None


def test_redraw_clock_is_due_at_most_once_per_interval(monkeypatch):
    import playground.chat.conversation as conversation

    now = [100.0]
    monkeypatch.setattr(conversation.time, "monotonic", lambda: now[0])
    clock = conversation.RedrawClock(0.05)
    assert clock.due()  # the first piece is drawn at once
    now[0] += 0.01
    assert not clock.due()
    now[0] += 0.05
    assert clock.due()
    assert not clock.due()
