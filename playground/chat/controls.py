"""The row under the conversation: Regenerate (or Send), Clear conversation and View code."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.continuation import history_items
from playground.chat.conversation import ChatState, to_messages
from playground.chat.outgoing import CHAT_ENDPOINT, RESPONSES_ENDPOINT
from playground.chat.responses_request import response_params
from playground.shell.code_view import view_code_button
from xai_core import chat_body, responses_body

__all__ = ["show_controls"]


def _next_body(
    state: ChatState, model_id: str, system_prompt: str, params: dict[str, Any], responses: bool
) -> tuple[str, dict[str, Any]]:
    """The endpoint and body of the next request, when none was sent yet in this session."""
    if responses:
        items = history_items(system_prompt, state.turns)
        return RESPONSES_ENDPOINT, responses_body(
            model_id,
            items,
            response_params(params),
            stream=True,
        )
    messages = to_messages(system_prompt, state.turns)
    return CHAT_ENDPOINT, chat_body(model_id, messages, params, stream=True)


def show_controls(
    state: ChatState,
    model_id: str,
    system_prompt: str,
    params: dict[str, Any],
    base_url: str,
    *,
    responses: bool = False,
) -> None:
    """Regenerate the last reply (or send the last message or tool results), clear the
    conversation, and view the code of the last request (or of the next one, by Responses when
    ``responses``)."""
    left, middle, right = st.columns(3)
    last = state.turns[-1].role
    if last == "assistant" and left.button("Regenerate", icon=":material/refresh:"):
        state.send_again()
        st.rerun()
    if last in ("user", "tool") and left.button("Send", icon=":material/send:"):
        state.pending = True
        st.rerun()
    if middle.button("Clear conversation", icon=":material/delete:"):
        state.clear()
        st.rerun()
    with right:
        if state.last_body is not None:
            endpoint, body = state.last_endpoint, state.last_body
        else:
            endpoint, body = _next_body(state, model_id, system_prompt, params, responses)
        view_code_button(endpoint, body, base_url, key="chat_view_code")
