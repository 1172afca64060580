"""The sidebar's connection status, rendered by ``app.py`` on every page: one line (the backend and
the server's word on it, e.g. "xAI · key ok") that opens the connection settings. A problem (a
refused key, a server away) shows under it, without opening anything."""

from __future__ import annotations

import os

import streamlit as st

from playground.core.connection import (
    BACKEND_CUSTOM,
    BACKEND_LABELS,
    BACKEND_LOCAL,
    BACKEND_XAI,
    BackendPolicy,
    Connection,
    ConnectionStatus,
    redact_key,
    status_line,
)
from playground.shell.session import (
    API_KEY_KEY,
    BACKEND_KEY,
    CUSTOM_URL_KEY,
    TYPED_KEY_KEY,
    connection_status,
    current_connection,
    deployment_policy,
    forget_connection_status,
    local_model_problems,
    session_backend,
)

__all__ = ["render_connection_panel"]

#: The empty key field's placeholder: an instruction, not something that looks like a filled key.
NO_KEY_HINT = "Paste an xAI API key"
_NO_CUSTOM_KEY_HINT = "Paste the server's API key, if it needs one"
_KEY_SOURCE_HINTS = {
    "typed": "Using the key you typed",
    "environment": "Using XAI_API_KEY from the environment",
    "secrets": "Using XAI_API_KEY from secrets.toml",
}
_ICONS = {
    "success": ":material/check_circle:",
    "warning": ":material/warning:",
    "error": ":material/error:",
    "info": ":material/info:",
}
_SHOW = {"warning": st.warning, "error": st.error, "info": st.info}


def _take_typed_key() -> None:
    """Keep a typed key in this session's state and empty the field (the key then never goes
    back to the browser). Typing a key while on the local backend means: use xAI with it (when
    xAI is on offer)."""
    state = st.session_state
    typed = str(state.get(API_KEY_KEY) or "").strip()
    state[API_KEY_KEY] = ""
    if not typed:
        return
    state[TYPED_KEY_KEY] = typed
    forget_connection_status()
    on_local = state.get(BACKEND_KEY) == BACKEND_LOCAL
    if on_local and BACKEND_XAI in deployment_policy().allowed:
        state[BACKEND_KEY] = BACKEND_XAI


def _forget_typed_key() -> None:
    st.session_state.pop(TYPED_KEY_KEY, None)
    forget_connection_status()


def _settle_choice(policy: BackendPolicy) -> None:
    """The session's backend (only one the deployment allows) and, for Custom, a base URL, set
    before the connection is read."""
    st.session_state[BACKEND_KEY] = session_backend(policy)
    if st.session_state[BACKEND_KEY] == BACKEND_CUSTOM:
        prefixes = policy.custom_url_prefixes
        default_url = os.environ.get("XAI_BASE_URL", "http://127.0.0.1:8000/v1")
        st.session_state.setdefault(CUSTOM_URL_KEY, prefixes[0] if prefixes else default_url)


def _backend_choice(policy: BackendPolicy) -> None:
    """The backend radio, with only the backends the deployment allows (a caption when one)."""
    if len(policy.allowed) == 1:
        st.caption(f"Backend: {BACKEND_LABELS[policy.allowed[0]]} (set by this deployment)")
    else:
        st.radio(
            "Backend",
            options=list(policy.allowed),
            format_func=BACKEND_LABELS.__getitem__,
            key=BACKEND_KEY,
        )
    if st.session_state.get(BACKEND_KEY) == BACKEND_CUSTOM:
        prefixes = policy.custom_url_prefixes
        allowed = f" under {', '.join(prefixes)}" if prefixes else ""
        st.text_input("Base URL", key=CUSTOM_URL_KEY, help=f"Any OpenAI-compatible server{allowed}")


def _key_field(connection: Connection) -> None:
    """The API key field (emptied once a key is taken) and "Forget the typed key"."""
    no_key = _NO_CUSTOM_KEY_HINT if connection.backend == BACKEND_CUSTOM else NO_KEY_HINT
    hint = _KEY_SOURCE_HINTS.get(connection.key_source, no_key)
    if connection.key_source in _KEY_SOURCE_HINTS:
        hint = f"{hint} ({redact_key(connection.api_key)})"
    st.text_input(
        "API key",
        type="password",
        key=API_KEY_KEY,
        placeholder=hint,
        on_change=_take_typed_key,
        help="Kept in this browser session only; a typed key overrides the environment.",
    )
    if connection.key_source == "typed":
        st.button(
            "Forget the typed key",
            key="_forget_typed_key",
            type="tertiary",
            on_click=_forget_typed_key,
        )


def _settings(policy: BackendPolicy, connection: Connection, status: ConnectionStatus) -> None:
    """What the status line opens: backend, base URL, key, the server's full word, Check again."""
    _backend_choice(policy)
    _key_field(connection)
    if status.level == "success":  # anything else shows under the status line already
        st.success(status.headline, icon=_ICONS[status.level])
    for line in status.details:
        st.caption(line)
    st.button(
        "Check again",
        key="_recheck_connection",
        type="tertiary",
        icon=":material/refresh:",
        on_click=forget_connection_status,
    )


def render_connection_panel() -> Connection:
    """The one-line connection status with its settings, and any problem under it. Returns the
    session's connection."""
    policy = deployment_policy()
    with st.sidebar:
        for problem in policy.problems:
            st.error(problem, icon=":material/error:")
        _settle_choice(policy)
        connection = current_connection()
        status = connection_status(connection)
        with st.popover(
            status_line(connection.backend, status),
            icon=_ICONS[status.level],
            width="stretch",
            help="Backend, API key and what the server says about them",
        ):
            _settings(policy, connection, status)
        if status.level != "success":
            _SHOW[status.level](status.headline, icon=_ICONS[status.level])
        if connection.backend == BACKEND_LOCAL:
            for problem in local_model_problems():
                st.warning(problem, icon=":material/warning:")
    return connection
