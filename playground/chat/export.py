"""A conversation with its parameters, exported as JSON (OpenAI messages) or Markdown, and
imported back from that JSON (pure, no Streamlit; never unpickles, never evaluates).

JSON shape: ``{"model": ..., "parameters": {...}, "messages": [{"role": ..., ...}, ...]}`` where
``messages`` is exactly what the API takes (the system prompt first when there is one). The key is
never part of it: nothing here knows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from playground.chat.conversation import Turn, to_messages

__all__ = ["ImportedConversation", "export_json", "export_markdown", "import_json"]

FORMAT = "xai-playground.chat/1"
_ROLES = ("system", "user", "assistant", "tool")


@dataclass
class ImportedConversation:
    """What an imported file holds."""

    model: str | None
    parameters: dict[str, Any]
    system_prompt: str
    turns: list[Turn] = field(default_factory=list)


def export_json(
    model: str, parameters: dict[str, Any], system_prompt: str, turns: list[Turn]
) -> str:
    """The conversation as pretty JSON in the OpenAI messages format, with its parameters."""
    document = {
        "format": FORMAT,
        "model": model,
        "parameters": parameters,
        "messages": to_messages(system_prompt, turns),
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
    text = _text_of(content)
    # A reply may be empty (stopped before its first token, as our own export keeps it); what
    # the user sent and a tool's result may not.
    if role != "assistant" and not text.strip() and not images:
        raise ValueError(f"message {number} ({role}) has no content: give it a text")
    return Turn(
        role,
        text,
        images=images,
        tool_calls=tool_calls,
        tool_call_id=str(tool_call_id) if tool_call_id is not None else None,
    )


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
    turns = [_turn_from_message(number, m) for number, m in enumerate(messages, start=1)]
    return ImportedConversation(
        str(model) if isinstance(model, str) else None, parameters, system_prompt, turns
    )
