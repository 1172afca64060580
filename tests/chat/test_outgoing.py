"""A forced ``tool_choice`` goes back to ``auto`` on the request that carries the tool result, in
both APIs, so the model can answer in text instead of calling the tool again and again."""

from __future__ import annotations

from typing import Any

import pytest

from playground.chat.compare import main_column
from playground.chat.conversation import Turn
from playground.chat.outgoing import chat_outgoing, released_tool_choice, responses_outgoing
from playground.core.catalog import ModelInfo
from xai_core import XaiClient

TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
FORCED = {"type": "function", "function": {"name": "get_weather"}}
CALL = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
ASKED = [{"role": "user", "content": "Weather in Lisbon?"}]
ANSWERED = [
    *ASKED,
    {"role": "assistant", "content": "", "tool_calls": [CALL]},
    {"role": "tool", "tool_call_id": "call_1", "content": "22 °C, sunny"},
]


@pytest.fixture
def client() -> XaiClient:
    """A client that is never used to send: the bodies are built without it."""
    return XaiClient(api_key="xai-test", base_url="http://127.0.0.1:9/v1", max_retries=0)


def _column(choice: Any) -> Any:
    return main_column(ModelInfo("grok-4.3"), {"tools": TOOLS, "tool_choice": choice})


@pytest.mark.parametrize("choice", ["required", FORCED])
def test_chat_completions_sends_auto_with_the_tool_result(client: XaiClient, choice: Any) -> None:
    asking = chat_outgoing(client, _column(choice), ASKED)
    assert asking.body["tool_choice"] == choice  # forced while the user asks
    answering = chat_outgoing(client, _column(choice), ANSWERED)
    assert answering.body["tool_choice"] == "auto"
    assert answering.body["tools"] == TOOLS  # the tools are still there to call later
    assert "auto for this request" in answering.note


@pytest.mark.parametrize("choice", ["auto", "none", None])
def test_a_choice_that_forces_nothing_is_sent_as_set(client: XaiClient, choice: Any) -> None:
    body = chat_outgoing(client, _column(choice), ANSWERED).body
    assert body.get("tool_choice") == choice
    assert chat_outgoing(client, _column(choice), ANSWERED).note == ""


def _turns() -> list[Turn]:
    return [
        Turn("user", "Weather in Lisbon?"),
        Turn("assistant", "", tool_calls=[CALL]),
        Turn("tool", "22 °C, sunny", tool_call_id="call_1"),
    ]


@pytest.mark.parametrize("resend", [False, True])
def test_responses_sends_auto_with_the_function_output(client: XaiClient, resend: bool) -> None:
    outgoing = responses_outgoing(
        client, _column("required"), _turns(), "", server_tools=[], base_url="x", resend=resend
    )
    assert outgoing.body["input"][-1]["type"] == "function_call_output"
    assert outgoing.body["tool_choice"] == "auto"
    assert outgoing.body["tools"][0]["name"] == "get_weather"
    asking = responses_outgoing(
        client, _column(FORCED), _turns()[:1], "", server_tools=[], base_url="x"
    )
    assert asking.body["tool_choice"] == {"type": "function", "name": "get_weather"}


def test_released_tool_choice_keeps_the_other_parameters() -> None:
    params = {"tool_choice": "required", "temperature": 0.2}
    released, note = released_tool_choice(params, {"role": "tool", "content": "x"})
    assert released == {"tool_choice": "auto", "temperature": 0.2} and note
    assert params["tool_choice"] == "required"  # the panel's own values are not changed
    assert released_tool_choice(params, {"role": "user", "content": "x"}) == (params, "")
    assert released_tool_choice(params, None) == (params, "")
