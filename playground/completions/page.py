"""Completions: a raw-completion sandbox with every parameter, token probabilities and sweeps."""

from __future__ import annotations

import streamlit as st

from playground.completions.continuation import as_chat_continuation
from playground.completions.form import parameter_form, presets_panel
from playground.completions.live import send
from playground.completions.probabilities import token_probabilities
from playground.completions.run import RunRecord, SweepRecord, sweep_cell_line
from playground.completions.sweep import (
    MAX_CELLS,
    SWEEPABLE,
    parse_sweep_values,
    plan_sweep,
    run_sweep,
    word_differences,
)
from playground.completions.token_html import continuation_html, differences_html, tokens_html
from playground.completions.token_view import render_token_view
from playground.core.catalog import ModelInfo
from playground.core.connection import BACKEND_LOCAL
from playground.core.streaming import Run
from playground.shell.code_view import view_code_button
from playground.shell.model_picker import pick_language_model
from playground.shell.runs import wait_for_interrupted_run
from playground.shell.session import current_connection, require_client
from xai_core import XaiClient, chat_body, completion_body

RUN = "completions_run"
SWEEP = "completions_sweep"
PENDING = "completions_pending_run"
RUNNING = "completions_running"  # the last run's handle (playground.shell.runs)
SWEEP_WORKERS = 3


st.title("Completions")
client = require_client()

with st.sidebar:
    model = pick_language_model(client, key="completions_model")
    with st.expander("Parameters", expanded=True, icon=":material/tune:"):
        params, param_errors = parameter_form()
    with st.expander("Presets", icon=":material/bookmarks:"):
        presets_panel()
if model is None:
    st.stop()

if current_connection().backend == BACKEND_LOCAL:
    st.caption(
        f"{model.id} is a small offline base model: it continues text rather than answering. "
        "Raw completions suit it well."
    )
else:
    st.caption(
        "Raw text completion (`/v1/completions`). xAI marks it as legacy and its reasoning "
        "models refuse it; the page then offers to emulate it with a chat request."
    )

prompt = st.text_area(
    "Prompt", key="completions_prompt", height=150, placeholder="Once upon a time"
)
suffix = st.text_input(
    "Suffix (optional: text that follows the completion)", key="completions_suffix"
)


def send_completion(client: XaiClient, model: ModelInfo, record: RunRecord, streams: bool) -> None:
    """Send the completion into ``record``; whatever arrived is kept, even after an error. With
    ``best_of`` it cannot stream: one non-streaming request."""
    extra = {"suffix": record.suffix} if record.suffix else {}
    if streams:
        run = Run(
            model.id,
            model.prices,
            open_stream=lambda: client.stream_complete(
                model=model.id, prompt=record.prompt, **extra, **record.params
            ),
        )
    else:
        run = Run(
            model.id,
            model.prices,
            call=lambda: client.complete(
                model=model.id, prompt=record.prompt, **extra, **record.params
            ),
        )
    send(record, run, record.params.get("n") or 1, RUNNING)


def stream_chat_fallback(client: XaiClient, model: ModelInfo, refused: RunRecord) -> RunRecord:
    """Emulate the refused completion with a chat request that asks for a continuation."""
    chat = as_chat_continuation(refused.prompt, refused.params)
    body = chat_body(model.id, chat.messages, chat.params, stream=True)
    record = RunRecord(refused.prompt, "", refused.params, "chat/completions", body, emulated=True)
    record.dropped = chat.dropped + (["suffix"] if refused.suffix else [])
    st.session_state[RUN] = record  # kept first, so an interrupted run keeps what came
    run = Run(
        model.id,
        model.prices,
        open_stream=lambda: client.stream_chat(
            model=model.id, messages=chat.messages, **chat.params
        ),
    )
    send(record, run, chat.params.get("n") or 1, RUNNING)
    return record


def show_run(record: RunRecord) -> None:
    """The last run: refusal, error, the continuation or token view, n-way columns, stats."""
    if not wait_for_interrupted_run(RUNNING):
        st.caption(":material/hourglass_top: The interrupted run is still closing its stream.")
    if record.emulated:
        st.info(
            "**Emulated with chat**: the prompt was sent to `/v1/chat/completions` as a user "
            "message with an instruction to continue it. This is not a raw completion"
            + (f"; not sent: {', '.join(record.dropped)}." if record.dropped else "."),
            icon=":material/swap_horiz:",
        )
        if record.reasoning:
            with st.expander("Thinking", icon=":material/psychology:"):
                st.text(record.reasoning)
        view_code_button(
            record.endpoint, record.body, base_url, key="completions_view_emulated_code"
        )
    if record.refused:
        st.error(
            f"The server refused the completion request: {record.error}",
            icon=":material/block:",
        )
        st.markdown(
            "`/v1/completions` is a legacy endpoint: xAI's reasoning models do not support it. "
            "Pick a non-reasoning model, or run the same prompt as a chat continuation."
        )
        if st.button("Run as chat (emulated)", icon=":material/swap_horiz:"):
            st.session_state[RUN] = stream_chat_fallback(client, model, record)
            st.rerun()
        return
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
        choice = choices[0]
        prefix, output = record.shown_output(choice)
        if choice.logprobs is not None and choice.logprobs.tokens:
            render_token_view(
                record.token_prefix(choice.logprobs),
                record.suffix,
                choice.logprobs,
                key="completions_tokens",
            )
        else:
            st.html(continuation_html(prefix, output, record.suffix))
    elif choices:
        st.html(continuation_html(record.prompt, ""))
        for index, (column, choice) in enumerate(
            zip(st.columns(len(choices)), choices, strict=True)
        ):
            with column.container(border=True):
                st.markdown(f"**Choice {index}**")
                if choice.logprobs is not None and choice.logprobs.tokens:
                    st.html(tokens_html("", token_probabilities(choice.logprobs)))
                else:
                    st.html(continuation_html("", record.shown_output(choice)[1]))
                st.caption(f"finish: {choice.finish_reason or 'none'} · {choice.token_count()}")
    if record.stats is not None:
        total = f" · {record.elapsed_s:.2f} s total" if record.elapsed_s is not None else ""
        st.caption(record.stats.line() + total)


def show_sweep(sweep: SweepRecord, differences: bool) -> None:
    """The grid: one column per value, one row per sample; tokens, latency and cost per cell."""
    st.html(continuation_html(sweep.prompt, ""))
    values = list(dict.fromkeys(r.cell.value for r in sweep.results))
    reference = sweep.results[0].text if sweep.results else ""
    for start in range(0, len(values), 4):
        row_values = values[start : start + 4]
        for column, value in zip(st.columns(len(row_values)), row_values, strict=True):
            for result in (r for r in sweep.results if r.cell.value == value):
                with column.container(border=True):
                    st.caption(f"{sweep.parameter} = {value:g} · sample {result.cell.sample}")
                    if result.error:
                        st.error(result.error, icon=":material/error:")
                        continue
                    if differences and result is not sweep.results[0]:
                        st.html(differences_html(word_differences(reference, result.text)))
                    else:
                        st.html(continuation_html("", result.text))
                    st.caption(sweep_cell_line(result))


base_url = current_connection().base_url
run_tab, sweep_tab = st.tabs(["Run", "Parameter sweep"])

with run_tab:
    can_run = bool(prompt) and not param_errors
    left, middle, right = st.columns([1, 1, 2])
    run_clicked = left.button(
        "Run", type="primary", disabled=not can_run, icon=":material/play_arrow:"
    )
    streams = not params.get("best_of")
    request_params = {**params, **({"suffix": suffix} if suffix else {})}
    with right:
        view_code_button(
            "completions",
            completion_body(model.id, prompt, request_params, stream=streams),
            base_url,
            key="completions_view_code",
        )
    if suffix and current_connection().backend == BACKEND_LOCAL:
        st.caption("The local backend ignores suffix (its model has no fill-in-the-middle mode).")
    if not prompt:
        st.caption("Write a prompt to run.")
    elif param_errors:
        st.caption("Fix the parameters marked in red in the sidebar to run.")
    if run_clicked:  # run on a fresh script run, so a Stop click cannot replay this click
        st.session_state[PENDING] = True
        st.rerun()
    if st.session_state.pop(PENDING, False) and can_run:
        body = completion_body(model.id, prompt, request_params, stream=streams)
        record = RunRecord(prompt, suffix, params, "completions", body)
        st.session_state[RUN] = record  # kept first, so a stop keeps what came
        middle.button("Stop", icon=":material/stop_circle:", key="completions_stop")
        send_completion(client, model, record, streams)
        st.session_state[RUN] = record
        st.rerun()
    last_run: RunRecord | None = st.session_state.get(RUN)
    if last_run is not None:
        show_run(last_run)

with sweep_tab:
    first, second, third = st.columns([1, 2, 1])
    parameter = first.selectbox("Parameter", SWEEPABLE, key="completions_sweep_param")
    values_text = second.text_input(
        "Values (comma-separated)", value="0, 0.5, 1.0, 1.5", key="completions_sweep_values"
    )
    samples = third.number_input(
        "Samples per value", min_value=1, max_value=5, value=1, key="completions_sweep_samples"
    )
    differences = st.toggle("Show differences (against the first cell)", key="completions_diff")
    st.caption(
        f"Every other parameter comes from the sidebar (n, best_of and echo are not used); at most "
        f"{MAX_CELLS} requests, {SWEEP_WORKERS} at a time."
    )
    if st.button("Run sweep", disabled=not can_run, icon=":material/grid_view:"):
        try:
            cells = plan_sweep(
                params, parameter, parse_sweep_values(parameter, values_text), samples
            )
        except ValueError as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            bar = st.progress(0.0, text=f"0 of {len(cells)} requests done")
            results = run_sweep(
                client,
                model.id,
                prompt,
                cells,
                model.prices,
                max_workers=SWEEP_WORKERS,
                on_done=lambda done, total: bar.progress(
                    done / total, text=f"{done} of {total} requests done"
                ),
            )
            bar.progress(1.0, text=f"{len(cells)} of {len(cells)} requests done")
            st.session_state[SWEEP] = SweepRecord(prompt, parameter, results)
            st.rerun()
    last_sweep: SweepRecord | None = st.session_state.get(SWEEP)
    if last_sweep is not None:
        show_sweep(last_sweep, differences)
