"""The completions page's Run tab (Streamlit): why a run cannot start, sending a run, and the last
run (refusal and its chat emulation, error, the continuation or token view, n-way columns, stats).

Model text goes through :mod:`playground.completions.token_html` (escaped), never as raw HTML.
"""

from __future__ import annotations

import streamlit as st

from playground.completions.live import send
from playground.completions.request import chat_run, completion_run, emulated_record
from playground.completions.run import Choice, RunRecord
from playground.completions.token_html import continuation_html
from playground.core.catalog import ModelInfo
from playground.core.connection import BACKEND_LOCAL
from playground.core.token_html import tokens_html
from playground.core.token_probabilities import token_probabilities
from playground.shell.code_view import view_code_button
from playground.shell.runs import wait_for_interrupted_run
from playground.shell.token_view import render_token_view
from xai_core import XaiClient

__all__ = [
    "PENDING",
    "RUN",
    "RUNNING",
    "legacy_note",
    "run_completion",
    "run_emulated",
    "run_requested",
    "show_last_run",
    "show_outputs",
    "show_run",
    "show_run_hints",
]

RUN = "completions_run"
PENDING = "completions_pending_run"
RUNNING = "completions_running"  # the last run's handle (playground.shell.runs)


def show_run_hints(prompt: str, suffix: str, param_errors: dict[str, str], backend: str) -> None:
    """Captions under the buttons: what the local backend ignores, and why Run is disabled."""
    if suffix and backend == BACKEND_LOCAL:
        st.caption("The local backend ignores suffix (its model has no fill-in-the-middle mode).")
    if not prompt:
        st.caption("Write a prompt to run.")
    elif param_errors:
        st.caption("Fix the parameters marked in red in the sidebar to run.")


def run_requested(clicked: bool) -> bool:
    """True on the script run after a Run click: the click reruns first, so that a Stop click
    cannot replay it."""
    if clicked:
        st.session_state[PENDING] = True
        st.rerun()
    return bool(st.session_state.pop(PENDING, False))


def run_completion(client: XaiClient, model: ModelInfo, record: RunRecord) -> None:
    """Send the completion into ``record``, keep it as the last run (first, so that a stop keeps
    what came), then rerun to show it."""
    st.session_state[RUN] = record
    send(record, completion_run(client, model, record), record.params.get("n") or 1, RUNNING)
    st.session_state[RUN] = record
    st.rerun()


def run_emulated(client: XaiClient, model: ModelInfo, refused: RunRecord) -> RunRecord:
    """Emulate the ``refused`` completion with a chat request that asks for a continuation."""
    record, chat = emulated_record(model.id, refused)
    st.session_state[RUN] = record  # kept first, so an interrupted run keeps what came
    send(record, chat_run(client, model, chat), chat.params.get("n") or 1, RUNNING)
    return record


def show_last_run(client: XaiClient, model: ModelInfo, base_url: str) -> None:
    """The last run of this session, if any (see :func:`show_run`)."""
    record: RunRecord | None = st.session_state.get(RUN)
    if record is not None:
        show_run(record, client, model, base_url)


def show_run(record: RunRecord, client: XaiClient, model: ModelInfo, base_url: str) -> None:
    """The last run: refusal, error, the continuation or token view, n-way columns, stats."""
    if not wait_for_interrupted_run(RUNNING):
        st.caption(":material/hourglass_top: The interrupted run is still closing its stream.")
    if record.emulated:
        _show_emulation(record, base_url)
    if record.refused:
        _offer_emulation(record, client, model)
        return
    show_outputs(record)


def show_outputs(record: RunRecord) -> None:
    """What a run brought, read-only: its error or stopped mark, its choices (the continuation
    or token view, or n-way columns) and its stats."""
    if record.error:
        st.error(record.error, icon=":material/error:")
        if record.has_text():
            st.caption(
                ":material/warning: Incomplete: the stream ended early; the text below is partial."
            )
    if record.stopped:
        st.caption(":material/stop_circle: Stopped: the text below is partial.")
    choices = record.ordered_choices()
    if len(choices) == 1:
        _show_choice(record, choices[0])
    elif choices:
        _show_columns(record, choices)
    if record.stats is not None:
        total = f" · {record.elapsed_s:.2f} s total" if record.elapsed_s is not None else ""
        st.caption(record.stats.line() + total)


def _show_emulation(record: RunRecord, base_url: str) -> None:
    """Say the run was a chat emulation, with its thinking and its code."""
    st.info(
        "**Emulated with chat**: the prompt was sent to `/v1/chat/completions` as a user "
        "message with an instruction to continue it. This is not a raw completion"
        + (f"; not sent: {', '.join(record.dropped)}." if record.dropped else "."),
        icon=":material/swap_horiz:",
    )
    if record.reasoning:
        with st.expander("Thinking", icon=":material/psychology:"):
            st.text(record.reasoning)
    view_code_button(record.endpoint, record.body, base_url, key="completions_view_emulated_code")


def legacy_note(fallback: str) -> str:
    """Why a model refuses ``/v1/completions``, and the two ways on (``fallback``: what runs as
    chat)."""
    return (
        "`/v1/completions` is a legacy endpoint: xAI's reasoning models do not support it. "
        f"Pick a non-reasoning model, or run {fallback}."
    )


def _offer_emulation(record: RunRecord, client: XaiClient, model: ModelInfo) -> None:
    """The refusal, and a button that runs the same prompt as a chat continuation."""
    st.error(
        f"The server refused the completion request: {record.error}",
        icon=":material/block:",
    )
    st.markdown(legacy_note("the same prompt as a chat continuation"))
    if st.button("Run as chat (emulated)", icon=":material/swap_horiz:"):
        st.session_state[RUN] = run_emulated(client, model, record)
        st.rerun()


def _show_choice(record: RunRecord, choice: Choice) -> None:
    """One choice: the token view when it has logprobs, else the prompt and its continuation."""
    if choice.logprobs is not None and choice.logprobs.tokens:
        render_token_view(
            record.token_prefix(choice.logprobs),
            record.suffix,
            choice.logprobs,
            key="completions_tokens",
        )
    else:
        prefix, output = record.shown_output(choice)
        st.html(continuation_html(prefix, output, record.suffix))


def _show_columns(record: RunRecord, choices: list[Choice]) -> None:
    """n choices side by side under the prompt, each with its finish reason and token count."""
    st.html(continuation_html(record.prompt, ""))
    for index, (column, choice) in enumerate(zip(st.columns(len(choices)), choices, strict=True)):
        with column.container(border=True):
            st.markdown(f"**Choice {index}**")
            if choice.logprobs is not None and choice.logprobs.tokens:
                st.html(tokens_html("", token_probabilities(choice.logprobs)))
            else:
                st.html(continuation_html("", record.shown_output(choice)[1]))
            st.caption(f"finish: {choice.finish_reason or 'none'} · {choice.token_count()}")
