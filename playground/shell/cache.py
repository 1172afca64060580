"""Per-session caches keyed by the connection: asked once per server and key, kept in this
session's state (never in objects shared between sessions), asked again when the connection
changes or when forgotten."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

__all__ = ["forget_session_cache", "session_cached"]

T = TypeVar("T")

_PREFIX = "_cached:"


def session_cached(name: str, connection_key: object, fetch: Callable[[], T]) -> T:
    """``fetch()`` once per ``connection_key``, kept in this session (widget reruns ask no
    server). A failing ``fetch`` caches nothing."""
    key = _PREFIX + name
    cached = st.session_state.get(key)
    if cached is not None and cached[0] == connection_key:
        value: T = cached[1]
        return value
    value = fetch()
    st.session_state[key] = (connection_key, value)
    return value


def forget_session_cache(prefix: str = "") -> None:
    """Forget the cached values whose name starts with ``prefix`` (all of them by default)."""
    for key in [k for k in st.session_state if str(k).startswith(_PREFIX + prefix)]:
        del st.session_state[key]
