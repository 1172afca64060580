"""The open conversation in the workspace store: opened from the URL (``?c=<id>``), saved as the
user works (only when it changed), the history panel, and "New chat".

The page calls :func:`open_from_url` before it draws its widgets (opening sets the model, the
system prompt and the parameters), :func:`history` in its sidebar, and :func:`autosave` before a
send and at the end of every run. The conversation gets its id, and the URL names it, when it is
first saved (the first message). The id is this session's until "New chat" or another item is
opened; a page switch that drops ``?c=`` puts it back.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.conversation import ChatState
from playground.chat.export import ImportedConversation
from playground.chat.panel import load_parameters
from playground.chat.saved import (
    KIND,
    SavedConversation,
    body_digest,
    from_body,
    search_text,
    title_of,
    to_body,
)
from playground.shell.history import history_panel
from playground.shell.model_picker import language_models
from playground.store import SafeStore, new_item_id
from xai_core import XaiClient, XaiError

__all__ = [
    "CONVERSATION_PARAM",
    "autosave",
    "history",
    "load_conversation",
    "open_from_url",
    "start_new",
]

CONVERSATION_PARAM = "c"
_OPEN = "chat_open_item"  # the open conversation's id (None: new, not saved yet)
_SAVED = "chat_saved_digest"  # the digest of what was last saved (or found on opening)
_ADOPT = "chat_adopt_digest"  # after opening: the next autosave takes the page's digest as saved


def load_conversation(
    client: XaiClient, state: ChatState, conversation: SavedConversation | ImportedConversation
) -> list[str]:
    """Put a conversation and its settings into the page (call before its widgets are drawn: from
    a callback or the top of the page); the model only when the server offers it. Returns the
    parameter names the panel could not show (left out)."""
    state.replace(conversation.turns)
    state.editing = None
    state.last_body = None
    st.session_state["chat_system_prompt"] = conversation.system_prompt
    model = conversation.model
    if model and model in _offered_models(client):
        st.session_state["chat_model"] = model
    return load_parameters(conversation.parameters)


def _offered_models(client: XaiClient) -> set[str]:
    """The server's text models; none when it cannot be asked (a refused key, a server away)."""
    try:
        return {m.id for m in language_models(client)}
    except XaiError:
        return set()


def start_new(state: ChatState) -> None:
    """Callback of "New chat": an empty conversation, not saved until its first message (the
    model, system prompt and parameters stay as they are)."""
    state.clear()
    state.last_body = None
    st.session_state[_OPEN] = None
    st.session_state[_SAVED] = None
    if CONVERSATION_PARAM in st.query_params:
        del st.query_params[CONVERSATION_PARAM]


def open_item(item_id: str) -> None:
    """Callback of the history list: name ``item_id`` in the URL; the page opens it."""
    st.query_params[CONVERSATION_PARAM] = item_id


def open_from_url(client: XaiClient, state: ChatState, store: SafeStore, workspace: str) -> None:
    """Open the conversation ``?c=`` names when it is not the open one (a new session, a link,
    the history list); put the open one's id back in the URL when a page switch dropped it. An
    id this workspace does not have: a plain "not found" and an empty chat."""
    wanted = st.query_params.get(CONVERSATION_PARAM)
    current = st.session_state.get(_OPEN)
    if not wanted:
        if current:
            st.query_params[CONVERSATION_PARAM] = current
        return
    if wanted == current:
        return
    item = store.read(lambda s: s.get_item(workspace, wanted), None)
    problem = store.problem
    start_new(state)
    if item is None or item.kind != KIND:
        why = f"it could not be read ({problem})" if problem else "it was not found"
        state.notice = ("error", f"Conversation not opened: {why}.")
        return
    try:
        saved = from_body(item.body)
    except ValueError as exc:
        state.notice = ("error", f"Conversation “{item.title}” not opened: {exc}.")
        return
    skipped = load_conversation(client, state, saved)
    st.session_state[_OPEN] = wanted
    st.query_params[CONVERSATION_PARAM] = wanted
    st.session_state[_ADOPT] = True
    if skipped:
        state.notice = ("error", f"Opened without these parameters: {', '.join(skipped)}.")


def history(state: ChatState, store: SafeStore, workspace: str) -> None:
    """The "New chat" button and the History expander for conversations."""
    history_panel(
        store,
        workspace,
        KIND,
        current=st.session_state.get(_OPEN),
        on_open=open_item,
        on_new=lambda: start_new(state),
        key="chat_history",
        new_label="New chat",
    )


def autosave(
    state: ChatState,
    store: SafeStore,
    workspace: str,
    model_id: str,
    parameters: dict[str, Any],
    system_prompt: str,
) -> None:
    """Save the conversation when it differs from what was last saved: the first message gives
    it an id (named in the URL); an empty new chat is not saved. Once opened, the page's first
    state counts as saved (opening writes nothing). A stored title (a rename) is kept."""
    session = st.session_state
    item_id: str | None = session.get(_OPEN)
    if item_id is None and not state.turns:
        return
    body = to_body(model_id, parameters, system_prompt, state.turns)
    digest = body_digest(body)
    if session.pop(_ADOPT, False) or session.get(_SAVED) == digest:
        session[_SAVED] = digest
        return
    if item_id is None:
        item_id = session[_OPEN] = new_item_id()
        st.query_params[CONVERSATION_PARAM] = item_id
    title, text = title_of(state.turns), search_text(system_prompt, state.turns)
    store.write(
        f"{KIND}:{item_id}",
        lambda s: s.put_item(
            workspace, item_id, KIND, title=title, body=body, text=text, keep_title=True
        ),
    )
    session[_SAVED] = digest
