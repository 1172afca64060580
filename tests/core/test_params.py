"""The one parameter table: which endpoint takes what, ranges, stop parsing, loading imported
values into widget state and reading them back, and the rule that unset is not sent."""

from __future__ import annotations

from typing import Any

import pytest

from playground.core.param_state import (
    UNSET,
    read_values,
    tool_names,
    unset_widget_value,
    widget_keys,
    widget_values,
)
from playground.core.params import (
    CHAT,
    COMPLETIONS,
    FIELDS,
    MAX_STOP_SEQUENCES,
    Kind,
    fields,
    load_values,
    parse_stop,
    sent_parameters,
    validate_params,
)
from xai_core import ChatParams, CompletionParams

KEY = widget_keys("p_")
TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]


def test_each_endpoint_gets_its_own_fields() -> None:
    chat, completions = fields(CHAT), fields(COMPLETIONS)
    assert "max_completion_tokens" in chat and "max_tokens" not in chat
    assert "max_tokens" in completions and "max_completion_tokens" not in completions
    assert chat["logprobs"].kind is Kind.BOOL and completions["logprobs"].kind is Kind.INT
    assert {"best_of", "echo", "logit_bias"} <= set(completions) - set(chat)
    assert {"tools", "tool_choice", "response_format", "reasoning_effort", "top_logprobs"} <= (
        set(chat) - set(completions)
    )
    shared = {"temperature", "top_p", "presence_penalty", "frequency_penalty", "seed", "stop"}
    assert shared | {"n", "user"} <= set(chat) & set(completions)


def test_every_field_is_a_parameter_the_client_sends_and_says_what_unset_does() -> None:
    assert set(fields(CHAT)) <= set(ChatParams.__annotations__)
    assert set(fields(COMPLETIONS)) <= set(CompletionParams.__annotations__)
    for field in FIELDS:
        assert field.help and field.default
        assert field.default in field.help_text and field.help in field.help_text
    names = [(endpoint, f.name) for f in FIELDS for endpoint in f.endpoints]
    assert len(names) == len(set(names))  # one field per name and endpoint


@pytest.mark.parametrize(
    ("endpoint", "params", "message"),
    [
        (CHAT, {"temperature": 2.5}, "temperature must be at most 2, not 2.5"),
        (COMPLETIONS, {"top_p": -0.1}, "top_p must be at least 0"),
        (CHAT, {"max_completion_tokens": 0}, "max_completion_tokens must be at least 1"),
        (CHAT, {"n": 1.5}, "n must be a whole number"),
        (CHAT, {"top_logprobs": 9}, "top_logprobs must be at most 8"),
        (COMPLETIONS, {"logprobs": 6}, "logprobs must be at most 5"),
        (CHAT, {"logprobs": 3}, "logprobs must be true or false"),
        (COMPLETIONS, {"logprobs": True}, "logprobs must be a number"),
        (COMPLETIONS, {"temperature": float("nan")}, "finite"),
        (CHAT, {"reasoning_effort": "max"}, "reasoning_effort must be one of low, medium"),
        (CHAT, {"best_of": 2}, "Unknown parameter 'best_of'"),
        (COMPLETIONS, {"tools": TOOLS}, "Unknown parameter 'tools'"),
        (COMPLETIONS, {"n": 3, "best_of": 2}, "best_of \\(2\\) must be at least n \\(3\\)"),
        (CHAT, {"stop": ["a", "b", "c", "d", "e"]}, "At most 4 stop sequences, not 5"),
        (CHAT, {"stop": 3}, "stop must be a string or a list of strings"),
        (CHAT, {"tools": [{"type": "function"}]}, 'tools, .*tool 1 has no "function" object'),
        (CHAT, {"response_format": {"type": "xml"}}, "response_format must be an object"),
        (CHAT, {"tool_choice": "always"}, "tool_choice must be one of auto, none, required"),
    ],
)
def test_values_out_of_range_or_of_the_wrong_kind_are_named(
    endpoint: Any, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        validate_params(params, endpoint)


def test_validation_normalises_and_drops_what_is_unset() -> None:
    assert validate_params(
        {"max_tokens": 8.0, "temperature": 1, "seed": None, "stop": "END"}, COMPLETIONS
    ) == {"max_tokens": 8, "temperature": 1.0, "stop": ["END"]}
    assert validate_params({"stop": ["", ""]}, CHAT) == {}  # no sequences: not sent
    assert validate_params({"max_tokens": 5}, CHAT) == {"max_completion_tokens": 5}  # an alias


def test_stop_is_one_per_line_with_escapes_and_at_most_four() -> None:
    assert parse_stop("") is None
    assert parse_stop("END\n\n\\n\\n\n\\t") == ["END", "\n\n", "\t"]
    assert parse_stop("\n".join("abcd")) == list("abcd")
    with pytest.raises(ValueError, match=f"At most {MAX_STOP_SEQUENCES} stop sequences, not 5"):
        parse_stop("a\nb\nc\nd\ne")


def test_unset_is_not_sent() -> None:
    values = {"temperature": 0.0, "stop": ["x"], "seed": None, "user": "u"}
    assert sent_parameters(values, ["stop"]) == {"temperature": 0.0, "user": "u"}
    chat = fields(CHAT).values()
    unset = {KEY(f.name): unset_widget_value(f) for f in chat}
    assert read_values(chat, unset, KEY) == ({}, {})
    assert read_values(chat, {}, KEY) == ({}, {})  # widgets not drawn yet: nothing either
    assert widget_values(chat, {}, KEY) == unset


def test_an_import_is_loaded_into_the_widgets_and_read_back_the_same() -> None:
    imported = {
        "temperature": 0.4,
        "max_tokens": 12,  # chat's old name for max_completion_tokens
        "stop": ["END\n", "\t"],
        "logprobs": True,
        "reasoning_effort": "low",
        "response_format": {"type": "json_schema", "json_schema": {"type": "object"}},
        "tools": TOOLS,
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "user": "alice",
        "best_of": 3,  # completions only
        "temperature_2": 1,  # unknown
        "seed": "seven",  # invalid
    }
    values, skipped = load_values(imported, CHAT)
    assert skipped == ["best_of", "temperature_2", "seed"]
    chat = fields(CHAT).values()
    state = widget_values(chat, values, KEY)
    assert state["p_max_completion_tokens"] == 12
    assert state["p_stop"] == "END\\n\n\\t"
    assert state["p_logprobs"] == "true"
    assert state["p_response_format"] == "json_schema"
    assert state["p_tool_choice"] == "get_weather"
    assert state["p_seed"] is None and state["p_top_p"] is None and state["p_n"] is None
    params, errors = read_values(chat, state, KEY)
    assert errors == {}
    assert params == {
        "temperature": 0.4,
        "max_completion_tokens": 12,
        "stop": ["END\n", "\t"],
        "logprobs": True,
        "reasoning_effort": "low",
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "response", "schema": {"type": "object"}},
        },
        "tools": TOOLS,
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "user": "alice",
    }


def test_a_preset_round_trips_through_the_completions_form() -> None:
    preset = {"logit_bias": {"42": -100.0}, "echo": False, "logprobs": 3, "n": 2, "best_of": 2}
    shown = fields(COMPLETIONS).values()
    state = widget_values(shown, preset, KEY)
    assert state["p_logit_bias"] == '{"42": -100.0}' and state["p_echo"] == "false"
    assert read_values(shown, state, KEY) == (preset, {})


def test_bad_entries_give_one_message_per_field_naming_it() -> None:
    shown = fields(COMPLETIONS).values()
    state = {
        "p_stop": "a\nb\nc\nd\ne",
        "p_logit_bias": '{"42": oops}',
        "p_n": 3,
        "p_best_of": 2,
        "p_temperature": 0.5,
    }
    params, errors = read_values(shown, state, KEY)
    assert params == {"temperature": 0.5, "n": 3, "best_of": 2}
    assert errors == {
        "stop": "At most 4 stop sequences, not 5",
        "logit_bias": "logit_bias is not valid JSON: Expecting value (line 1)",
        "best_of": "best_of (2) must be at least n (3)",
    }
    chat = fields(CHAT).values()
    _, errors = read_values(chat, {"p_tools": "[{", "p_response_format": "json_schema"}, KEY)
    assert errors["tools"].startswith("tools, line 1, column 3:")
    assert errors["response_format"].startswith("JSON schema, line 1, column 1:")


def test_rejected_parameters_are_neither_read_nor_checked() -> None:
    chat = fields(CHAT).values()
    state = {"p_stop": "a\nb\nc\nd\ne", "p_presence_penalty": 1.0, "p_temperature": 0.2}
    rejected = {"stop": "no", "presence_penalty": "no"}
    assert read_values(chat, state, KEY, rejected) == ({"temperature": 0.2}, {})


def test_tool_choice_offers_the_tools_typed() -> None:
    assert tool_names('[{"name": "a"}, {"function": {"name": "b"}}]') == ["a", "b"]
    assert tool_names("[{") == [] and tool_names("  ") == []
    chat = fields(CHAT).values()
    state = {"p_tools": '[{"name": "a"}]', "p_tool_choice": "required"}
    assert read_values(chat, state, KEY)[0]["tool_choice"] == "required"
    assert read_values(chat, {**state, "p_tool_choice": UNSET}, KEY)[0].get("tool_choice") is None


def test_widget_keys_follow_the_prefix_except_where_renamed() -> None:
    key = widget_keys("chat_", {"max_completion_tokens": "chat_max_tokens"})
    assert key("temperature") == "chat_temperature"
    assert key("max_completion_tokens") == "chat_max_tokens"


def test_every_field_reads_in_words_with_its_default_and_range() -> None:
    """Issue 17: human labels (no raw API names), the default an empty widget shows, and help
    naming the API field and its range."""
    for field in FIELDS:
        assert field.label and "_" not in field.label and field.label[0].isupper(), field.name
        assert field.shown_default and len(field.shown_default) <= 12, field.name  # fits a box
        assert f"`{field.name}`" in field.help_text
        if field.minimum is not None:
            assert field.range_text in field.help_text
    temperature = fields(CHAT)["temperature"]
    assert (temperature.label, temperature.shown_default) == ("Temperature", "1")
    assert temperature.range_text == "From 0 to 2." and temperature.unset_choice == "1 (default)"
    assert fields(CHAT)["max_completion_tokens"].range_text == "At least 1."
    assert fields(CHAT)["seed"].range_text == "" and fields(CHAT)["seed"].shown_default == "random"
    labels = [(endpoint, f.label) for f in FIELDS for endpoint in f.endpoints]
    assert len(labels) == len(set(labels))  # one field per label and endpoint
