"""Sending the conversation: one model's reply streamed into a chat message, or every compared
column's at once (each with its own model and parameters), by Chat Completions or Responses;
whatever arrives is kept, even if stopped, cut or incomplete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from playground.chat.compare import Column
from playground.chat.conversation import ChatState, Turn, to_messages
from playground.chat.outgoing import Outgoing, chat_outgoing, responses_outgoing
from playground.chat.panel import ParameterPanel
from playground.chat.view import draw
from playground.core.streaming import run_all
from playground.shell.runs import run_in_progress
from xai_core import XaiClient

__all__ = ["STREAMING", "ResponsesSetup", "send"]

STREAMING = "chat_streaming"  # the last streaming run's handle (playground.shell.runs)


@dataclass(frozen=True)
class ResponsesSetup:
    """What a Responses request needs besides the panel: the server-side tools (and the
    problems that block sending) and the server's base URL (it names the stored replies'
    chain)."""

    base_url: str
    server_tools: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def send(
    client: XaiClient,
    state: ChatState,
    columns: list[Column],
    system_prompt: str,
    panel: ParameterPanel,
    responses: ResponsesSetup | None = None,
) -> None:
    """Send the conversation to ``columns`` (the page's model, then any compared ones) by Chat
    Completions, or by Responses with ``responses``, and rerun to show the result; with invalid
    parameters or tool settings, say so and send nothing (the conversation is kept)."""
    errors = panel.errors + (responses.errors if responses is not None else [])
    if errors:
        st.error("Not sent: fix the parameters first. " + " ".join(errors), icon=":material/error:")
        return
    outgoing = _outgoing(client, state, columns, system_prompt, responses)
    state.last_body, state.last_endpoint = outgoing[0].body, outgoing[0].endpoint
    if len(outgoing) > 1:
        _stream_compare(state, outgoing)
    else:
        _stream_reply(state, outgoing[0])
    st.rerun()


def _outgoing(
    client: XaiClient,
    state: ChatState,
    columns: list[Column],
    system_prompt: str,
    responses: ResponsesSetup | None,
) -> list[Outgoing]:
    if responses is None:
        messages = to_messages(system_prompt, state.turns)
        return [chat_outgoing(client, column, messages) for column in columns]
    resend, state.resend_history = state.resend_history, False
    return [
        responses_outgoing(
            client,
            column,
            state.turns,
            system_prompt,
            server_tools=responses.server_tools,
            base_url=responses.base_url,
            resend=resend,
        )
        for column in columns
    ]


def _stop_button() -> None:
    """A click reruns the page, which interrupts the stream: the partial reply is kept and shown
    marked as stopped (as after the chat input's square or the toolbar's Stop, which stop the run:
    :func:`playground.shell.runs.run_in_progress` then runs the page again)."""
    st.button("Stop", key="chat_stop_streaming", icon=":material/stop_circle:")


def _drawer() -> Callable[[Any], None]:
    """Redraws a streaming reply into three slots: thinking, tool calls, answer."""
    thinking_slot, activity_slot, answer_slot = st.empty(), st.empty(), st.empty()
    return lambda reply: draw(reply, thinking_slot, activity_slot, answer_slot)


def _stream_reply(state: ChatState, outgoing: Outgoing) -> None:
    """Stream the next assistant turn into the conversation."""
    turn = Turn("assistant", "")
    state.turns.append(turn)  # in the history first, so a stop or a failure keeps what came
    run = outgoing.run()
    with run_in_progress(STREAMING):
        try:
            with st.chat_message("assistant"):
                if outgoing.note:
                    st.caption(outgoing.note)
                drawer = _drawer()
            _stop_button()
            run.go(drawer)
        finally:
            outgoing.finish(turn, run)
            state.ledger.add_reply(turn)


def _stream_compare(state: ChatState, outgoing: list[Outgoing]) -> None:
    """Every column at once, drawn as they come, kept in ``compared`` under their labels."""
    replies = [Turn("assistant", "") for _ in outgoing]
    state.compared = list(zip([o.column.label for o in outgoing], replies, strict=True))
    runs = [request.run() for request in outgoing]
    with run_in_progress(STREAMING):
        try:
            drawers = []
            for slot, request in zip(st.columns(len(outgoing)), outgoing, strict=True):
                with slot:
                    st.caption(request.column.label)
                    drawers.append(_drawer())
            _stop_button()
            run_all(runs, drawers)
        finally:
            for reply, run, request in zip(replies, runs, outgoing, strict=True):
                request.finish(reply, run)
                state.ledger.add_reply(reply)
