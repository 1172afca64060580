"""The session's connection and client (Streamlit side).

The one ``httpx.Client`` is shared by every session through ``st.cache_resource``; it holds no key.
Each run builds a cheap :class:`XaiClient` carrying this session's key, so keys never meet.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx
import streamlit as st

from playground.connection import BACKEND_XAI, Connection, resolve_connection
from xai_core import XaiClient, new_http_client

__all__ = [
    "current_connection",
    "get_client",
    "require_client",
    "secrets_or_empty",
    "shared_http_client",
]

# Widget keys of the connection panel, read by every page.
BACKEND_KEY = "backend"
CUSTOM_URL_KEY = "custom_base_url"
API_KEY_KEY = "api_key"


@st.cache_resource(show_spinner=False)
def shared_http_client() -> httpx.Client:
    """One connection pool for the whole app server; keys travel per request, never here."""
    return new_http_client()


def secrets_or_empty() -> Mapping[str, str]:
    """``st.secrets`` as a plain mapping, or empty when there is no secrets file."""
    try:
        return {key: str(value) for key, value in st.secrets.items() if isinstance(value, str)}
    except (FileNotFoundError, KeyError, ValueError, st.errors.StreamlitAPIException):
        return {}


def current_connection() -> Connection:
    """The connection chosen in this session's sidebar (defaults before it was rendered)."""
    state = st.session_state
    return resolve_connection(
        state.get(BACKEND_KEY, BACKEND_XAI),
        typed_key=state.get(API_KEY_KEY),
        custom_base_url=state.get(CUSTOM_URL_KEY),
        env=os.environ,
        secrets=secrets_or_empty(),
    )


def get_client(connection: Connection | None = None) -> XaiClient:
    """A client for this session's connection, on the shared connection pool."""
    conn = connection or current_connection()
    return XaiClient(
        api_key=conn.api_key or "", base_url=conn.base_url, http_client=shared_http_client()
    )


def require_client() -> XaiClient:
    """The session's client, or a plain note saying what is missing and the page stops there."""
    connection = current_connection()
    if connection.problem:
        st.info(connection.problem, icon=":material/key:")
        st.stop()
    return get_client(connection)
