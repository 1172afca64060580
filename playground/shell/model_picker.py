"""A model picker shared by the pages: the server's models, with prices next to their names."""

from __future__ import annotations

import streamlit as st

from playground.core.catalog import ModelInfo, list_language_models, price_label
from playground.shell.session import current_connection
from xai_core import XaiClient, XaiError

__all__ = ["language_models", "pick_language_model"]

_CACHE_KEY = "_language_models"


def language_models(client: XaiClient) -> list[ModelInfo]:
    """The server's language models, asked once per connection and kept in this session."""
    connection_key = current_connection().cache_key
    cached = st.session_state.get(_CACHE_KEY)
    if cached is not None and cached[0] == connection_key:
        models: list[ModelInfo] = cached[1]
        return models
    models = list_language_models(client)
    st.session_state[_CACHE_KEY] = (connection_key, models)
    return models


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
