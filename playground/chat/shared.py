"""A shared conversation (``?share=<token>``): a read-only copy, and "Fork into my workspace"
that copies it as a new conversation of the viewer's own workspace and opens it.

A token that does not exist (or whose conversation was deleted) gets one plain sentence and
nothing else: no title, no hint of any other item.
"""

from __future__ import annotations

import json

import streamlit as st

from playground.chat.history import show_read_only
from playground.chat.saved import KIND, SavedConversation, from_body, search_text
from playground.chat.stored import CONVERSATION_PARAM
from playground.shell.history import SHARE_PARAM
from playground.store import SafeStore, Shared, new_item_id

__all__ = ["NOT_FOUND", "show_shared"]

NOT_FOUND = "This shared link was not found."


def show_shared(store: SafeStore, workspace: str) -> bool:
    """When the URL has ``?share=``: draw the shared copy (or "not found") and return True; the
    page draws nothing else. False when there is no share token."""
    token = st.query_params.get(SHARE_PARAM)
    if not token:
        return False
    shared = store.read(lambda s: s.open_shared(token), None)
    saved = _conversation(shared)
    if shared is None or saved is None:
        if store.problem:
            st.warning(f"The shared link could not be opened now: {store.problem}")
        else:
            st.info(NOT_FOUND, icon=":material/link_off:")
        st.button("Start a new chat", on_click=_leave, icon=":material/add:")
        return True
    st.subheader(shared.title)
    st.caption(
        ":material/visibility: A shared read-only copy, as it was when the link was made. "
        "Fork it to continue it in your own workspace."
    )
    st.button(
        "Fork into my workspace",
        type="primary",
        icon=":material/call_split:",
        on_click=_fork,
        args=(store, workspace, shared, saved),
    )
    _show_settings(saved)
    show_read_only(saved.turns)
    return True


def _conversation(shared: Shared | None) -> SavedConversation | None:
    """The shared conversation, or None when it is missing or not one."""
    if shared is None or shared.kind != KIND:
        return None
    try:
        return from_body(shared.body)
    except ValueError:
        return None


def _show_settings(saved: SavedConversation) -> None:
    """The model, system prompt and parameters it was made with, read-only."""
    st.caption(f"Model: {saved.model or 'unknown'}")
    if saved.system_prompt.strip():
        st.caption("System prompt")
        st.code(saved.system_prompt, language=None, wrap_lines=True)
    if saved.parameters:
        st.caption("Parameters")
        st.code(json.dumps(saved.parameters, indent=2, ensure_ascii=False), language="json")


def _leave() -> None:
    """Callback: drop the share token from the URL (the page shows an empty chat)."""
    del st.query_params[SHARE_PARAM]


def _fork(store: SafeStore, workspace: str, shared: Shared, saved: SavedConversation) -> None:
    """Callback of Fork: a new conversation of this workspace with the shared body; open it."""
    item_id = new_item_id()
    text = search_text(saved.system_prompt, saved.turns)
    store.write(
        f"{KIND}:{item_id}",
        lambda s: s.put_item(
            workspace, item_id, KIND, title=shared.title, body=shared.body, text=text
        ),
    )
    del st.query_params[SHARE_PARAM]
    st.query_params[CONVERSATION_PARAM] = item_id
