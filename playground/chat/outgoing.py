"""One column's request, whichever API the page uses (pure, no Streamlit): how to open its stream,
the body it sends (for View code), what the page says about how it continues, and how its reply
becomes a conversation turn. A request that carries a tool's result sends a forced tool choice as
``auto``, so the model can answer in text.

Chat Completions sends the whole conversation as messages; Responses continues the last stored
reply by id or resends the history (:mod:`playground.chat.continuation`), with the panel's
parameters in the Responses shapes and the server-side tools (:mod:`playground.chat.
responses_request`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from playground.chat.compare import Column
from playground.chat.continuation import chain_key, continuation
from playground.chat.conversation import Turn, finish_turn
from playground.chat.responses_reply import finish_response_turn
from playground.chat.responses_request import response_params, stores
from playground.core.streaming import Run
from xai_core import XaiClient, chat_body, responses_body

__all__ = [
    "CHAT_ENDPOINT",
    "RESPONSES_ENDPOINT",
    "Outgoing",
    "chat_outgoing",
    "released_tool_choice",
    "responses_outgoing",
]

CHAT_ENDPOINT, RESPONSES_ENDPOINT = "chat/completions", "responses"


@dataclass(frozen=True)
class Outgoing:
    """One column's request: ``open_stream`` sends it, ``body`` is what it sends to
    ``endpoint``, ``note`` says how it continues (empty for Chat Completions) and ``finish``
    fills the reply's turn from the closed run."""

    column: Column
    endpoint: str
    body: dict[str, Any]
    open_stream: Callable[[], Any]
    finish: Callable[[Turn, Run[Any]], None]
    note: str = ""

    def run(self) -> Run[Any]:
        """The (not yet started) run of this request."""
        model = self.column.model
        return Run(model.id, model.prices, open_stream=self.open_stream)


def _carries_tool_result(last: Mapping[str, Any] | None) -> bool:
    """Whether the last message (or Responses input item) is a tool's result."""
    return last is not None and (
        last.get("role") == "tool" or last.get("type") == "function_call_output"
    )


def released_tool_choice(
    params: Mapping[str, Any], last: Mapping[str, Any] | None
) -> tuple[dict[str, Any], str]:
    """``params`` for a request whose last message is ``last``: when that is a tool's result, a
    forced ``tool_choice`` (``required`` or one function) goes back to ``auto``, so the model can
    answer in text instead of calling a tool again and again; and a note saying so (else "")."""
    choice = params.get("tool_choice")
    if choice in (None, "auto", "none") or not _carries_tool_result(last):
        return dict(params), ""
    note = "tool_choice is auto for this request: it carries the tool result."
    return {**params, "tool_choice": "auto"}, note


def _joined(*notes: str) -> str:
    return " ".join(note for note in notes if note)


def chat_outgoing(client: XaiClient, column: Column, messages: list[dict[str, Any]]) -> Outgoing:
    """``column``'s Chat Completions request of ``messages`` (a forced tool choice released
    after a tool result, see :func:`released_tool_choice`)."""
    model_id = column.model.id
    params, note = released_tool_choice(column.params, messages[-1] if messages else None)
    return Outgoing(
        column,
        CHAT_ENDPOINT,
        chat_body(model_id, messages, params, stream=True),
        lambda: client.stream_chat(model=model_id, messages=messages, **params),
        lambda turn, run: finish_turn(turn, run, params),
        note,
    )


def responses_outgoing(
    client: XaiClient,
    column: Column,
    turns: Sequence[Turn],
    system_prompt: str,
    *,
    server_tools: Sequence[dict[str, Any]],
    base_url: str,
    resend: bool = False,
) -> Outgoing:
    """``column``'s Responses request for ``turns``: by the stored id of the last reply when it
    can (and ``resend`` was not asked), else the whole history; with ``server_tools``."""
    model_id = column.model.id
    chain = chain_key(base_url, model_id, system_prompt)
    store = stores(column.params)
    step = continuation(turns, system_prompt, chain=chain, store=store, resend=resend)
    params, note = released_tool_choice(column.params, step.input[-1] if step.input else None)
    kwargs = response_params(params, server_tools)
    if step.previous_response_id:
        kwargs["previous_response_id"] = step.previous_response_id
    items = step.input
    return Outgoing(
        column,
        RESPONSES_ENDPOINT,
        responses_body(model_id, items, kwargs, stream=True),
        lambda: client.stream_response(model=model_id, input=items, **kwargs),
        lambda turn, run: finish_response_turn(
            turn, run, params, chain=chain, continued=step.stored
        ),
        _joined(step.reason, note),
    )
