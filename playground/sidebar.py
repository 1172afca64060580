"""The sidebar connection panel, rendered by ``app.py`` on every page."""

from __future__ import annotations

import os

import streamlit as st

from playground.connection import (
    BACKEND_CUSTOM,
    BACKEND_LOCAL,
    BACKEND_XAI,
    Connection,
    redact_key,
)
from playground.session import (
    API_KEY_KEY,
    BACKEND_KEY,
    CUSTOM_URL_KEY,
    connection_status,
    current_connection,
    default_backend_choice,
    forget_connection_status,
)

__all__ = ["render_connection_panel"]

_BACKEND_LABELS = {
    BACKEND_LOCAL: "Local (offline)",
    BACKEND_XAI: "xAI",
    BACKEND_CUSTOM: "Custom (OpenAI-compatible)",
}
_KEY_SOURCE_HINTS = {
    "environment": "Using XAI_API_KEY from the environment",
    "secrets": "Using XAI_API_KEY from secrets.toml",
}


def _switch_to_xai_on_key() -> None:
    """Typing a key while on the local backend means: use xAI with it."""
    if st.session_state.get(API_KEY_KEY) and st.session_state.get(BACKEND_KEY) == BACKEND_LOCAL:
        st.session_state[BACKEND_KEY] = BACKEND_XAI


def render_connection_panel() -> Connection:
    """Backend choice, API key and the server's word on it. Returns the session's connection."""
    with st.sidebar:
        st.subheader("Connection")
        st.session_state.setdefault(BACKEND_KEY, default_backend_choice())
        st.radio(
            "Backend",
            options=list(_BACKEND_LABELS),
            format_func=_BACKEND_LABELS.__getitem__,
            key=BACKEND_KEY,
        )
        if st.session_state.get(BACKEND_KEY) == BACKEND_CUSTOM:
            st.session_state.setdefault(
                CUSTOM_URL_KEY, os.environ.get("XAI_BASE_URL", "http://127.0.0.1:8000/v1")
            )
            st.text_input("Base URL", key=CUSTOM_URL_KEY, help="Any OpenAI-compatible server")
        connection = current_connection()
        hint = _KEY_SOURCE_HINTS.get(connection.key_source, "xai-…")
        if connection.key_source in _KEY_SOURCE_HINTS:
            hint = f"{hint} ({redact_key(connection.api_key)})"
        st.text_input(
            "API key",
            type="password",
            key=API_KEY_KEY,
            placeholder=hint,
            on_change=_switch_to_xai_on_key,
            help="Kept in this browser session only; a typed key overrides the environment.",
        )
        connection = current_connection()
        status = connection_status(connection)
        show = {"success": st.success, "warning": st.warning, "error": st.error, "info": st.info}
        show[status.level](status.headline, icon=_ICONS[status.level])
        for line in status.details:
            st.caption(line)
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
