"""The one way a page waits for a run a click interrupted (Streamlit side).

A click during a stream starts a new script run while the interrupted one is still closing its
stream and filling what the page keeps (it stops at its next Streamlit call). The streaming run
marks itself in session state; the next run waits for that mark before drawing, so the partial
reply is shown complete with its stopped mark and stats.

    with run_in_progress(KEY):
        ...stream, and fill the page's data in a ``finally``...

    if not wait_for_interrupted_run(KEY):
        st.caption("The previous run is still closing.")
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

__all__ = ["run_in_progress", "wait_for_interrupted_run"]


@contextmanager
def run_in_progress(key: str) -> Iterator[None]:
    """Keep a fresh handle under ``key`` while the block runs; it is set when the block ends,
    however it ends (finished, failed, or interrupted by a rerun)."""
    closed = st.session_state[key] = threading.Event()
    try:
        yield
    finally:
        closed.set()


def wait_for_interrupted_run(key: str, timeout_s: float = 3.0) -> bool:
    """Wait up to ``timeout_s`` for the run kept under ``key`` to end: True once it has (or when
    there is none), False when it is still closing."""
    closed: threading.Event | None = st.session_state.get(key)
    return closed is None or closed.wait(timeout=timeout_s)
