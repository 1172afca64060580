"""The sidebar connection panel, rendered by ``app.py`` on every page."""

from __future__ import annotations

import os

import streamlit as st

from playground.core.connection import (
    BACKEND_CUSTOM,
    BACKEND_LOCAL,
    BACKEND_XAI,
    BackendPolicy,
    Connection,
    redact_key,
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

_BACKEND_LABELS = {
    BACKEND_LOCAL: "Local (offline)",
    BACKEND_XAI: "xAI",
    BACKEND_CUSTOM: "Custom (OpenAI-compatible)",
}
#: The empty key field's placeholder: an instruction, not something that looks like a filled key.
NO_KEY_HINT = "Paste an xAI API key"
_KEY_SOURCE_HINTS = {
    "typed": "Using the key you typed",
    "environment": "Using XAI_API_KEY from the environment",
    "secrets": "Using XAI_API_KEY from secrets.toml",
}


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


def _backend_choice(policy: BackendPolicy) -> None:
    """The backend radio, with only the backends the deployment allows (a caption when one)."""
    for problem in policy.problems:
        st.error(problem, icon=":material/error:")
    st.session_state[BACKEND_KEY] = session_backend(policy)
    if len(policy.allowed) == 1:
        st.caption(f"Backend: {_BACKEND_LABELS[policy.allowed[0]]} (set by this deployment)")
    else:
        st.radio(
            "Backend",
            options=list(policy.allowed),
            format_func=_BACKEND_LABELS.__getitem__,
            key=BACKEND_KEY,
        )
    if st.session_state.get(BACKEND_KEY) == BACKEND_CUSTOM:
        prefixes = policy.custom_url_prefixes
        default_url = os.environ.get("XAI_BASE_URL", "http://127.0.0.1:8000/v1")
        st.session_state.setdefault(CUSTOM_URL_KEY, prefixes[0] if prefixes else default_url)
        allowed = f" under {', '.join(prefixes)}" if prefixes else ""
        st.text_input("Base URL", key=CUSTOM_URL_KEY, help=f"Any OpenAI-compatible server{allowed}")


def render_connection_panel() -> Connection:
    """Backend choice, API key and the server's word on it. Returns the session's connection."""
    with st.sidebar:
        st.subheader("Connection")
        _backend_choice(deployment_policy())
        connection = current_connection()
        hint = _KEY_SOURCE_HINTS.get(connection.key_source, NO_KEY_HINT)
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
        status = connection_status(connection)
        show = {"success": st.success, "warning": st.warning, "error": st.error, "info": st.info}
        show[status.level](status.headline, icon=_ICONS[status.level])
        for line in status.details:
            st.caption(line)
        if connection.backend == BACKEND_LOCAL:
            for problem in local_model_problems():
                st.warning(problem, icon=":material/warning:")
        if st.button("Check again", key="_recheck_connection", type="tertiary"):
            forget_connection_status()
            st.rerun()
    return connection


_ICONS = {
    "success": ":material/check_circle:",
    "warning": ":material/warning:",
    "error": ":material/error:",
    "info": ":material/info:",
}
