"""Export a conversation as JSON and Markdown, and import the JSON back."""

from __future__ import annotations

import json

import pytest

from playground.chat.conversation import Turn
from playground.chat.export import export_json, export_markdown, import_json, import_source
from playground.core.replies import ReplyStats
from xai_core import Usage

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


USAGE = Usage.model_validate(
    {
        "prompt_tokens": 12,
        "completion_tokens": 3,
        "total_tokens": 40,
        "completion_tokens_details": {"reasoning_tokens": 25},
        "cost_in_usd_ticks": 234000,
    }
)
THOUGHT = Turn(
    "assistant",
    "Paris.",
    reasoning="The capital of France\nis Paris.",
    stats=ReplyStats(
        model="grok-3-mini",
        usage=USAGE,
        cost_usd=0.0000234,
        time_to_first_token_s=0.42,
        tokens_per_second=88.5,
        finish_reason="stop",
    ),
    created=1_790_000_000.5,
)
ASKED = [Turn("user", "Capital of France?", created=1_790_000_000.0), THOUGHT]


def test_json_export_keeps_reasoning_usage_cost_model_and_latency_and_round_trips() -> None:
    text = export_json("grok-3-mini", {}, "", ASKED)
    reply = json.loads(text)["turns"][1]
    assert reply["reasoning"] == "The capital of France\nis Paris."
    assert reply["stats"]["usage"]["completion_tokens_details"]["reasoning_tokens"] == 25
    assert reply["stats"]["cost_usd"] == 0.0000234
    assert reply["stats"]["model"] == "grok-3-mini"
    assert reply["stats"]["time_to_first_token_s"] == 0.42
    imported = import_json(text)
    assert imported.turns == ASKED and imported.note is None


def test_hand_edited_messages_win_over_the_whole_turns_and_say_so() -> None:
    document = json.loads(export_json("grok-3-mini", {}, "", ASKED))
    document["messages"][1]["content"] = "Lyon."
    imported = import_json(json.dumps(document))
    assert [t.content for t in imported.turns] == ["Capital of France?", "Lyon."]
    assert imported.turns[1].stats is None
    assert imported.note is not None and "edited" in imported.note


def test_whole_turns_are_checked_like_messages() -> None:
    document = json.loads(export_json("grok-3-mini", {}, "", ASKED))
    document["turns"][0]["content"] = " "
    document["messages"][0]["content"] = " "
    with pytest.raises(ValueError, match=r"message 1 \(user\) has no content"):
        import_json(json.dumps(document))
    document["turns"] = {"not": "a list"}
    with pytest.raises(ValueError, match='"turns" must be a list'):
        import_json(json.dumps(document))


def test_markdown_shows_reasoning_as_a_thinking_quote_before_the_answer() -> None:
    markdown = export_markdown("grok-3-mini", {}, "", ASKED)
    block = "> Thinking\n>\n> The capital of France\n> is Paris.\n\nParis."
    assert block in markdown


@pytest.mark.parametrize(
    ("name", "data", "pasted", "message"),
    [
        (None, None, "  ", "Choose a JSON file"),
        ("chat.json", b"{}", '{"messages": []}', r"Both a file \(chat.json\) and pasted JSON"),
        ("chat.json", b"\xff\xfe{", "", "Could not import chat.json: it is not UTF-8 text"),
    ],
)
def test_an_import_source_is_never_ignored_silently(
    name: str | None, data: bytes | None, pasted: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        import_source(name, data, pasted)


def test_the_import_source_is_the_one_given() -> None:
    assert import_source("a.json", b'{"x": 1}', "") == ("a.json", '{"x": 1}')
    assert import_source(None, None, "[1]") == ("the pasted JSON", "[1]")
