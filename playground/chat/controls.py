"""The row under the conversation: Regenerate (or Send), Clear conversation and View code."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.conversation import ChatState, to_messages
from playground.shell.code_view import view_code_button
from xai_core import chat_body

__all__ = ["show_controls"]


def show_controls(
    state: ChatState, model_id: str, system_prompt: str, params: dict[str, Any], base_url: str
) -> None:
    """Regenerate the last reply (or send the last message or tool results), clear the
    conversation, and view the code of the last request (or of the next one)."""
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
        body = state.last_body or chat_body(
            model_id, to_messages(system_prompt, state.turns), params, stream=True
        )
        view_code_button("chat/completions", body, base_url, key="chat_view_code")
