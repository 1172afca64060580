"""The embeddings explorer's Streamlit widgets, one module per part of the page (dataset, embed,
map, search, export). They take what they use as arguments; the pure work they call lives in
``data``, ``compute`` and ``figures``."""

from __future__ import annotations

import re

__all__ = ["plain"]


def plain(text: str) -> str:
    """Text from files or servers shown literally in Streamlit's markdown (no links, no markup)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)
