"""How a Responses request goes on from the conversation so far (pure, no Streamlit).

Two ways, as xAI offers them:

- **stored**: ``previous_response_id`` names the last reply, which the server kept (``store`` on),
  and only the turns after it are sent (the new message, or the tool results). Used when the last
  reply is a finished Responses reply with an id, from the same *chain*: the same server, model
  and system prompt (the server keeps the system prompt of the stored conversation, and a request
  with ``previous_response_id`` may not give ``instructions``).
- **resent**: the whole history as ``input``: the system prompt, every user message, every
  Responses reply as its output items (``replay_items``, encrypted reasoning included, so the
  model gets its thinking back), other replies as assistant messages, function calls and their
  outputs. Used when store is off, when the chain changed, for a partial reply, or when asked
  (after the server no longer knows the stored reply).

Edits, regenerations and imports need no rule of their own: they drop the later turns, so the
last reply left is one the server stored with exactly the turns before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from playground.chat.api_choice import RESPONSES
from playground.chat.conversation import Turn
from playground.chat.images import responses_image_part

__all__ = [
    "Continuation",
    "chain_key",
    "continuation",
    "history_items",
    "turn_items",
]


def chain_key(base_url: str, model: str, system_prompt: str) -> str:
    """A short digest naming where a stored reply lives and what it was told (no URL or secret is
    kept in the conversation, only this digest)."""
    text = "\n".join((base_url.rstrip("/"), model, system_prompt.strip()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Continuation:
    """What the next request sends: its ``input``, the stored reply it continues (if any), and
    why, in one line for the page."""

    input: list[dict[str, Any]]
    previous_response_id: str | None
    reason: str

    @property
    def stored(self) -> bool:
        """True when it continues a stored reply."""
        return self.previous_response_id is not None


def _user_item(turn: Turn) -> dict[str, Any]:
    if not turn.images:
        return {"role": "user", "content": turn.content}
    parts: list[dict[str, Any]] = [{"type": "input_text", "text": turn.content}]
    parts += [responses_image_part(url, turn.image_detail) for url in turn.images]
    return {"role": "user", "content": parts}


def _function_call_item(call: dict[str, Any]) -> dict[str, Any]:
    function = call.get("function") or {}
    return {
        "type": "function_call",
        "call_id": str(call.get("id", "")),
        "name": str(function.get("name", "")),
        "arguments": str(function.get("arguments", "")),
    }


def turn_items(turn: Turn) -> list[dict[str, Any]]:
    """One turn as Responses ``input`` items (none for a reply that failed before any text)."""
    if turn.role == "user":
        return [_user_item(turn)]
    if turn.role == "tool":
        return [
            {
                "type": "function_call_output",
                "call_id": turn.tool_call_id or "",
                "output": turn.content,
            }
        ]
    if turn.replay_items:
        return [dict(item) for item in turn.replay_items]
    items: list[dict[str, Any]] = []
    if turn.content:
        items.append({"role": "assistant", "content": turn.content})
    items += [_function_call_item(call) for call in turn.tool_calls]
    return items


def history_items(system_prompt: str, turns: Iterable[Turn]) -> list[dict[str, Any]]:
    """The whole conversation as ``input``: the system prompt (when set) first."""
    items: list[dict[str, Any]] = []
    if system_prompt.strip():
        items.append({"role": "system", "content": system_prompt})
    for turn in turns:
        items += turn_items(turn)
    return items


def _last_reply(turns: Sequence[Turn]) -> int | None:
    return next((i for i in range(len(turns) - 1, -1, -1) if turns[i].role == "assistant"), None)


def _why_not_stored(reply: Turn, chain: str) -> str | None:
    """Why the last reply cannot be continued by id (None when it can)."""
    if reply.api != RESPONSES or not reply.response_id:
        return "the last reply has no stored response"
    if reply.stopped or reply.error:
        return "the last reply is partial"
    if reply.chain != chain:
        return "the server, model or system prompt changed since the last reply"
    return None


def continuation(
    turns: Sequence[Turn], system_prompt: str, *, chain: str, store: bool, resend: bool = False
) -> Continuation:
    """How to send ``turns`` next: by ``previous_response_id`` when the last reply allows it and
    ``store`` is on (and ``resend`` was not asked), else the whole history."""
    everything = history_items(system_prompt, turns)
    last = _last_reply(turns)
    if resend:
        return Continuation(everything, None, "Resends the whole history (as asked).")
    if not store:
        return Continuation(everything, None, "Resends the whole history (store is off).")
    if last is None:
        return Continuation(everything, None, "Starts a stored conversation.")
    why = _why_not_stored(turns[last], chain)
    if why is not None:
        return Continuation(everything, None, f"Resends the whole history: {why}.")
    later: list[dict[str, Any]] = []
    for turn in turns[last + 1 :]:
        later += turn_items(turn)
    reply_id = turns[last].response_id
    return Continuation(later, reply_id, f"Continues the stored response {reply_id}.")
