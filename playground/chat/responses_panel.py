"""The chat sidebar's Responses widgets: the API choice and the server-side tools panel.

The API choice is kept per backend (``chat_api_<backend>``), so each backend remembers its own;
the tools panel's widgets are plain keyed widgets, which the shell's keeper keeps across pages.
What the panel holds is checked by :func:`playground.chat.server_tools.server_tools`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.api_choice import api_label, api_options
from playground.chat.server_tools import (
    MAX_DOMAINS,
    MAX_HANDLES,
    ServerToolSettings,
    server_tools,
    split_entries,
)
from playground.core.connection import BACKEND_LOCAL

__all__ = ["api_key", "pick_api", "server_tools_panel"]

_ALLOWED, _EXCLUDED = "Only these", "All but these"


def api_key(backend: str) -> str:
    """The API choice's widget key for ``backend``."""
    return f"chat_api_{backend}"


def pick_api(backend: str) -> str:
    """The API radio (the backend's default first and preselected); returns the choice."""
    options = api_options(backend)
    key = api_key(backend)
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return str(
        st.radio(
            "API",
            options,
            key=key,
            horizontal=True,
            format_func=lambda api: api_label(api, backend),
            label_visibility="collapsed",  # the options name themselves; the sidebar is short
        )
    )


def _allow_or_exclude(
    what: str, label: str, key: str, placeholder: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An allowed-or-excluded list (one entry per line): ``(allowed, excluded)``, one empty."""
    mode = st.radio(what, (_ALLOWED, _EXCLUDED), key=f"{key}_mode", horizontal=True)
    text = st.text_area(label, key=key, height=68, placeholder=placeholder)
    entries = split_entries(text)
    return (entries, ()) if mode == _ALLOWED else ((), entries)


def _web_search(disabled: bool) -> dict[str, Any]:
    on = st.toggle("Web search", key="chat_web_search", disabled=disabled)
    if not on:
        return {}
    allowed, excluded = _allow_or_exclude(
        "Domains", f"Domains (up to {MAX_DOMAINS}, one per line)", "chat_web_domains", "example.com"
    )
    images = st.checkbox("Image understanding", key="chat_web_images")
    return {
        "web_search": True,
        "allowed_domains": allowed,
        "excluded_domains": excluded,
        "web_image_understanding": images,
    }


def _x_search(disabled: bool) -> dict[str, Any]:
    on = st.toggle("X search", key="chat_x_search", disabled=disabled)
    if not on:
        return {}
    allowed, excluded = _allow_or_exclude(
        "Handles", f"X handles (up to {MAX_HANDLES}, without @)", "chat_x_handles", "xai"
    )
    left, right = st.columns(2)
    start = left.text_input("From date", key="chat_x_from", placeholder="YYYY-MM-DD")
    end = right.text_input("To date", key="chat_x_to", placeholder="YYYY-MM-DD")
    return {
        "x_search": True,
        "allowed_handles": allowed,
        "excluded_handles": excluded,
        "from_date": start,
        "to_date": end,
        "x_image_understanding": st.checkbox("Image understanding", key="chat_x_images"),
        "x_video_understanding": st.checkbox("Video understanding", key="chat_x_videos"),
    }


def server_tools_panel(backend: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The "Server-side tools" expander: each tool's toggle and parameters. Returns the tools to
    send and a message per problem (shown here; with any, the page sends nothing)."""
    local = backend == BACKEND_LOCAL
    with st.expander("Server-side tools", icon=":material/travel_explore:"):
        if local:
            st.caption(
                ":material/block: Web search, X search and code execution run on xAI's servers: "
                "the local backend refuses them (HTTP 400). Enter an xAI API key to use them."
            )
        chosen: dict[str, Any] = {**_web_search(local), **_x_search(local)}
        chosen["code_execution"] = st.toggle(
            "Code execution", key="chat_code_execution", disabled=local
        )
        if local:
            return [], []
        tools, errors = server_tools(ServerToolSettings(**chosen))
        for message in errors:
            st.error(message, icon=":material/error:")
    return tools, errors
