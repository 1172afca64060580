"""A conversation as the workspace store keeps it (kind ``"conversation"``): a JSON body that
gives back every field of every turn, with its title, the text search looks in, and a digest that
tells an unchanged conversation from a changed one (pure, no Streamlit).

Body shape (``format`` first, so a later shape can be told apart)::

    {"format": "xai-playground.conversation/1", "model": "...", "parameters": {...},
     "system_prompt": "...", "turns": [{"role": ..., "content": ..., "stats": {...}, ...}]}

A turn keeps its text, reasoning, alternatives, images, tool calls, the id of the call a tool
result answers, its stats (usage as the server sent it, cost, first token, speed, finish reason),
its stopped mark, error, the parameter a 400 named, and when it was made; a Responses reply also
its API, stored response id and chain, the output items to resend, its server-side tool calls and
its citations. An API key is never part
of it: nothing here knows one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from playground.chat.conversation import Turn
from playground.core.replies import checked as _expect
from playground.core.replies import stats_body, stats_from_body

__all__ = [
    "FORMAT",
    "KIND",
    "SavedConversation",
    "body_digest",
    "from_body",
    "search_text",
    "title_of",
    "to_body",
    "turn_body",
    "turn_from_body",
]

FORMAT = "xai-playground.conversation/1"
KIND = "conversation"
TITLE_LENGTH = 80
UNTITLED = "New chat"
_ROLES = ("user", "assistant", "tool")


@dataclass
class SavedConversation:
    """What a saved conversation holds: its settings and its turns."""

    model: str
    parameters: dict[str, Any]
    system_prompt: str
    turns: list[Turn] = field(default_factory=list)


def turn_body(turn: Turn) -> dict[str, Any]:
    return {
        "role": turn.role,
        "content": turn.content,
        "reasoning": turn.reasoning,
        "alternatives": list(turn.alternatives),
        "images": list(turn.images),
        "image_detail": turn.image_detail,
        "tool_calls": [dict(call) for call in turn.tool_calls],
        "tool_call_id": turn.tool_call_id,
        "stats": None if turn.stats is None else stats_body(turn.stats),
        "stopped": turn.stopped,
        "error": turn.error,
        "rejected_parameter": turn.rejected_parameter,
        "created": turn.created,
        "api": turn.api,
        "response_id": turn.response_id,
        "chain": turn.chain,
        "replay_items": [dict(item) for item in turn.replay_items],
        "tool_activity": [dict(call) for call in turn.tool_activity],
        "citations": [dict(citation) for citation in turn.citations],
        "offer": turn.offer,
        "logprobs": [dict(item) for item in turn.logprobs],
    }


def to_body(
    model: str, parameters: dict[str, Any], system_prompt: str, turns: Iterable[Turn]
) -> dict[str, Any]:
    """The conversation as a JSON document (plain dicts, lists, text, numbers, booleans)."""
    return {
        "format": FORMAT,
        "model": model,
        "parameters": json.loads(json.dumps(parameters)),  # a copy, and JSON-safe or TypeError
        "system_prompt": system_prompt,
        "turns": [turn_body(turn) for turn in turns],
    }


def _field(data: dict[str, Any], name: str, default: Any) -> Any:
    """``data[name]``, or ``default`` when it is missing or null (a wrong type stays wrong)."""
    value = data.get(name)
    return default if value is None else value


def _optional_text(value: Any, where: str) -> str | None:
    return None if value is None else str(_expect(value, str, where))


def _texts(value: Any, where: str) -> list[str]:
    items = _expect(value if value is not None else [], list, where)
    return [str(_expect(item, str, where)) for item in items]


def _objects(value: Any, where: str) -> list[dict[str, Any]]:
    items = _expect(value if value is not None else [], list, where)
    return [dict(_expect(item, dict, where)) for item in items]


def turn_from_body(number: int, data: Any) -> Turn:
    where = f"turn {number}"
    data = _expect(data, dict, where)
    role = data.get("role")
    if role not in _ROLES:
        raise ValueError(f"{where} has an unknown role {role!r}")
    calls = _expect(_field(data, "tool_calls", []), list, where)
    created = data.get("created")
    turn = Turn(
        role,
        str(_expect(_field(data, "content", ""), str, where)),
        reasoning=str(_expect(_field(data, "reasoning", ""), str, where)),
        stats=stats_from_body(data.get("stats"), f"{where}'s stats"),
        stopped=bool(data.get("stopped", False)),
        error=_optional_text(data.get("error"), where),
        alternatives=_texts(data.get("alternatives"), where),
        images=_texts(data.get("images"), where),
        image_detail=_optional_text(data.get("image_detail"), where),
        tool_calls=[dict(_expect(call, dict, where)) for call in calls],
        tool_call_id=_optional_text(data.get("tool_call_id"), where),
        rejected_parameter=_optional_text(data.get("rejected_parameter"), where),
        api=str(_expect(_field(data, "api", "chat"), str, where)),
        response_id=_optional_text(data.get("response_id"), where),
        chain=_optional_text(data.get("chain"), where),
        replay_items=_objects(data.get("replay_items"), where),
        tool_activity=_objects(data.get("tool_activity"), where),
        citations=_objects(data.get("citations"), where),
        offer=_optional_text(data.get("offer"), where),
        logprobs=_objects(data.get("logprobs"), where),
    )
    if created is not None:
        turn.created = float(_expect(created, (int, float), where))
    return turn


def from_body(body: Any) -> SavedConversation:
    """Read a body :func:`to_body` made; ``ValueError`` says what is wrong with another one."""
    body = _expect(body, dict, "the conversation")
    if body.get("format") != FORMAT:
        raise ValueError(f"not a saved conversation (format {body.get('format')!r})")
    turns = _expect(_field(body, "turns", []), list, "turns")
    return SavedConversation(
        model=str(_expect(_field(body, "model", ""), str, "model")),
        parameters=dict(_expect(_field(body, "parameters", {}), dict, "parameters")),
        system_prompt=str(_expect(_field(body, "system_prompt", ""), str, "system_prompt")),
        turns=[turn_from_body(number, turn) for number, turn in enumerate(turns, start=1)],
    )


def title_of(turns: Iterable[Turn], length: int = TITLE_LENGTH) -> str:
    """The first user message on one line, cut to ``length`` characters (with "…"), or
    "New chat" when there is none."""
    first = next((t.content for t in turns if t.role == "user" and t.content.strip()), "")
    line = " ".join(first.split())
    if not line:
        return UNTITLED
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def search_text(system_prompt: str, turns: Iterable[Turn]) -> str:
    """What a search looks in besides the title: the system prompt and every turn's text,
    reasoning, alternatives and tool calls (images are left out: they are data, not words)."""
    parts = [system_prompt]
    for turn in turns:
        parts += [turn.content, turn.reasoning, *turn.alternatives]
        for call in turn.tool_calls:
            function = _field(call, "function", {})
            parts += [str(function.get("name", "")), str(function.get("arguments", ""))]
    return "\n".join(part for part in parts if part)


def body_digest(body: dict[str, Any]) -> str:
    """A digest of ``body`` (key order does not count): equal for an unchanged conversation."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
