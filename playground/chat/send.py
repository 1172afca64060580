"""Sending the conversation: one model's reply streamed into a chat message, or every compared
column's at once (each with its own model and parameters); whatever arrives is kept, even if
stopped or cut."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from playground.chat.compare import Column
from playground.chat.conversation import ChatState, Turn, finish_turn, to_messages
from playground.chat.panel import ParameterPanel
from playground.chat.view import draw
from playground.core.streaming import Run, run_all
from playground.shell.runs import run_in_progress
from xai_core import ChatCompletion, ChatStream, XaiClient, chat_body

__all__ = ["STREAMING", "send"]

STREAMING = "chat_streaming"  # the last streaming run's handle (playground.shell.runs)


def send(
    client: XaiClient,
    state: ChatState,
    columns: list[Column],
    system_prompt: str,
    panel: ParameterPanel,
) -> None:
    """Send the conversation to ``columns`` (the page's model, then any compared ones) and rerun
    to show the result; with invalid parameters, say so and send nothing."""
    if panel.errors:
        st.error(
            "Not sent: fix the parameters first. " + " ".join(panel.errors),
            icon=":material/error:",
        )
        return
    messages = to_messages(system_prompt, state.turns)
    state.last_body = chat_body(columns[0].model.id, messages, columns[0].params, stream=True)
    if len(columns) > 1:
        _stream_compare(client, state, columns, messages)
    else:
        _stream_reply(client, state, columns[0], messages)
    st.rerun()


def _stop_button() -> None:
    """A click reruns the page, which interrupts the stream: the partial reply is kept and shown
    marked as stopped (the chat input's stop button halts the run without redrawing it)."""
    st.button("Stop", key="chat_stop_streaming", icon=":material/stop_circle:")


def _opener(
    client: XaiClient, model_id: str, messages: list[dict[str, Any]], params: dict[str, Any]
) -> Callable[[], ChatStream]:
    """Opens ``model_id``'s stream of the conversation."""
    return lambda: client.stream_chat(model=model_id, messages=messages, **params)


def _drawer(thinking_slot: Any, answer_slot: Any) -> Callable[[ChatCompletion], None]:
    """Redraws a streaming reply into its two slots."""
    return lambda reply: draw(reply, thinking_slot, answer_slot)


def _stream_reply(
    client: XaiClient, state: ChatState, column: Column, messages: list[dict[str, Any]]
) -> None:
    """Stream the next assistant turn into the conversation."""
    turn = Turn("assistant", "")
    state.turns.append(turn)  # in the history first, so a stop or a failure keeps what came
    with st.chat_message("assistant"):
        thinking_slot, answer_slot = st.empty(), st.empty()
    _stop_button()
    run = _run(client, column, messages)
    with run_in_progress(STREAMING):
        try:
            run.go(_drawer(thinking_slot, answer_slot))
        finally:
            finish_turn(turn, run, column.params)
            state.ledger.add_reply(turn)


def _run(client: XaiClient, column: Column, messages: list[dict[str, Any]]) -> Run[ChatCompletion]:
    """The (not yet started) run of ``column``'s model with its parameters."""
    model = column.model
    opener = _opener(client, model.id, messages, column.params)
    return Run(model.id, model.prices, open_stream=opener)


def _stream_compare(
    client: XaiClient, state: ChatState, columns: list[Column], messages: list[dict[str, Any]]
) -> None:
    """Every column at once, drawn as they come, kept in ``compared`` under their labels."""
    replies = [Turn("assistant", "") for _ in columns]
    state.compared = list(zip([c.label for c in columns], replies, strict=True))
    drawers = []
    for slot, column in zip(st.columns(len(columns)), columns, strict=True):
        with slot:
            st.caption(column.label)
            drawers.append(_drawer(st.empty(), st.empty()))
    _stop_button()
    runs = [_run(client, column, messages) for column in columns]
    with run_in_progress(STREAMING):
        try:
            run_all(runs, drawers)
        finally:
            for reply, run, column in zip(replies, runs, columns, strict=True):
                finish_turn(reply, run, column.params)
                state.ledger.add_reply(reply)
