"""The one way a page streams into what it keeps and shows it complete however the run ends
(Streamlit side).

A run can end three ways while it streams, and each must show the kept reply complete (its
stopped mark, its stats, the controls under it):

- it finishes: the page reruns itself to show the result;
- a click interrupts it: Streamlit starts a new run at once while the interrupted one is still
  closing its stream and filling what the page keeps (it stops at its next Streamlit call). The
  streaming run marks itself in session state; the next run waits for that mark before drawing
  (:func:`wait_for_interrupted_run`);
- Streamlit's Stop (the toolbar's, or the square of a ``submit_mode="stop"`` chat input) stops
  it, and no run follows: the page would keep the half-drawn reply (its cursor, a dead Stop
  button, no controls) until the next click. So a stopped run asks for one more run of the page
  once its thread has ended, unless another run has begun (:func:`_rerun_when_ended`).

    with run_in_progress(KEY):
        ...stream, and fill the page's data in a ``finally``...

    if not wait_for_interrupted_run(KEY):
        st.caption("The previous run is still closing.")

Streamlit has no public API to start a run from the server (its own run-on-save does it with
``AppSession.request_rerun``), so :func:`_rerun_when_ended` is the one place here that reads
Streamlit internals; tests/shell/test_runs_internals.py pins what it relies on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

__all__ = ["run_in_progress", "wait_for_interrupted_run"]

#: How long the rerun after a stop waits for the stopped run's thread to end.
THREAD_END_WAIT_S = 30.0


@dataclass(eq=False)
class RunHandle:
    """A streaming run as the next runs see it: ``closed`` is set once it has filled what the
    page keeps, ``followed`` once a later run of the page has waited for it (that run shows
    it, so a stop needs no run of its own)."""

    closed: threading.Event = field(default_factory=threading.Event)
    followed: bool = False


@contextmanager
def run_in_progress(key: str) -> Iterator[None]:
    """Keep a fresh handle under ``key`` while the block runs; it is closed when the block ends,
    however it ends (finished, failed, interrupted by a rerun or stopped). Stopped by
    Streamlit's Stop, the page is run again once this run has ended, unless another run has
    begun."""
    handle = st.session_state[key] = RunHandle()
    try:
        yield
    except StopException:
        _rerun_when_ended(lambda: not handle.followed)
        raise
    finally:
        handle.closed.set()


def wait_for_interrupted_run(key: str, timeout_s: float = 3.0) -> bool:
    """Wait up to ``timeout_s`` for the run kept under ``key`` to end: True once it has (or when
    there is none), False when it is still closing."""
    handle: RunHandle | None = st.session_state.get(key)
    if handle is None:
        return True
    handle.followed = True
    return handle.closed.wait(timeout=timeout_s)


def _rerun_when_ended(still_wanted: Callable[[], bool]) -> None:
    """From a run being stopped (on its script thread): once that thread has ended, run the same
    page again with the same query string, when ``still_wanted()`` and no run of the session
    has begun since (a click's run draws the page itself; the user may have gone to another
    page). Does nothing outside a served app (AppTest, bare mode)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return
    runtime = Runtime.instance()
    session = runtime.get_app_session(ctx.session_id)
    if session is None:
        return
    session_id, page = ctx.session_id, ctx.page_script_hash
    again = ClientState(query_string=ctx.query_string, page_script_hash=page)
    if ctx.context_info is not None:
        again.context_info.CopyFrom(ctx.context_info)
    script_thread = threading.current_thread()
    loop: Any = session._event_loop  # private: no public way to reach it

    def on_event_loop() -> None:  # after the stopped runner's own shutdown was handled
        idle = session._scriptrunner is None  # private: no other run has begun since
        same_page = session.page_script_hash == page
        if idle and same_page and still_wanted() and runtime.is_active_session(session_id):
            session.request_rerun(again)

    def after_the_run() -> None:
        script_thread.join(timeout=THREAD_END_WAIT_S)
        if script_thread.is_alive():
            return
        with suppress(RuntimeError):  # the loop closed: the server is shutting down
            loop.call_soon_threadsafe(on_event_loop)

    threading.Thread(target=after_the_run, name="rerun-after-stop", daemon=True).start()
