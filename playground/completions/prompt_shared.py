"""How a shared Completions prompt (``?share=<token>``) shows: its text, suffix, model and
parameters and its latest run's output, read-only, with "Fork into my workspace" (the shell's
shared view, :mod:`playground.shell.shared`). The fork opens on the page as ``?p=<new id>``."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.completions.prompt_view import QUERY
from playground.completions.run import RunRecord
from playground.completions.run_view import show_outputs
from playground.completions.saved import KIND, SavedPrompt, prompt_from_body, search_text
from playground.completions.saved_runs import runs_from_body
from playground.shell.shared import ShareView, show_settings

__all__ = ["SHARED_PROMPT"]


def _read(body: dict[str, Any]) -> tuple[SavedPrompt, RunRecord | None, str]:
    runs = runs_from_body(body)
    return prompt_from_body(body), (runs[0] if runs else None), search_text(body)


def _draw(shared: tuple[SavedPrompt, RunRecord | None, str]) -> None:
    prompt, latest, _ = shared
    show_settings(
        prompt.model, [("Prompt", prompt.prompt), ("Suffix", prompt.suffix)], prompt.params
    )
    if latest is None:
        st.caption("It has not been run yet.")
        return
    st.caption("Its latest run")
    if latest.refused:
        st.error(f"The server refused the completion request: {latest.error}")
    else:
        show_outputs(latest)


SHARED_PROMPT = ShareView(
    KIND,
    read=_read,
    draw=_draw,
    text=lambda shared: shared[2],
    open_param=QUERY,
    leave_label="Start a new prompt",
)
