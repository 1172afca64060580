"""The columns of a compare run: labels, overrides, and what each model is sent."""

from __future__ import annotations

from playground.chat.compare import OVERRIDES, compared_column, main_column
from playground.core.catalog import ModelInfo
from playground.core.params import CHAT, fields

LOCAL = ModelInfo("qwen", reasoning_efforts=(), takes_tools=False)
PARAMS = {"temperature": 0.2, "seed": 1, "tools": [{"type": "function"}], "top_p": 0.9}


def test_overrides_are_chat_fields() -> None:
    assert set(OVERRIDES) <= set(fields(CHAT))


def test_the_main_column_is_the_model_with_the_panel_parameters() -> None:
    column = main_column(ModelInfo("grok-4.3"), {"seed": 3})
    assert (column.label, column.params) == ("grok-4.3", {"seed": 3})


def test_a_model_against_itself_gets_its_overrides_and_says_so() -> None:
    column = compared_column(LOCAL, PARAMS, {"temperature": 1.5, "seed": None}, again=True)
    assert column.params == {"temperature": 1.5, "seed": 1, "top_p": 0.9}  # no tools: rejected
    assert column.label == "qwen · temperature 1.5"
    same = compared_column(LOCAL, PARAMS, {}, again=True)
    assert same.label == "qwen · again" and same.params["temperature"] == 0.2


def test_another_model_is_labelled_by_its_id_and_sent_what_it_takes() -> None:
    other = compared_column(ModelInfo("grok-3-mini"), {**PARAMS, "stop": ["x"]}, {}, again=False)
    assert other.label == "grok-3-mini"
    assert "stop" not in other.params and other.params["tools"] == [{"type": "function"}]
    tuned = compared_column(ModelInfo("m"), PARAMS, {"max_completion_tokens": 64}, again=False)
    assert tuned.label == "m · max_completion_tokens 64"


def test_a_column_leaves_out_what_its_model_does_not_take_and_says_so() -> None:
    params = {"reasoning_effort": "high", "temperature": 0.2}
    fast = compared_column(ModelInfo("grok-4-fast-non-reasoning"), params, {}, again=False)
    assert fast.params == {"temperature": 0.2}
    assert fast.left_out_note == (
        "left out: reasoning_effort (grok-4-fast-non-reasoning does not take it)"
    )
    low = ModelInfo("thinker", reasoning_efforts=("low",))
    assert "reasoning_effort" not in compared_column(low, params, {}, again=False).params
    taker = compared_column(ModelInfo("grok-4.3"), params, {}, again=False)
    assert taker.params == params and taker.left_out_note is None
