"""A model picker shared by the pages: the server's text models, with prices next to their names
(and the long-context tier of the shipped price snapshot where the server lists none, as the
Models page's calculator uses), starting on the first model made for the page (the local chat
model on Chat, the base model on Completions), and what the server says each model is for."""

from __future__ import annotations

import streamlit as st

from playground.core.catalog import (
    ModelInfo,
    default_model,
    fetch_catalog,
    price_label,
    with_known_tiers,
)
from playground.core.text import plain
from playground.models.data.snapshot import shipped_models
from playground.shell.cache import session_cached
from playground.shell.session import current_connection
from xai_core import XaiClient, XaiError

__all__ = ["language_models", "pick_language_model"]


def language_models(client: XaiClient) -> list[ModelInfo]:
    """The server's text models (``/v1/models`` on servers without prices; never the ones it
    calls embedding models), with the snapshot's long-context tier where they list none, asked
    once per connection and kept in this session."""
    return session_cached(
        "language_models",
        current_connection().cache_key,
        lambda: with_known_tiers(fetch_catalog(client).language, shipped_models()),
    )


def _descriptions(models: list[ModelInfo]) -> str | None:
    """One line per model that says what it is for (``None`` when none does)."""
    lines = [f"**{plain(m.id)}**: {plain(m.description)}" for m in models if m.description]
    return "\n\n".join(lines) if lines else None


def pick_language_model(
    client: XaiClient, *, key: str, label: str = "Model", purpose: str = "chat"
) -> ModelInfo | None:
    """A selectbox of the server's text models; ``None`` (with a message) if there are none.

    It starts on the first model the server says is for ``purpose`` (else the first); the user's
    choice then stays. What each model is for shows in the picker's help (not under it: the
    sidebar stays short).
    """
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
        st.session_state[key] = default_model(models, purpose).id
    chosen = st.selectbox(
        label,
        options=list(by_id),
        key=key,
        format_func=lambda m: price_label(by_id[m]),
        help=_descriptions(models),
    )
    return by_id[chosen]
