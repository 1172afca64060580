"""STAND-IN, to be swapped at merge: helper "keep" owns ``playground/shell/workspace.py`` with the
real ``workspace_id()`` (cookie) and ``workspace_store()``. This module is the only place the
completions and embeddings pages get them from; at merge, point the imports of
``playground.shell.workspace_standin`` at ``playground.shell.workspace`` and delete this file.
"""

from __future__ import annotations

import streamlit as st

from playground.store import SafeStore, Store, database_url, new_workspace_id

__all__ = ["workspace_id", "workspace_store"]


def workspace_id() -> str:
    """This session's workspace (the real one reads the browser's cookie; tests may set
    ``st.session_state["_workspace_id"]`` before the first run)."""
    workspace: str = st.session_state.setdefault("_workspace_id", new_workspace_id())
    return workspace


@st.cache_resource(show_spinner=False)
def workspace_store() -> SafeStore:
    """The app server's one store (opened lazily, holds no key)."""
    return SafeStore(lambda: Store(database_url()))
