"""The conversation as drawn: the notices above it, every turn (with edit and resend, the n
alternatives, the tool-results form and the retry buttons), and the latest compare run.

Every function takes the page's :class:`ChatState`; the callbacks get it through ``args``.
"""

from __future__ import annotations

import streamlit as st

from playground.chat.api_choice import CHAT_COMPLETIONS
from playground.chat.conversation import ChatState, Turn
from playground.chat.images import thumbnails
from playground.chat.panel import clear_parameter
from playground.chat.responses_panel import api_key
from playground.chat.responses_reply import OFFER_CHAT_COMPLETIONS, OFFER_RESEND
from playground.chat.view import show_reply_body
from playground.core.catalog import ModelInfo
from playground.core.connection import BACKEND_LOCAL, Connection
from playground.shell.session import current_connection

__all__ = [
    "show_compared",
    "show_conversation",
    "show_notices",
    "show_read_only",
    "show_thumbnails",
    "show_turn",
]

_THUMBNAIL_PX = 160


def show_notices(state: ChatState, connection: Connection, model: ModelInfo) -> None:
    """The notice an import left for this run, and what the local model is."""
    notice = state.take_notice()
    if notice is not None:
        (st.error if notice[0] == "error" else st.success)(notice[1])
    if connection.backend == BACKEND_LOCAL:
        st.caption(
            f"{model.id} is a small offline model running on this machine: it can be wrong. "
            "Enter an xAI API key in the sidebar to chat with Grok."
        )


def show_conversation(state: ChatState) -> None:
    """Every turn of the conversation, in order."""
    for index, turn in enumerate(state.turns):
        show_turn(state, index, turn)


def show_read_only(turns: list[Turn]) -> None:
    """Every turn as it looks, without a button or a field that would change it."""
    for turn in turns:
        if turn.role == "tool":
            _show_tool_result(turn)
            continue
        with st.chat_message(turn.role):
            if turn.role == "user":
                _show_user_text(turn)
                continue
            show_reply_body(turn)
            if turn.alternatives:
                _show_alternative_tabs(turn)


def _show_tool_result(turn: Turn) -> None:
    with st.chat_message("tool", avatar=":material/build:"):
        st.caption(f"Result for {turn.tool_call_id}")
        st.code(turn.content, language=None)


def _show_user_text(turn: Turn) -> None:
    st.markdown(turn.content)
    show_thumbnails(turn.images, turn.image_detail)


def show_thumbnails(urls: list[str], detail: str | None = None) -> None:
    """The images as a row of thumbnails (an upload from its bytes, a web image by its URL),
    never as the text of a data URL; one that cannot be drawn says so. ``detail`` is said
    under them when one was chosen."""
    if not urls:
        return
    shown, unreadable = thumbnails(urls)
    for number in unreadable:
        st.caption(f":material/broken_image: Image {number} cannot be shown.")
    if shown:
        with st.container(horizontal=True, gap="small"):
            for number, image in shown:
                st.image(image, width=_THUMBNAIL_PX, alt=f"Image {number}")
    if detail:
        count = f"{len(urls)} image{'s' if len(urls) > 1 else ''}"
        st.caption(f":material/image: {count} · detail: {detail}")


def show_turn(state: ChatState, index: int, turn: Turn) -> None:
    """One turn: a tool result, a user message, or a reply (with its buttons when it is last)."""
    if turn.role == "tool":
        _show_tool_result(turn)
        return
    with st.chat_message(turn.role):
        if turn.role == "user":
            _show_user_turn(state, index, turn)
            return
        show_reply_body(turn)
        if turn.alternatives:
            _show_alternatives(state, index, turn)
        if index != len(state.turns) - 1:
            return
        if turn.tool_calls:
            _show_tool_results_form(state, index, turn)
        if turn.error:
            st.button(
                "Retry",
                key="chat_retry",
                icon=":material/replay:",
                on_click=state.send_again,
            )
        if turn.rejected_parameter:
            st.button(
                f"Retry without {turn.rejected_parameter}",
                key="chat_retry_without",
                icon=":material/replay:",
                on_click=_retry_without,
                args=(state, turn.rejected_parameter),
            )
        _show_offer(state, turn.offer)


def _show_offer(state: ChatState, offer: str | None) -> None:
    """The one click that fixes the last reply's error, when there is one."""
    if offer == OFFER_CHAT_COMPLETIONS:
        st.button(
            "Switch to Chat Completions",
            key="chat_switch_api",
            icon=":material/swap_horiz:",
            on_click=_use_chat_completions,
            args=(state,),
        )
    elif offer == OFFER_RESEND:
        st.button(
            "Resend the history instead",
            key="chat_resend_history",
            icon=":material/replay:",
            on_click=_resend_history,
            args=(state,),
        )


def _use_chat_completions(state: ChatState) -> None:
    """Callback: this backend's chat goes on by Chat Completions; the failed reply is sent
    again that way (the conversation is kept)."""
    st.session_state[api_key(current_connection().backend)] = CHAT_COMPLETIONS
    state.send_again()


def _resend_history(state: ChatState) -> None:
    """Callback: send the failed turn again with the whole history instead of the stored id."""
    state.resend_history = True
    state.send_again()


def _retry_without(state: ChatState, name: str) -> None:
    """Callback: clear the parameter the server rejected, drop the failed reply, send again."""
    clear_parameter(name)
    state.send_again()


def _pick_alternative(state: ChatState, index: int) -> None:
    """Callback: continue the conversation with the alternative chosen for turn ``index``."""
    turn = state.turns[index]
    turn.content = turn.alternatives[st.session_state[f"chat_pick_{index}"]]


def _show_alternative_tabs(turn: Turn) -> list[str]:
    """With n > 1: every choice in a tab; returns the tabs' labels."""
    labels = [f"Reply {k + 1}" for k in range(len(turn.alternatives))]
    for tab, text in zip(st.tabs(labels), turn.alternatives, strict=True):
        tab.markdown(text)
    return labels


def _show_alternatives(state: ChatState, index: int, turn: Turn) -> None:
    """With n > 1: every choice in a tab, and which one the conversation continues with."""
    labels = _show_alternative_tabs(turn)
    chosen = turn.alternatives.index(turn.content) if turn.content in turn.alternatives else 0
    st.radio(
        "Continue with",
        range(len(turn.alternatives)),
        index=chosen,
        format_func=lambda k: labels[k],
        horizontal=True,
        key=f"chat_pick_{index}",
        on_change=_pick_alternative,
        args=(state, index),
    )


def _show_user_turn(state: ChatState, index: int, turn: Turn) -> None:
    """A user message with its Edit button, or, while it is edited, the edit box."""
    if state.editing == index:
        text = st.text_area("Edit message", value=turn.content, key=f"chat_edit_{index}")
        left, right = st.columns(2)
        resend = left.button("Resend from here", key=f"chat_resend_{index}", type="primary")
        if resend and not text.strip():
            st.caption(":material/info: Nothing sent: the message is empty (Cancel keeps it).")
        elif resend:
            state.resend_from(index, text)
            st.rerun()
        if right.button("Cancel", key=f"chat_cancel_{index}"):
            state.editing = None
            st.rerun()
        return
    _show_user_text(turn)
    if st.button("Edit", key=f"chat_edit_button_{index}", icon=":material/edit:", type="tertiary"):
        state.editing = index
        st.rerun()


def _show_tool_results_form(state: ChatState, index: int, turn: Turn) -> None:
    """Under the last reply's tool calls: the user types each result, then the chat goes on."""
    with st.form(f"chat_tool_form_{index}"):
        results = [
            st.text_area(
                f"Result of {call.get('function', {}).get('name', 'the call')}",
                key=f"chat_tool_result_{index}_{k}",
            )
            for k, call in enumerate(turn.tool_calls)
        ]
        if st.form_submit_button("Send tool results", icon=":material/send:"):
            state.add_tool_results(turn.tool_calls, results)
            st.rerun()


def show_compared(state: ChatState) -> None:
    """The latest compare run, side by side; any column's reply can continue the conversation."""
    if not state.compared:
        return
    for column, (label, reply) in zip(st.columns(len(state.compared)), state.compared, strict=True):
        with column:
            st.caption(label)
            with st.chat_message("assistant"):
                show_reply_body(reply, key=f"chat_compare_{label}")
            if st.button("Continue with this reply", key=f"chat_compare_pick_{label}"):
                state.continue_with(reply)
                st.rerun()
