"""How an assistant reply looks: its Thinking block, answer, tool calls, marks and stats line.

Model text is rendered as Markdown (never as HTML) or as code.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.conversation import Turn
from xai_core import ChatCompletion

__all__ = ["draw", "show_reply_body"]


def show_reply_body(turn: Turn) -> None:
    """Reasoning, answer, tool calls, and the partial/error marks of an assistant turn."""
    if turn.reasoning:
        with st.expander("Thinking", icon=":material/psychology:"):
            st.markdown(turn.reasoning)
    if turn.content and not turn.alternatives:
        st.markdown(turn.content)
    for call in turn.tool_calls:
        with st.container(border=True):
            function = call.get("function", {})
            st.caption(f":material/build: Tool call · {call.get('id', '')}")
            st.code(f"{function.get('name', '')}({function.get('arguments', '')})", language=None)
    if turn.stopped:
        st.caption(":material/stop_circle: Stopped: the reply above is partial.")
    if turn.error:
        if turn.content:
            st.caption(":material/warning: Incomplete: the stream ended early.")
        st.error(turn.error, icon=":material/error:")
    if turn.stats is not None:
        st.caption(turn.stats.line())


def draw(reply: ChatCompletion, thinking_slot: Any, answer_slot: Any) -> None:
    """Redraw a streaming reply in place from the client's snapshot: choice 0's reasoning into
    ``thinking_slot`` (open until the answer starts), its answer with a cursor into
    ``answer_slot``."""
    first = next((c.message for c in reply.choices if c.index == 0), None)
    reasoning = (first.reasoning_content if first is not None else None) or ""
    content = (first.content if first is not None else None) or ""
    if reasoning:
        box = thinking_slot.container()
        with box.expander("Thinking", expanded=not content, icon=":material/psychology:"):
            st.markdown(reasoning)
    answer_slot.markdown(content + " ▌")
