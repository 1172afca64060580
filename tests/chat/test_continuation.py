"""Continuation of a Responses conversation: by stored id when it can, else the whole history."""

from __future__ import annotations

from playground.chat.api_choice import RESPONSES
from playground.chat.continuation import (
    chain_key,
    continuation,
    history_items,
    turn_items,
)
from playground.chat.conversation import Turn

CHAIN = chain_key("https://api.x.ai/v1", "grok-4.3", "Be brief.")
REASONING = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "Hfq+"}
MESSAGE = {
    "type": "message",
    "role": "assistant",
    "content": [{"type": "output_text", "text": "303", "annotations": []}],
}


def reply(**changes: object) -> Turn:
    turn = Turn("assistant", "303", api=RESPONSES, response_id="resp_1", chain=CHAIN)
    turn.replay_items = [REASONING, MESSAGE]
    for name, value in changes.items():
        setattr(turn, name, value)
    return turn


def conversation(last: Turn) -> list[Turn]:
    return [Turn("user", "What is 101*3?"), last, Turn("user", "Times 2?")]


def test_the_first_message_starts_with_the_system_prompt() -> None:
    step = continuation([Turn("user", "hi")], "Be brief.", chain=CHAIN, store=True)
    assert step.previous_response_id is None
    assert step.input == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hi"},
    ]


def test_a_stored_reply_is_continued_by_its_id_with_only_the_new_message() -> None:
    step = continuation(conversation(reply()), "Be brief.", chain=CHAIN, store=True)
    assert step.stored and step.previous_response_id == "resp_1"
    assert step.input == [{"role": "user", "content": "Times 2?"}]


def test_store_off_resends_everything_with_the_encrypted_reasoning() -> None:
    step = continuation(conversation(reply()), "Be brief.", chain=CHAIN, store=False)
    assert step.previous_response_id is None
    assert step.input[2:4] == [REASONING, MESSAGE]
    assert "store is off" in step.reason


def test_another_model_or_system_prompt_or_a_partial_reply_resends() -> None:
    other = chain_key("https://api.x.ai/v1", "grok-4.3", "Be verbose.")
    for last in (
        reply(chain=other),
        reply(error="cut"),
        reply(stopped=True),
        Turn("assistant", "x"),
    ):
        step = continuation(conversation(last), "Be brief.", chain=CHAIN, store=True)
        assert step.previous_response_id is None and step.input[0]["role"] == "system"


def test_resend_when_asked() -> None:
    step = continuation(conversation(reply()), "", chain=CHAIN, store=True, resend=True)
    assert not step.stored and len(step.input) == 4


def test_function_calls_and_their_outputs() -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    legacy = Turn("assistant", "", tool_calls=[call])
    result = Turn("tool", '{"t": 15}', tool_call_id="call_1")
    assert turn_items(legacy) == [
        {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"}
    ]
    assert turn_items(result) == [
        {"type": "function_call_output", "call_id": "call_1", "output": '{"t": 15}'}
    ]
    stored = reply(tool_calls=[call], replay_items=[{"type": "function_call", "call_id": "call_1"}])
    step = continuation([Turn("user", "?"), stored, result], "", chain=CHAIN, store=True)
    assert step.previous_response_id == "resp_1" and step.input == turn_items(result)


def test_images_are_input_image_parts_and_empty_failed_replies_are_left_out() -> None:
    turns = [Turn("user", "look", images=["https://x/a.png"]), Turn("assistant", "", error="e")]
    assert history_items("", turns) == [
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "look"},
                {"type": "input_image", "image_url": "https://x/a.png"},
            ],
        }
    ]


def test_the_chain_key_keeps_no_url() -> None:
    key = chain_key("https://user:secret@host/v1", "m", "")
    assert "secret" not in key and len(key) == 16
