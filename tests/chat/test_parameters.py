"""Which parameters a model rejects, and which one a 400 names."""

from __future__ import annotations

import pytest

from playground.chat.parameters import parameter_named_in_error, rejected_parameters


@pytest.mark.parametrize("model", ["grok-4.20-0309-reasoning", "grok-4-0709", "grok-code-fast-1"])
def test_reasoning_models_reject_penalties_stop_and_effort(model: str) -> None:
    rejected = rejected_parameters(model)
    assert set(rejected) == {"presence_penalty", "frequency_penalty", "stop", "reasoning_effort"}
    assert all(reason for reason in rejected.values())


def test_grok_3_mini_takes_a_reasoning_effort() -> None:
    assert set(rejected_parameters("grok-3-mini")) == {
        "presence_penalty",
        "frequency_penalty",
        "stop",
    }


def test_non_reasoning_models_reject_only_the_effort() -> None:
    assert set(rejected_parameters("grok-4.20-0309-non-reasoning")) == {"reasoning_effort"}


@pytest.mark.parametrize("model", ["gemma-3-270m", "llama3", "grok-4.3", "grok-build-0.1"])
def test_unknown_models_have_nothing_disabled(model: str) -> None:
    assert rejected_parameters(model) == {}


@pytest.mark.parametrize(
    ("message", "sent", "expected"),
    [
        ("Argument not supported on this model: stop", ["stop", "temperature"], "stop"),
        ("top_logprobs must be used with logprobs", ["logprobs", "top_logprobs"], "top_logprobs"),
        ("presencePenalty is not supported", ["presence_penalty"], None),
        ("Argument not supported: stop", ["temperature"], None),  # not sent: nothing to drop
        ("Model reasoning_effort unsupported", ["reasoning_effort"], "reasoning_effort"),
        ("messages: invalid", ["messages", "n"], None),
    ],
)
def test_the_parameter_named_in_an_error(
    message: str, sent: list[str], expected: str | None
) -> None:
    assert parameter_named_in_error(message, sent) == expected
