"""A conversation as the store keeps it: every field back after a trip through JSON, its title,
its search text and its digest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.chat.conversation import Turn
from playground.chat.saved import (
    FORMAT,
    body_digest,
    from_body,
    search_text,
    title_of,
    to_body,
)
from playground.core.replies import ReplyStats
from tests.properties import REPEATABLE
from xai_core import Usage

CALL = {"id": "c1", "type": "function", "function": {"name": "weather", "arguments": '{"a": 1}'}}
USAGE = Usage.model_validate(
    {
        "prompt_tokens": 213,
        "completion_tokens": 2,
        "total_tokens": 413,
        "prompt_tokens_details": {"cached_tokens": 192},
        "completion_tokens_details": {"reasoning_tokens": 198},
        "cost_in_usd_ticks": 3080400,
        "server_says": "kept",  # a field the server adds later is kept too
    }
)
STATS = ReplyStats("grok-3-mini", USAGE, 0.000308, 0.41, 51.5, "stop")
TURNS = [
    Turn(
        "user",
        "  What is the\nweather?  ",
        images=["data:image/png;base64,AAAA", "https://x.ai/a.png"],
        image_detail="low",
        created=1.5,
    ),
    Turn("assistant", "", reasoning="Think.", tool_calls=[CALL], stats=STATS, created=2.0),
    Turn("tool", "sunny", tool_call_id="c1", created=3.0),
    Turn(
        "assistant",
        "B",
        alternatives=["A", "B"],
        stats=STATS,
        created=4.0,
        logprobs=[{"token": "B", "logprob": -0.1, "bytes": [66], "top_logprobs": []}],
    ),
    Turn("user", "more", created=5.0),
    Turn("assistant", "par", stopped=True, error="cut", rejected_parameter="stop", created=6.0),
    Turn("user", "search it", created=7.0),
    Turn(  # a Responses reply: its stored id, chain, items to resend, tool calls and citations
        "assistant",
        "Found [[1]](https://x.ai/).",
        api="responses",
        response_id="resp_1",
        chain="0123456789abcdef",
        replay_items=[
            {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "Hfq+"},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text"}]},
        ],
        tool_activity=[
            {
                "kind": "web_search",
                "status": "completed",
                "query": "x",
                "sources": ["https://x.ai/"],
            }
        ],
        citations=[{"url": "https://x.ai/", "title": "xAI"}],
        offer="resend_history",
        stats=STATS,
        created=8.0,
    ),
]
PARAMS = {"temperature": 0.5, "tools": [{"type": "function", "function": {"name": "weather"}}]}


def test_every_field_of_every_turn_comes_back() -> None:
    body = to_body("grok-3-mini", PARAMS, "Be brief.", TURNS)
    back = from_body(json.loads(json.dumps(body)))  # as a database gives it back
    assert back.model == "grok-3-mini"
    assert back.parameters == PARAMS
    assert back.system_prompt == "Be brief."
    assert back.turns == TURNS
    stats = back.turns[1].stats
    assert stats is not None and stats.usage is not None
    assert stats.usage.cached_tokens == 192 and stats.usage.reasoning_tokens == 198
    assert stats.line() == STATS.line()
    assert (stats.usage.model_extra or {})["server_says"] == "kept"


def test_the_body_is_plain_json_and_a_copy() -> None:
    params: dict[str, Any] = {"stop": ["a"]}
    body = to_body("m", params, "", TURNS)
    assert body["format"] == FORMAT
    assert json.loads(json.dumps(body)) == body
    params["stop"].append("b")
    assert body["parameters"] == {"stop": ["a"]}


def test_an_empty_conversation_round_trips() -> None:
    back = from_body(to_body("", {}, "", []))
    assert (back.model, back.parameters, back.system_prompt, back.turns) == ("", {}, "", [])


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ([], "wrong type"),
        ({"format": "other/1"}, "not a saved conversation"),
        ({"format": FORMAT, "turns": {}}, "turns has the wrong type"),
        ({"format": FORMAT, "turns": [{"role": "system"}]}, "turn 1 has an unknown role"),
        ({"format": FORMAT, "turns": [{"role": "user", "content": 3}]}, "turn 1"),
        ({"format": FORMAT, "turns": [{"role": "user", "images": "x"}]}, "turn 1"),
        (
            {"format": FORMAT, "turns": [{"role": "assistant", "stats": {"cost_usd": True}}]},
            "turn 1's stats",
        ),
    ],
)
def test_a_body_of_another_shape_is_refused_in_plain_words(body: Any, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        from_body(body)


def test_the_title_is_the_first_user_message_on_one_line() -> None:
    assert title_of(TURNS) == "What is the weather?"
    assert title_of([]) == "New chat"
    assert title_of([Turn("user", "   ")]) == "New chat"
    long = title_of([Turn("user", "word " * 50)], length=20)
    assert len(long) == 20 and long.endswith("…")


def test_search_text_holds_the_words_not_the_images() -> None:
    text = search_text("Be brief.", TURNS)
    for words in ("Be brief.", "weather?", "Think.", "weather", '{"a": 1}', "sunny", "A", "par"):
        assert words in text
    assert "base64" not in text


def test_the_digest_tells_changed_from_unchanged() -> None:
    body = to_body("m", PARAMS, "s", TURNS)
    again = json.loads(json.dumps(body, sort_keys=True))
    assert body_digest(body) == body_digest(again)
    changed = to_body("m", PARAMS, "s", [*TURNS, Turn("user", "x", created=7.0)])
    assert body_digest(changed) != body_digest(body)
    assert body_digest(to_body("m", {"temperature": 0.6}, "s", TURNS)) != body_digest(body)


# --- property: any conversation survives the trip ---

_text = st.text(max_size=30)
_number = st.floats(allow_nan=False, allow_infinity=False, width=64)
_maybe_number = st.none() | _number
_usage = st.builds(
    lambda p, c, cached, reasoning: Usage.model_validate(
        {
            "prompt_tokens": p,
            "completion_tokens": c,
            "total_tokens": p + c + reasoning,
            "prompt_tokens_details": {"cached_tokens": cached},
            "completion_tokens_details": {"reasoning_tokens": reasoning},
        }
    ),
    *[st.integers(0, 10**6)] * 4,
)
_stats = st.builds(
    ReplyStats,
    model=_text,
    usage=st.none() | _usage,
    cost_usd=_maybe_number,
    time_to_first_token_s=_maybe_number,
    tokens_per_second=_maybe_number,
    finish_reason=st.none() | _text,
)
_call = st.fixed_dictionaries(
    {
        "id": _text,
        "type": st.just("function"),
        "function": st.fixed_dictionaries({"name": _text, "arguments": _text}),
    }
)
_turn = st.builds(
    Turn,
    role=st.sampled_from(["user", "assistant", "tool"]),
    content=_text,
    reasoning=_text,
    stats=st.none() | _stats,
    stopped=st.booleans(),
    error=st.none() | _text,
    created=_number,
    alternatives=st.lists(_text, max_size=3),
    images=st.lists(_text, max_size=2),
    tool_calls=st.lists(_call, max_size=2),
    tool_call_id=st.none() | _text,
    rejected_parameter=st.none() | _text,
)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | _number | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)


@settings(REPEATABLE, max_examples=150)
@given(
    model=_text,
    parameters=st.dictionaries(_text, _json, max_size=4),
    system_prompt=_text,
    turns=st.lists(_turn, max_size=5),
)
def test_any_conversation_survives_a_trip_through_json(
    model: str, parameters: dict[str, Any], system_prompt: str, turns: list[Turn]
) -> None:
    body = to_body(model, parameters, system_prompt, turns)
    stored = json.loads(json.dumps(body))
    back = from_body(stored)
    assert (back.model, back.system_prompt, back.turns) == (model, system_prompt, turns)
    assert back.parameters == parameters
    assert body_digest(to_body(back.model, back.parameters, back.system_prompt, back.turns)) == (
        body_digest(body)
    )
