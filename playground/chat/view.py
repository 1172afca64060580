"""How an assistant reply looks: its Thinking block, server-side tool calls and their sources,
answer, function calls, citations, marks and stats line.

Model and web text is rendered as Markdown (never as HTML, link text escaped) or as code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from playground.chat.conversation import Turn
from playground.chat.reply_text import citations_markdown, markdown_link, tool_activity_line
from playground.chat.responses_reply import activity_of
from playground.shell.token_view import render_token_view
from xai_core import ChatCompletion, CompletionLogprobs, Response

__all__ = ["draw", "show_reply_body"]

_SOURCES_SHOWN = 8  # sources listed per tool call


def _show_activity(activity: Iterable[Mapping[str, Any]]) -> None:
    """Each server-side tool call on a line, with its code and its sources as links."""
    for call in activity:
        st.markdown(f":material/travel_explore: {tool_activity_line(call)}")
        if call.get("code"):
            st.code(str(call["code"]), language="python")
        sources = [str(url) for url in call.get("sources") or []]
        if sources:
            links = [markdown_link(url, url) for url in sources[:_SOURCES_SHOWN]]
            more = len(sources) - _SOURCES_SHOWN
            st.caption("Sources: " + " · ".join(links) + (f" · {more} more" if more > 0 else ""))


def show_reply_body(turn: Turn, key: str = "chat") -> None:
    """Reasoning, tool calls, answer, citations, the partial/error marks, the stats and, when it
    has log-probabilities, the token view of an assistant turn (its widgets' keys start with
    ``key``)."""
    if turn.reasoning:
        with st.expander("Thinking", icon=":material/psychology:"):
            st.markdown(turn.reasoning)
    if turn.tool_activity:
        with st.container(border=True):
            _show_activity(turn.tool_activity)
    if turn.content and not turn.alternatives:
        st.markdown(turn.content)
    for call in turn.tool_calls:
        with st.container(border=True):
            function = call.get("function", {})
            st.caption(f":material/build: Tool call · {call.get('id', '')}")
            st.code(f"{function.get('name', '')}({function.get('arguments', '')})", language=None)
    if turn.citations:
        st.caption("Citations")
        st.markdown(citations_markdown(turn.citations))
    if turn.stopped:
        st.caption(":material/stop_circle: Stopped: the reply above is partial.")
    if turn.error:
        if turn.content:
            st.caption(":material/warning: Incomplete: the stream ended early.")
        st.error(turn.error, icon=":material/error:")
    if turn.stats is not None:
        st.caption(turn.stats.line())
    if turn.logprobs:
        _show_tokens(turn, f"{key}_tokens_{turn.created}")


def _show_tokens(turn: Turn, key: str) -> None:
    """The reply token by token, coloured by probability with its alternatives (the same view
    as the Completions page), in a collapsed expander; with n > 1, those of Reply 1."""
    logprobs = CompletionLogprobs.model_validate({"content": turn.logprobs})
    which = " of Reply 1" if turn.alternatives else ""
    label = f"Tokens{which} ({len(logprobs.tokens)}, with probabilities)"
    with st.expander(label, icon=":material/bar_chart:"):
        render_token_view("", "", logprobs, key=key)


def _draw_chat(reply: ChatCompletion) -> tuple[str, str]:
    first = next((c.message for c in reply.choices if c.index == 0), None)
    reasoning = (first.reasoning_content if first is not None else None) or ""
    return reasoning, (first.content if first is not None else None) or ""


def draw(
    reply: ChatCompletion | Response, thinking_slot: Any, activity_slot: Any, answer_slot: Any
) -> None:
    """Redraw a streaming reply in place from the client's snapshot: its reasoning into
    ``thinking_slot`` (open until the answer starts), a Responses reply's server-side tool calls
    as they run into ``activity_slot``, its answer with a cursor into ``answer_slot``."""
    if isinstance(reply, Response):
        reasoning, content = reply.reasoning_summary, reply.output_text
        activity = [activity_of(call) for call in reply.server_tool_calls]
        if activity:
            with activity_slot.container(border=True):
                _show_activity(activity)
    else:
        reasoning, content = _draw_chat(reply)
    if reasoning:
        box = thinking_slot.container()
        with box.expander("Thinking", expanded=not content, icon=":material/psychology:"):
            st.markdown(reasoning)
    answer_slot.markdown(content + " ▌")
