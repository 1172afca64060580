"""This browser's workspace (Streamlit side): its id, kept in a cookie, and the app server's store.

Each browser gets one unguessable id (``new_workspace_id()``) in the cookie
``xai_playground_workspace`` (path ``/``, SameSite=Lax, 400 days, Secure over HTTPS), read with
``st.context.cookies``. A browser without it gets a new id, written by a tiny script
(``st.html(..., unsafe_allow_javascript=True)``, drawn while the cookie is missing); the next
session of that browser (a reload, an app restart) sends it back. The id lives in the session's
``st.session_state["_workspace_id"]`` (tests may set it before the first run); it is never put in
a URL. Everything the store reads or writes is scoped by it.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from playground.store import SafeStore, Store, database_url, new_workspace_id

__all__ = [
    "COOKIE_NAME",
    "keep_in_cookie",
    "render_store_warning",
    "store_warning",
    "workspace_id",
    "workspace_store",
]

COOKIE_NAME = "xai_playground_workspace"
_STATE_KEY = "_workspace_id"
_COOKIE_DAYS = 400
#: What ``new_workspace_id()`` makes (``secrets.token_urlsafe(24)``: 32 characters); a cookie
#: that does not look like one is replaced.
_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,128}")


def _cookie_script(workspace: str) -> str:
    """The script that stores ``workspace`` in this browser's cookie."""
    cookie = f"{COOKIE_NAME}={workspace}; path=/; max-age={_COOKIE_DAYS * 86400}; SameSite=Lax"
    return (
        "<script>document.cookie = "
        f"{json.dumps(cookie)} + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )


def workspace_id() -> str:
    """This browser's workspace id: the session's, else the cookie's, else a new one (which
    :func:`keep_in_cookie` stores in the cookie)."""
    state = st.session_state
    workspace = state.get(_STATE_KEY)
    if not isinstance(workspace, str) or not workspace:
        cookie = st.context.cookies.get(COOKIE_NAME)
        valid = isinstance(cookie, str) and _ID_PATTERN.fullmatch(cookie)
        workspace = cookie if valid and cookie else new_workspace_id()
        state[_STATE_KEY] = workspace
    return str(workspace)


def keep_in_cookie(workspace: str) -> None:
    """While this browser's cookie does not hold ``workspace``, draw the script that sets it (in
    the sidebar; it shows nothing). The router calls it once a run: one script, one gap."""
    if st.context.cookies.get(COOKIE_NAME) != workspace and _ID_PATTERN.fullmatch(workspace):
        st.sidebar.html(_cookie_script(workspace), unsafe_allow_javascript=True)


@st.cache_resource(show_spinner=False)
def workspace_store() -> SafeStore:
    """The app server's one store (``PLAYGROUND_DB_URL`` or the default SQLite file), opened on
    first use and reopened after a fault; it holds no key. Its writes are made by a writer thread
    (a page run never waits for them; flushed at exit), its reads see them all."""
    return SafeStore(lambda: Store(database_url()), background=True)


def store_warning(problem: str | None) -> str | None:
    """The sidebar's sentence for a store ``problem`` (None when healthy)."""
    if not problem:
        return None
    return f"Not saving: {problem}. Your work is kept in this tab and saved when it comes back."


def render_store_warning(store: SafeStore) -> None:
    """A plain warning in the sidebar while the store cannot be used."""
    message = store_warning(store.problem)
    if message:
        st.sidebar.warning(_plain(message), icon=":material/cloud_off:")


def _plain(text: str) -> str:
    """``text`` shown as is by Markdown elements (no emphasis, links or HTML from a path or URL)."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~$:])", r"\\\1", text)
