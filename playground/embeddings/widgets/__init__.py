"""The embeddings explorer's Streamlit widgets, one module per part of the page (dataset, embed,
map, search, export). They take what they use as arguments; the pure work they call lives in
``data``, ``compute`` and ``figures``."""

from __future__ import annotations

from playground.core.text import plain

__all__ = ["plain"]
