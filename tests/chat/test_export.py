"""Export a conversation as JSON and Markdown, and import the JSON back."""

from __future__ import annotations

import json

import pytest

from playground.chat.conversation import Turn
from playground.chat.export import export_json, export_markdown, import_json
from playground.core.replies import ReplyStats

CALL = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}}
TURNS = [
    Turn("user", "Look", images=["data:image/png;base64,AAAA"]),
    Turn("assistant", "", tool_calls=[CALL]),
    Turn("tool", "sunny", tool_call_id="c1"),
    Turn("assistant", "It is sunny.", stats=ReplyStats(model="grok-4.3", cost_usd=0.001)),
]


def test_json_round_trip_keeps_messages_parameters_and_system_prompt() -> None:
    text = export_json("grok-4.3", {"temperature": 0.2}, "Be brief.", TURNS)
    document = json.loads(text)
    assert document["messages"][0] == {"role": "system", "content": "Be brief."}
    imported = import_json(text)
    assert imported.model == "grok-4.3"
    assert imported.parameters == {"temperature": 0.2}
    assert imported.system_prompt == "Be brief."
    assert [t.to_message() for t in imported.turns] == [t.to_message() for t in TURNS]


def test_a_bare_message_list_imports() -> None:
    imported = import_json('[{"role": "user", "content": "hi"}]')
    assert imported.model is None and imported.turns[0].content == "hi"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "line 1, column 2"),
        ('{"messages": 3}', '"messages" list'),
        ('{"messages": [{"role": "wizard", "content": "x"}]}', "unknown role"),
        ('{"messages": [], "parameters": []}', '"parameters"'),
        ('{"messages": [{"role": "user", "content": 5}]}', "content must be"),
        ('{"messages": [{"role": "user"}]}', r"message 1 \(user\) has no content"),
        ('[{"role": "user", "content": "hi"}, {"role": "tool", "content": " "}]', "message 2"),
    ],
)
def test_bad_files_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_json(text)


def test_markdown_has_every_message_and_the_stats() -> None:
    markdown = export_markdown("grok-4.3", {}, "", TURNS)
    assert markdown.startswith("# Chat with grok-4.3")
    assert "## User" in markdown and "*1 image(s) attached*" in markdown
    assert "Tool call `f`" in markdown and "sunny" in markdown
    assert "≈ $0.001 estimated" in markdown
