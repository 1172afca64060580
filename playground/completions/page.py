"""Completions: a raw-completion sandbox with every parameter, token probabilities and sweeps."""

from __future__ import annotations

import streamlit as st

from playground.completions.form import parameter_form, presets_panel
from playground.completions.prompt_shared import SHARED_PROMPT
from playground.completions.prompt_view import (
    autosave_prompt,
    open_prompt,
    prompt_history,
    record_run_version,
    save_last_run,
    show_notice,
    versions_panel,
)
from playground.completions.request import new_record, request_body
from playground.completions.run_view import (
    run_completion,
    run_requested,
    show_last_run,
    show_run_hints,
)
from playground.completions.sweep_view import (
    run_sweep_grid,
    show_last_sweep,
    show_sweep_estimate,
    sweep_form,
)
from playground.core.connection import BACKEND_LOCAL
from playground.shell.code_view import view_code_button
from playground.shell.model_picker import pick_language_model
from playground.shell.session import current_connection, require_client
from playground.shell.shared import show_shared
from playground.shell.token_counts import count_text, show_count
from playground.shell.workspace import workspace_id, workspace_store

st.title("Completions")
store, workspace = workspace_store(), workspace_id()
show_shared(store, workspace, SHARED_PROMPT)  # ?share=: a read-only copy, then stop
client = require_client()
connection = current_connection()
prompt_id = open_prompt(store, workspace)  # before the form: a ?p= prompt fills it
autosave_prompt(store, workspace, prompt_id)  # the form's values are in the session already

with st.sidebar:
    prompt_history(store, workspace, prompt_id)
    model = pick_language_model(client, key="completions_model", purpose="base")
    with st.expander("Parameters", expanded=True, icon=":material/tune:"):
        params, param_errors = parameter_form()
    with st.expander("Presets", icon=":material/bookmarks:"):
        presets_panel(store, workspace)
if model is None:
    st.stop()

if connection.backend == BACKEND_LOCAL:
    st.caption(
        f"{model.id} is a small offline model running on this machine: it can be wrong. "
        "Base models continue text rather than answer; raw completions suit them well."
    )
else:
    st.caption(
        "Raw text completion (`/v1/completions`). xAI marks it as legacy and its reasoning "
        "models refuse it; the page then offers to emulate it with a chat request."
    )

prompt = st.text_area(
    "Prompt", key="completions_prompt", height=150, placeholder="Once upon a time"
)
prompt_count = count_text(connection, model.id, prompt) if prompt else None
if prompt_count is not None:
    show_count("Prompt", prompt_count, model.context_length)
suffix = st.text_input(
    "Suffix (optional: text that follows the completion)", key="completions_suffix"
)
can_run = bool(prompt) and not param_errors
show_notice()

run_tab, sweep_tab, versions_tab = st.tabs(["Run", "Parameter sweep", "Versions"])
with run_tab:
    left, middle, right = st.columns([1, 1, 2])
    run_clicked = left.button(
        "Run", type="primary", disabled=not can_run, icon=":material/play_arrow:"
    )
    with right:
        view_code_button(
            "completions",
            request_body(model.id, prompt, suffix, params),
            connection.base_url,
            key="completions_view_code",
        )
    show_run_hints(prompt, suffix, param_errors, connection.backend)
    if run_requested(run_clicked) and can_run:
        middle.button("Stop", icon=":material/stop_circle:", key="completions_stop")
        record_run_version(store, workspace, prompt_id)
        run_completion(client, model, new_record(model.id, prompt, suffix, params))
    show_last_run(client, model, connection.base_url)
    save_last_run(store, workspace, prompt_id)  # kept with the prompt, back when it reopens

with sweep_tab:
    sweep = sweep_form()
    show_sweep_estimate(model, params, sweep, prompt_count.tokens if prompt_count else None)
    if st.button("Run sweep", disabled=not can_run, icon=":material/grid_view:"):
        run_sweep_grid(client, model, prompt, params, sweep)
    show_last_sweep(sweep.differences, client, model, params, sweep)

with versions_tab:
    versions_panel(store, workspace, prompt_id)
