"""Which parameters a model rejects (from its capabilities, else its name), which one a 400
names, and the reasoning efforts a model offers."""

from __future__ import annotations

import pytest

from playground.core.catalog import (
    TOOLS_REJECTED,
    ModelInfo,
    default_model,
    fields_for_model,
    reasoning_efforts,
    rejected_parameters,
    unaccepted,
)
from playground.core.params import CHAT, parameter_named_in_error


def named(model_id: str) -> dict[str, str]:
    """What a model the server says nothing about rejects: xAI's name rules."""
    return rejected_parameters(ModelInfo(model_id))


@pytest.mark.parametrize(
    "model",
    ["grok-4.20-0309-reasoning", "grok-4-0709", "grok-code-fast-1", "grok-4-1-fast-reasoning",
     "grok-build-0.1"],
)  # fmt: skip
def test_reasoning_models_reject_penalties_stop_and_effort(model: str) -> None:
    rejected = named(model)
    assert set(rejected) == {"presence_penalty", "frequency_penalty", "stop", "reasoning_effort"}
    assert all(reason for reason in rejected.values())


@pytest.mark.parametrize(
    ("model", "efforts"),
    [
        ("grok-3-mini", ("low", "high")),
        ("grok-4.3", ("none", "low", "medium", "high")),
        ("grok-4", ("none", "low", "medium", "high")),  # grok-4 is grok-4.3 since June 2026
        ("grok-4.20-multi-agent", ("low", "medium", "high", "xhigh")),
    ],
)
def test_reasoning_models_that_take_an_effort_by_name(model: str, efforts: tuple[str]) -> None:
    assert set(named(model)) == {"presence_penalty", "frequency_penalty", "stop"}
    assert reasoning_efforts(ModelInfo(model)) == efforts


def test_non_reasoning_models_reject_only_the_effort() -> None:
    rejected = named("grok-4-fast-non-reasoning")
    assert rejected == {"reasoning_effort": "grok-4-fast-non-reasoning does not take it"}
    assert set(named("grok-4.20-0309-non-reasoning")) == {"reasoning_effort"}


@pytest.mark.parametrize("model", ["gemma-3-270m", "llama3", "grok-2-1212"])
def test_unknown_models_have_nothing_disabled(model: str) -> None:
    assert named(model) == {}
    assert reasoning_efforts(ModelInfo(model)) is None


def test_a_model_without_tool_calls_rejects_tools_and_tool_choice_with_the_reason() -> None:
    local = ModelInfo("qwen2.5-coder-0.5b-instruct", reasoning_efforts=(), takes_tools=False)
    rejected = rejected_parameters(local)
    assert rejected["tools"] == rejected["tool_choice"] == TOOLS_REJECTED
    assert "write them as text" in TOOLS_REJECTED
    assert "reasoning_effort" in rejected  # an empty list: no effort at all


def test_grok_4_3_listing_its_efforts_keeps_the_effort_and_rejects_penalties() -> None:
    listed = ModelInfo("grok-4.3", reasoning_efforts=("none", "low", "medium", "high"))
    assert "reasoning_effort" not in rejected_parameters(listed)
    assert set(rejected_parameters(listed)) == {"presence_penalty", "frequency_penalty", "stop"}
    none_listed = ModelInfo("grok-4.3", reasoning_efforts=())
    assert "reasoning_effort" in rejected_parameters(none_listed)
    # a local model listing efforts: nothing known about penalties, so nothing else disabled
    assert rejected_parameters(ModelInfo("thinker", reasoning_efforts=("low", "high"))) == {}


def test_unaccepted_names_rejected_parameters_and_an_effort_not_listed() -> None:
    params = {"reasoning_effort": "high", "temperature": 0.5, "stop": None}
    fast = ModelInfo("grok-4-fast-non-reasoning")
    assert unaccepted(fast, params) == {
        "reasoning_effort": "grok-4-fast-non-reasoning does not take it"
    }
    low_only = ModelInfo("thinker", reasoning_efforts=("low",))
    assert unaccepted(low_only, params) == {"reasoning_effort": "thinker takes low, not high"}
    assert unaccepted(ModelInfo("grok-3-mini"), params | {"stop": ["x"]}) == {
        "stop": "reasoning models reject it"
    }
    assert unaccepted(ModelInfo("llama3"), params) == {}


def test_capabilities_win_over_the_name_rules() -> None:
    # a grok-4 reasoning model whose capabilities list efforts takes them (names say it does not)
    listed = ModelInfo("grok-4-0709", reasoning_efforts=("low", "high"), takes_tools=True)
    assert set(rejected_parameters(listed)) == {"presence_penalty", "frequency_penalty", "stop"}
    # capabilities saying nothing about tools leave them alone
    assert "tools" not in rejected_parameters(ModelInfo("x", reasoning_efforts=()))


def test_the_reasoning_effort_offers_only_the_listed_values() -> None:
    shown = {f.name: f for f in fields_for_model(CHAT, ModelInfo("m", reasoning_efforts=("low",)))}
    assert shown["reasoning_effort"].options == ("low",)
    every = {f.name: f for f in fields_for_model(CHAT, ModelInfo("m"))}
    assert every["reasoning_effort"].options == ("low", "medium", "high")
    assert list(shown) == list(every)  # same fields, same order
    grok = {f.name: f for f in fields_for_model(CHAT, ModelInfo("grok-4.3"))}
    assert grok["reasoning_effort"].options == ("none", "low", "medium", "high")


def test_the_reasoning_effort_says_the_model_default() -> None:
    model = ModelInfo("grok-4.3", reasoning_efforts=("low", "high"), default_reasoning_effort="low")
    effort = {f.name: f for f in fields_for_model(CHAT, model)}["reasoning_effort"]
    assert effort.help_text.endswith("Unset: low (this model's default).")
    plain = {f.name: f for f in fields_for_model(CHAT, ModelInfo("m"))}["reasoning_effort"]
    assert plain.help_text.endswith("Unset: the model's own.")


def test_the_default_model_is_the_first_of_its_purpose_else_the_first() -> None:
    models = [ModelInfo("a", purpose="base"), ModelInfo("b", purpose="chat"), ModelInfo("c")]
    assert default_model(models, "chat").id == "b"
    assert default_model(models, "base").id == "a"
    assert default_model(models[2:], "chat").id == "c"


@pytest.mark.parametrize(
    ("message", "sent", "expected"),
    [
        ("Argument not supported on this model: stop", ["stop", "temperature"], "stop"),
        ("top_logprobs must be used with logprobs", ["logprobs", "top_logprobs"], "top_logprobs"),
        ("presencePenalty is not supported", ["presence_penalty"], None),
        ("Argument not supported: stop", ["temperature"], None),  # not sent: nothing to drop
        ("Model reasoning_effort unsupported", ["reasoning_effort"], "reasoning_effort"),
        ("messages: invalid", ["messages", "n"], None),
        ("This model does not make tool calls: tools", ["tools", "tool_choice"], "tools"),
    ],
)
def test_the_parameter_named_in_an_error(
    message: str, sent: list[str], expected: str | None
) -> None:
    assert parameter_named_in_error(message, sent) == expected
