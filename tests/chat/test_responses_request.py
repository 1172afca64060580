"""The panel's values as Responses API parameters."""

from __future__ import annotations

from playground.chat.responses_request import response_params


def test_chat_shapes_become_responses_shapes() -> None:
    params = {
        "temperature": 0.2,
        "max_output_tokens": 300,
        "reasoning_effort": "high",
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True},
        },
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "encrypted_reasoning": True,
        "max_turns": 3,
    }
    web = {"type": "web_search"}
    assert response_params(params, [web]) == {
        "temperature": 0.2,
        "max_output_tokens": 300,
        "reasoning": {"effort": "high"},
        "text": {
            "format": {
                "type": "json_schema",
                "name": "answer",
                "schema": {"type": "object"},
                "strict": True,
            }
        },
        "tools": [{"type": "function", "name": "f", "parameters": {}}, web],
        "tool_choice": {"type": "function", "name": "f"},
        "include": ["reasoning.encrypted_content"],
        "max_turns": 3,
    }


def test_store_off_asks_for_the_encrypted_reasoning() -> None:
    assert response_params({"store": False}) == {
        "store": False,
        "include": ["reasoning.encrypted_content"],
    }
    assert response_params({"response_format": {"type": "json_object"}}) == {
        "text": {"format": {"type": "json_object"}}
    }
    assert response_params({}) == {}
