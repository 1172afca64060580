"""Text from files or servers shown in Streamlit's markdown as it is (pure, no Streamlit)."""

from __future__ import annotations

import re

__all__ = ["plain"]


def plain(text: str) -> str:
    """Text from files or servers shown literally in Streamlit's markdown (no links, no markup)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)
