"""The "View code" dialog: the request just sent (or about to be), in three languages."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.core.code_snippets import LANGUAGES, snippet

__all__ = ["view_code_button"]


@st.dialog("View code", width="large")
def _show(endpoint: str, body: dict[str, Any], base_url: str, key_env: str) -> None:
    st.caption(f"The key is read from ${key_env}; it is never part of the code shown here.")
    for tab, language in zip(st.tabs(list(LANGUAGES.values())), LANGUAGES, strict=True):
        code = snippet(language, endpoint, body, base_url, key_env=key_env)
        tab.code(code, language="bash" if language == "curl" else "python")


def view_code_button(
    endpoint: str, body: dict[str, Any], base_url: str, *, key: str, key_env: str = "XAI_API_KEY"
) -> None:
    """A button that opens the dialog with code for ``body`` sent to ``endpoint``."""
    if st.button("View code", key=key, icon=":material/code:"):
        _show(endpoint, body, base_url, key_env)
