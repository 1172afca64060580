"""Sending the conversation: one model's reply streamed into a chat message, or every compared
model's at once in columns; whatever arrives is kept, even if stopped or cut."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from playground.chat.conversation import ChatState, Turn, finish_turn, to_messages
from playground.chat.panel import ParameterPanel
from playground.chat.view import draw
from playground.core.catalog import ModelInfo
from playground.core.streaming import Run, run_all
from playground.shell.runs import run_in_progress
from xai_core import ChatCompletion, ChatStream, XaiClient, chat_body

__all__ = ["STREAMING", "send"]

STREAMING = "chat_streaming"  # the last streaming run's handle (playground.shell.runs)


def send(
    client: XaiClient,
    state: ChatState,
    models: list[ModelInfo],
    system_prompt: str,
    panel: ParameterPanel,
) -> None:
    """Send the conversation to ``models`` (one, or several to compare) and rerun to show the
    result; with invalid parameters, say so and send nothing."""
    if panel.errors:
        st.error(
            "Not sent: fix the parameters first. " + " ".join(panel.errors),
            icon=":material/error:",
        )
        return
    messages = to_messages(system_prompt, state.turns)
    state.last_body = chat_body(models[0].id, messages, panel.params, stream=True)
    if len(models) > 1:
        _stream_compare(client, state, models, messages, panel.params)
    else:
        _stream_reply(client, state, models[0], messages, panel.params)
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
    client: XaiClient,
    state: ChatState,
    model: ModelInfo,
    messages: list[dict[str, Any]],
    params: dict[str, Any],
) -> None:
    """Stream the next assistant turn into the conversation."""
    turn = Turn("assistant", "")
    state.turns.append(turn)  # in the history first, so a stop or a failure keeps what came
    with st.chat_message("assistant"):
        thinking_slot, answer_slot = st.empty(), st.empty()
    _stop_button()
    run = Run(model.id, model.prices, open_stream=_opener(client, model.id, messages, params))
    with run_in_progress(STREAMING):
        try:
            run.go(_drawer(thinking_slot, answer_slot))
        finally:
            finish_turn(turn, run, params)
            state.ledger.add_reply(turn)


def _stream_compare(
    client: XaiClient,
    state: ChatState,
    models: list[ModelInfo],
    messages: list[dict[str, Any]],
    params: dict[str, Any],
) -> None:
    """Every model at once; one column per model, drawn as they come, kept in ``compared``."""
    replies = [Turn("assistant", "") for _ in models]
    state.compared = list(zip([m.id for m in models], replies, strict=True))
    drawers = []
    for column, info in zip(st.columns(len(models)), models, strict=True):
        with column:
            st.caption(info.id)
            drawers.append(_drawer(st.empty(), st.empty()))
    _stop_button()
    runs: list[Run[ChatCompletion]] = [
        Run(m.id, m.prices, open_stream=_opener(client, m.id, messages, params)) for m in models
    ]
    with run_in_progress(STREAMING):
        try:
            run_all(runs, drawers)
        finally:
            for reply, run in zip(replies, runs, strict=True):
                finish_turn(reply, run, params)
                state.ledger.add_reply(reply)
