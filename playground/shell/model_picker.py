"""A model picker shared by the pages: the server's models, with prices next to their names."""

from __future__ import annotations

import streamlit as st

from playground.core.catalog import ModelInfo, fetch_catalog, price_label
from playground.shell.cache import session_cached
from playground.shell.session import current_connection
from xai_core import XaiClient, XaiError

__all__ = ["language_models", "pick_language_model"]


def language_models(client: XaiClient) -> list[ModelInfo]:
    """The server's language models (``/v1/models`` on servers without prices), asked once per
    connection and kept in this session."""
    return session_cached(
        "language_models",
        current_connection().cache_key,
        lambda: list(fetch_catalog(client).language),
    )


def pick_language_model(client: XaiClient, *, key: str, label: str = "Model") -> ModelInfo | None:
    """A selectbox of the server's language models; ``None`` (with a message) if there are none."""
    try:
        models = language_models(client)
    except XaiError as exc:
        st.error(f"Could not list the models: {exc.message}", icon=":material/error:")
        return None
    if not models:
        st.warning("This server lists no language models.", icon=":material/warning:")
        return None
    by_id = {m.id: m for m in models}
    if st.session_state.get(key) not in by_id:
        st.session_state[key] = models[0].id
    chosen = st.selectbox(
        label, options=list(by_id), key=key, format_func=lambda m: price_label(by_id[m])
    )
    return by_id[chosen]
