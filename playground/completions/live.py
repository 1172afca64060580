"""A completions run while it is sent: one continuation per choice, redrawn from the stream
runner's snapshot, and the page's record filled from whatever came back (Streamlit side).

Model text goes through :mod:`playground.completions.token_html` (escaped), never as raw HTML.
"""

from __future__ import annotations

from typing import Any, TypeVar

import streamlit as st

from playground.completions.run import Choice, RunRecord, choices_of, fill_record
from playground.completions.token_html import continuation_html
from playground.core.streaming import Run
from playground.shell.runs import run_in_progress
from xai_core import ChatCompletion, Completion

__all__ = ["draw_progress", "send"]

ResultT = TypeVar("ResultT", Completion, ChatCompletion)


def draw_progress(
    record: RunRecord, snapshot: Completion | ChatCompletion, slots: list[Any]
) -> None:
    """Redraw what has streamed so far: one continuation per choice, with a cursor."""
    choices = choices_of(snapshot)
    for index, slot in enumerate(slots):
        prefix, output = record.shown_output(choices.get(index, Choice()))
        slot.html(continuation_html(prefix if len(slots) == 1 else "", output, cursor=True))


def send(record: RunRecord, run: Run[ResultT], columns: int, running_key: str) -> None:
    """Send ``run`` and fill ``record`` from whatever came back, in every case (a stop or a
    failure keeps the partial text). A stream is drawn as it comes, in ``columns`` columns (one
    per choice); a non-streaming request waits under a spinner. The next script run waits for
    this one under ``running_key``."""
    with run_in_progress(running_key):
        try:
            if run.call is not None:
                with st.spinner("Waiting for the server (best_of does not stream)…"):
                    run.go()
            else:
                slots = [column.empty() for column in st.columns(columns)]
                run.go(lambda snapshot: draw_progress(record, snapshot, slots))
        finally:
            fill_record(record, run)
