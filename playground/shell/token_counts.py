"""Token counts on the pages (Streamlit glue of :mod:`playground.core.token_count`): one counter
per session (in its state, holding no key), asked through a client made for the call with no
retries and a short timeout, so a server that does not answer holds the page up once, briefly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from playground.core.connection import Connection
from playground.core.text import plain
from playground.core.token_count import TokenCount, TokenCounter, context_line, context_share
from playground.shell.session import shared_http_client
from xai_core import XaiClient

__all__ = ["count_messages", "count_text", "show_count"]

_COUNTER = "_token_counter"
COUNT_TIMEOUT_S = 5.0


def _counter() -> TokenCounter:
    counter: TokenCounter = st.session_state.setdefault(_COUNTER, TokenCounter())
    return counter


def _client(connection: Connection) -> XaiClient:
    """A client for one count: no retries (a failure is remembered instead), a short timeout."""
    return XaiClient(
        api_key=connection.api_key or "",
        base_url=connection.base_url,
        http_client=shared_http_client(),
        max_retries=0,
        timeout=COUNT_TIMEOUT_S,
    )


def _server(connection: Connection) -> str:
    """The server a count belongs to: its backend and base URL (never the key)."""
    return f"{connection.backend} {connection.base_url}"


def count_text(connection: Connection, model: str | None, text: str) -> TokenCount:
    """``text`` in ``model``'s tokens on the session's server, or an estimate."""
    return _counter().count_text(_client(connection), _server(connection), model, text)


def count_messages(
    connection: Connection, model: str | None, messages: Sequence[Mapping[str, Any]]
) -> TokenCount:
    """The conversation ``messages`` in ``model``'s tokens (framing estimated), or an estimate."""
    return _counter().count_messages(_client(connection), _server(connection), model, messages)


def show_count(
    what: str, count: TokenCount, context_length: int | None, *, bar: bool = False
) -> None:
    """``count`` as a caption with how it was counted in its tooltip (or, with ``bar`` and a
    known context, a one-line progress bar of how much of the context it fills: the caller says
    how it was counted, with :func:`context_line`'s qualifier)."""
    line = context_line(what, count, context_length)
    share = context_share(count.tokens, context_length)
    if bar and share is not None:
        st.progress(share, text=context_line(what, count, context_length, qualified=False))
    else:
        st.caption(line, help=f"Tokens {plain(count.source)}.")
