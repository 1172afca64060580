"""The "View code" dialog: the request just sent (or about to be), in three languages.

On the local backend (a new port and key each start) the snippets read ``LOCAL_BACKEND_URL`` and
``LOCAL_API_KEY`` from the environment; a first comment line says how to set them in a terminal
on this machine: source the file the app writes (:func:`playground.shell.session.local_env_file`),
or, when the backend was given to the app, the same variables the app was started with.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

from playground.core.code_snippets import LANGUAGES, snippet
from playground.core.connection import BACKEND_LOCAL
from playground.shell.session import current_connection, local_env_file

__all__ = ["view_code_button"]

LOCAL_KEY_ENV, LOCAL_URL_ENV = "LOCAL_API_KEY", "LOCAL_BACKEND_URL"


def _home_relative(path: Path) -> str:
    """``~/.cache/...`` for a path under the home folder, else the path itself."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _local_setup() -> str:
    """The shell command that sets the local backend's URL and key in a terminal."""
    if os.environ.get(LOCAL_URL_ENV):  # the app was given its backend: the same variables
        return f"set {LOCAL_URL_ENV} and {LOCAL_KEY_ENV} as you did for this app"
    return f". {_home_relative(local_env_file())}  (sets {LOCAL_URL_ENV} and {LOCAL_KEY_ENV})"


@st.dialog("View code", width="large")
def _show(endpoint: str, body: dict[str, Any], base_url: str, key_env: str) -> None:
    options: dict[str, Any] = {"key_env": key_env}
    if current_connection().backend == BACKEND_LOCAL:
        options = {"key_env": LOCAL_KEY_ENV, "url_env": LOCAL_URL_ENV, "setup": _local_setup()}
        st.caption(
            "Runs in a terminal on the machine that runs this app: the local backend's address "
            "and key change with each start, so the code reads them from the environment."
        )
    st.caption(
        f"The key is read from ${options['key_env']}; it is never part of the code shown here."
    )
    for tab, language in zip(st.tabs(list(LANGUAGES.values())), LANGUAGES, strict=True):
        code = snippet(language, endpoint, body, base_url, **options)
        tab.code(code, language="bash" if language == "curl" else "python")


def view_code_button(
    endpoint: str, body: dict[str, Any], base_url: str, *, key: str, key_env: str = "XAI_API_KEY"
) -> None:
    """A button that opens the dialog with code for ``body`` sent to ``endpoint``."""
    if st.button("View code", key=key, icon=":material/code:"):
        _show(endpoint, body, base_url, key_env)
