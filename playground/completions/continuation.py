"""A completion request re-expressed as a chat request, for models that refuse completions
(pure, no Streamlit). An emulation, not the same thing: the page says so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from playground.core.catalog import REASONING_REJECTED
from playground.core.params import CHAT, COMPLETIONS, fields

__all__ = ["CONTINUATION_INSTRUCTION", "ChatContinuation", "as_chat_continuation"]

CONTINUATION_INSTRUCTION = (
    "Continue the user's text exactly where it stops. Reply with the continuation only: "
    "no preamble, no quotes, do not repeat the text."
)


@dataclass(frozen=True)
class ChatContinuation:
    """A completion request re-expressed as a chat request (an emulation, not the same thing)."""

    messages: list[dict[str, str]]
    params: dict[str, Any]
    dropped: list[str]


def _chat_name(name: str) -> str | None:
    """The chat parameter a completion parameter carries over to: one that means the same there
    (same name or alias, same kind) and that reasoning models, the ones refusing completions,
    accept. ``None`` when there is none (``best_of``, ``echo``, completions' ``logprobs``, ...)."""
    completion = fields(COMPLETIONS).get(name)
    if completion is None or name in REASONING_REJECTED:
        return None
    for field in fields(CHAT).values():
        if name in (field.name, *field.aliases) and field.kind is completion.kind:
            return field.name
    return None


def as_chat_continuation(prompt: str, params: Mapping[str, Any]) -> ChatContinuation:
    """The chat request that emulates completing ``prompt`` with ``params``.

    ``max_tokens`` becomes ``max_completion_tokens``; fields chat models may reject or that have no
    chat meaning are left out and listed in ``dropped``.
    """
    chat_params: dict[str, Any] = {}
    dropped: list[str] = []
    for name, value in params.items():
        if value is None:
            continue
        chat_name = _chat_name(name)
        if chat_name is None:
            dropped.append(name)
        else:
            chat_params[chat_name] = value
    messages = [
        {"role": "system", "content": CONTINUATION_INSTRUCTION},
        {"role": "user", "content": prompt},
    ]
    return ChatContinuation(messages, chat_params, dropped)
