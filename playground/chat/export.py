"""A conversation with its parameters, exported as JSON (OpenAI messages) or Markdown, and
imported back from that JSON (pure, no Streamlit; never unpickles, never evaluates).

JSON shape: ``{"model": ..., "parameters": {...}, "messages": [...], "turns": [...]}`` where
``messages`` is exactly what the API takes (the system prompt first when there is one) and
``turns`` keeps every turn whole, as the workspace store does (reasoning, usage, cost, model,
first token, speed, stopped mark, Responses ids...), so an export imports back as it was. A file
whose ``messages`` were edited by hand imports from its messages (the turns no longer match). The
key is never part of it: nothing here knows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from playground.chat.conversation import Turn, to_messages
from playground.chat.saved import turn_body, turn_from_body

__all__ = [
    "ImportedConversation",
    "export_json",
    "export_markdown",
    "import_json",
    "import_source",
]

FORMAT = "xai-playground.chat/1"
_ROLES = ("system", "user", "assistant", "tool")


@dataclass
class ImportedConversation:
    """What an imported file holds."""

    model: str | None
    parameters: dict[str, Any]
    system_prompt: str
    turns: list[Turn] = field(default_factory=list)
    #: Why the file's whole turns (reasoning, usage...) were not used, when it had some.
    note: str | None = None


def export_json(
    model: str, parameters: dict[str, Any], system_prompt: str, turns: list[Turn]
) -> str:
    """The conversation as pretty JSON in the OpenAI messages format, with its parameters."""
    document = {
        "format": FORMAT,
        "model": model,
        "parameters": parameters,
        "messages": to_messages(system_prompt, turns),
        "turns": [turn_body(turn) for turn in turns],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _text_of(content: Any) -> str:
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", "")) for part in content if isinstance(part, dict)
        ).strip()
    return "" if content is None else str(content)


def export_markdown(
    model: str, parameters: dict[str, Any], system_prompt: str, turns: list[Turn]
) -> str:
    """The conversation as Markdown: a heading per message, stats under replies."""
    lines = [f"# Chat with {model}", ""]
    if parameters:
        lines += ["Parameters:", "", "```json", json.dumps(parameters, indent=2), "```", ""]
    if system_prompt.strip():
        lines += ["## System", "", system_prompt.strip(), ""]
    for turn in turns:
        lines += [f"## {turn.role.capitalize()}", ""]
        if turn.reasoning.strip():
            lines += _quoted("Thinking", turn.reasoning)
        if turn.images:
            lines += [f"*{len(turn.images)} image(s) attached*", ""]
        if turn.content:
            lines += [turn.content, ""]
        for call in turn.tool_calls:
            function = call.get("function", {})
            lines += [
                f"Tool call `{function.get('name', '')}`:",
                "",
                "```json",
                str(function.get("arguments", "")),
                "```",
                "",
            ]
        if turn.stopped:
            lines += ["*(stopped: partial reply)*", ""]
        if turn.stats is not None:
            lines += [f"*{turn.stats.line()}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def _quoted(title: str, text: str) -> list[str]:
    """``text`` as a Markdown quote block headed ``> title`` (every line quoted), then a blank."""
    body = [f"> {line}".rstrip() for line in text.strip().splitlines()]
    return [f"> {title}", ">", *body, ""]


def _check_content(number: int, turn: Turn) -> Turn:
    # A reply may be empty (stopped before its first token, as our own export keeps it); what
    # the user sent and a tool's result may not.
    if turn.role != "assistant" and not turn.content.strip() and not turn.images:
        raise ValueError(f"message {number} ({turn.role}) has no content: give it a text")
    return turn


def _whole_turns(document: dict[str, Any], system_prompt: str) -> tuple[list[Turn] | None, str]:
    """The file's ``turns`` when it has them and they still say what its ``messages`` say (else
    None, with why)."""
    bodies = document.get("turns")
    if bodies is None:
        return None, ""
    if not isinstance(bodies, list):
        raise ValueError('"turns" must be a list')
    turns = [
        _check_content(number, turn_from_body(number, body))
        for number, body in enumerate(bodies, start=1)
    ]
    if to_messages(system_prompt, turns) != document["messages"]:
        return (
            None,
            "its messages were edited, so per-reply details (reasoning, usage) were left out",
        )
    return turns, ""


def _turn_from_message(number: int, message: Any) -> Turn:
    if not isinstance(message, dict):
        raise ValueError(f"message {number} is not an object")
    role = message.get("role")
    if role not in _ROLES or role == "system":
        raise ValueError(f"message {number} has an unknown role {role!r}")
    content = message.get("content")
    images: list[str] = []
    if isinstance(content, list):
        for part in content:
            if isinstance(part, dict) and part.get("type") == "image_url":
                url = (part.get("image_url") or {}).get("url")
                if isinstance(url, str):
                    images.append(url)
    elif content is not None and not isinstance(content, str):
        raise ValueError(f"message {number}: content must be text or a list of parts")
    tool_calls = message.get("tool_calls") or []
    if not isinstance(tool_calls, list) or not all(isinstance(c, dict) for c in tool_calls):
        raise ValueError(f"message {number}: tool_calls must be a list of objects")
    tool_call_id = message.get("tool_call_id")
    turn = Turn(
        role,
        _text_of(content),
        images=images,
        tool_calls=tool_calls,
        tool_call_id=str(tool_call_id) if tool_call_id is not None else None,
    )
    return _check_content(number, turn)


def import_json(text: str) -> ImportedConversation:
    """Read an exported conversation (or a bare list of messages); ``ValueError`` says what is
    wrong, with the line and column of a JSON syntax error."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"Not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    if isinstance(document, list):
        document = {"messages": document}
    if not isinstance(document, dict) or not isinstance(document.get("messages"), list):
        raise ValueError('Expected an object with a "messages" list')
    parameters = document.get("parameters", {})
    if not isinstance(parameters, dict):
        raise ValueError('"parameters" must be an object')
    model = document.get("model")
    messages: list[Any] = document["messages"]
    system_prompt = ""
    if messages and isinstance(messages[0], dict) and messages[0].get("role") == "system":
        system_prompt = _text_of(messages[0].get("content"))
        messages = messages[1:]
    turns, note = _whole_turns(document, system_prompt)
    if turns is None:
        turns = [_turn_from_message(number, m) for number, m in enumerate(messages, start=1)]
    return ImportedConversation(
        str(model) if isinstance(model, str) else None,
        parameters,
        system_prompt,
        turns,
        note or None,
    )


def import_source(file_name: str | None, file_bytes: bytes | None, pasted: str) -> tuple[str, str]:
    """What to import, named for messages: ``(source, text)`` from the uploaded file or the
    pasted JSON. ``ValueError`` when there is neither, or both (one would be ignored), or the
    file is not UTF-8 text."""
    has_text = bool(pasted.strip())
    if file_name is None and not has_text:
        raise ValueError("Choose a JSON file exported from this page, or paste one, first.")
    if file_name is not None and has_text:
        raise ValueError(
            f"Both a file ({file_name}) and pasted JSON are given: remove the file or clear "
            "the pasted text, so it is clear which one to import."
        )
    if file_name is None:
        return "the pasted JSON", pasted
    try:
        return file_name, (file_bytes or b"").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"Could not import {file_name}: it is not UTF-8 text (byte {exc.start})"
        ) from exc
