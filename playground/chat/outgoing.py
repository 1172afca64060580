"""One column's request, whichever API the page uses (pure, no Streamlit): how to open its stream,
the body it sends (for View code), what the page says about how it continues, and how its reply
becomes a conversation turn.

Chat Completions sends the whole conversation as messages; Responses continues the last stored
reply by id or resends the history (:mod:`playground.chat.continuation`), with the panel's
parameters in the Responses shapes and the server-side tools (:mod:`playground.chat.
responses_request`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from playground.chat.compare import Column
from playground.chat.continuation import chain_key, continuation
from playground.chat.conversation import Turn, finish_turn
from playground.chat.responses_reply import finish_response_turn
from playground.chat.responses_request import response_params, stores
from playground.core.streaming import Run
from xai_core import XaiClient, chat_body, responses_body

__all__ = ["CHAT_ENDPOINT", "RESPONSES_ENDPOINT", "Outgoing", "chat_outgoing", "responses_outgoing"]

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


def chat_outgoing(client: XaiClient, column: Column, messages: list[dict[str, Any]]) -> Outgoing:
    """``column``'s Chat Completions request of ``messages``."""
    model_id, params = column.model.id, column.params
    return Outgoing(
        column,
        CHAT_ENDPOINT,
        chat_body(model_id, messages, params, stream=True),
        lambda: client.stream_chat(model=model_id, messages=messages, **params),
        lambda turn, run: finish_turn(turn, run, params),
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
    model_id, params = column.model.id, column.params
    chain = chain_key(base_url, model_id, system_prompt)
    step = continuation(turns, system_prompt, chain=chain, store=stores(params), resend=resend)
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
        step.reason,
    )
