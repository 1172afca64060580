"""The Completions prompt in the workspace store (Streamlit glue): open the prompt the URL names
(``?p=<id>``) or the history panel picks, save the working copy as the user works with its last
runs, make a version when a run is sent with a changed prompt or parameters (or on "Save
version"), and the Versions tab (list, diff, restore).

The pure parts (body, title, diff) are in :mod:`playground.completions.saved`. Diffs show as
plain text in ``st.code``, never as HTML.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from playground.completions.form import FIELDS, KEY
from playground.completions.run import RunRecord
from playground.completions.run_view import RUN
from playground.completions.saved import (
    KIND,
    kept_title,
    prompt_body,
    prompt_from_body,
    prompt_part,
    search_text,
    version_diff,
)
from playground.completions.saved_runs import RUNS_FIELD, run_body, runs_from_body, with_run
from playground.core.text import plain
from playground.shell.history import history_panel
from playground.shell.parameter_form import read_parameters, set_parameters
from playground.store import ItemSummary, SafeStore, Store, Version, new_item_id

__all__ = [
    "MODEL_KEY",
    "PROMPT_KEY",
    "SUFFIX_KEY",
    "autosave_prompt",
    "form_body",
    "open_prompt",
    "prompt_history",
    "record_run_version",
    "save_last_run",
    "versions_panel",
]

PROMPT_KEY, SUFFIX_KEY, MODEL_KEY = "completions_prompt", "completions_suffix", "completions_model"
OPEN = "completions_prompt_id"  # the id of the prompt this session has open
SAVED = "completions_prompt_saved"  # the body last written as the working copy (no runs)
RUNS = "completions_prompt_runs"  # the open prompt's last runs as stored, the latest first
RUN_SAVED = "completions_run_saved"  # (run id, digest) of the run last written
NOTICE = "completions_prompt_notice"
NOTE_KEY = "completions_version_note"
QUERY = "p"
DIFF_FROM, DIFF_TO = "completions_diff_from", "completions_diff_to"
RESTORE = "completions_restore_choice"
SEEN = "completions_versions_seen"  # (prompt id, newest version) the diff choice was made for


def form_body() -> dict[str, Any]:
    """The prompt body the form holds now (the parameters that are set and valid)."""
    state = st.session_state
    params, _ = read_parameters(FIELDS.values(), KEY)
    return prompt_body(
        state.get(PROMPT_KEY) or "", state.get(SUFFIX_KEY) or "", params, state.get(MODEL_KEY)
    )


def _show(body: dict[str, Any]) -> None:
    """Put ``body`` into the form's widgets (before they render: at the top of the page or in a
    callback)."""
    saved = prompt_from_body(body)
    state = st.session_state
    state[PROMPT_KEY], state[SUFFIX_KEY] = saved.prompt, saved.suffix
    set_parameters(FIELDS.values(), saved.params, KEY)
    if saved.model:
        state[MODEL_KEY] = saved.model  # the picker falls back to its default if not offered
    if saved.skipped:
        state[NOTICE] = f"Left out what this app no longer accepts: {', '.join(saved.skipped)}."


def _run_digest(record: RunRecord) -> tuple[str, str]:
    text = json.dumps(run_body(record), sort_keys=True, default=str)
    return record.run_id, hashlib.sha256(text.encode()).hexdigest()


def _show_runs(runs: list[dict[str, Any]]) -> None:
    """Keep ``runs`` as the open prompt's and show the latest one in the Run tab."""
    state = st.session_state
    state[RUNS] = runs
    latest = runs_from_body({RUNS_FIELD: runs[:1]})
    if latest:
        state[RUN], state[RUN_SAVED] = latest[0], _run_digest(latest[0])
    else:
        state.pop(RUN, None)


def _open(store: SafeStore, workspace: str, prompt_id: str) -> bool:
    item = store.read(lambda s: s.get_item(workspace, prompt_id), None)
    if item is None or item.kind != KIND:
        return False
    _show(item.body)
    runs = item.body.get(RUNS_FIELD)
    _show_runs(runs if isinstance(runs, list) else [])
    st.session_state[OPEN], st.session_state[SAVED] = prompt_id, prompt_part(item.body)
    return True


def _resume(store: SafeStore, workspace: str) -> str | None:
    """A new session without ``?p=`` whose form the widget keeper filled with the newest saved
    prompt (the one this browser last worked on) goes on with that prompt, instead of saving it
    again as a new one; the newest prompt's id, or None."""
    body = prompt_part(form_body())
    if not body.get("prompt"):
        return None
    none: list[ItemSummary] = []
    newest = store.read(lambda s: s.list_items(workspace, KIND, limit=1), none)
    if not newest:
        return None
    item = store.read(lambda s: s.get_item(workspace, newest[0].id), None)
    if item is None or item.kind != KIND or prompt_part(item.body) != body:
        return None
    # The form already shows it (what it holds that is not valid, and so not in the body, stays
    # as typed): only its runs and its id are taken.
    runs = item.body.get(RUNS_FIELD)
    _show_runs(runs if isinstance(runs, list) else [])
    st.session_state[OPEN], st.session_state[SAVED] = item.id, body
    st.query_params[QUERY] = item.id
    return item.id


def _start_new() -> str:
    st.session_state[OPEN] = new_item_id()
    st.session_state.pop(SAVED, None)
    st.session_state[RUNS] = []
    return str(st.session_state[OPEN])


def open_prompt(store: SafeStore, workspace: str) -> str:
    """The id of the prompt this session works on; call before the form's widgets render.

    A URL naming another prompt (``?p=``: a reload, a new session, back/forward) opens it from
    this workspace; an id it does not hold starts a new prompt with a plain "not found"."""
    state = st.session_state
    wanted = st.query_params.get(QUERY)
    if wanted and wanted != state.get(OPEN):
        if _open(store, workspace, wanted):
            return wanted
        state[NOTICE] = "That prompt was not found in this workspace; this is a new one."
        del st.query_params[QUERY]
        return _start_new()
    if OPEN not in state:
        return _resume(store, workspace) or _start_new()
    if state.get(SAVED) is not None:
        st.query_params[QUERY] = state[OPEN]  # back on this page after a visit elsewhere
    return str(state[OPEN])


def _put(workspace: str, prompt_id: str, prompt: dict[str, Any]) -> Callable[[Store], None]:
    """The write of the working copy: ``prompt`` with the session's runs; a title the user gave
    (a rename, a copy) stays."""
    body = {**prompt, RUNS_FIELD: list(st.session_state.get(RUNS) or [])}

    def write(store: Store) -> None:
        stored = store.get_item(workspace, prompt_id)
        title = kept_title(
            stored.title if stored else None, stored.body if stored else {}, body["prompt"]
        )
        store.put_item(workspace, prompt_id, KIND, title=title, body=body, text=search_text(body))

    return write


def autosave_prompt(store: SafeStore, workspace: str, prompt_id: str) -> dict[str, Any]:
    """Write the working copy when it changed (nothing while the prompt is empty and unsaved);
    the URL then names the prompt. Returns the form's body."""
    body = form_body()
    state = st.session_state
    if body == state.get(SAVED) or (state.get(SAVED) is None and not body["prompt"]):
        return body
    store.write(f"prompt:{prompt_id}", _put(workspace, prompt_id, body))
    state[SAVED] = body
    st.query_params[QUERY] = prompt_id
    return body


def _add_version(
    store: SafeStore, workspace: str, prompt_id: str, body: dict[str, Any], note: str = ""
) -> None:
    """Write the working copy, then a version of it (the store skips an unchanged one)."""

    def write(s: Store) -> None:
        s.add_version(workspace, prompt_id, body, note)

    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    store.write(f"prompt:{prompt_id}", _put(workspace, prompt_id, body))
    store.write(f"version:{prompt_id}:{digest}", write)  # kept apart while the store is away
    st.session_state[SAVED] = body
    st.query_params[QUERY] = prompt_id


def record_run_version(store: SafeStore, workspace: str, prompt_id: str) -> None:
    """A run is being sent: a new version when the prompt or parameters changed since the last."""
    _add_version(store, workspace, prompt_id, form_body())


def _versions(store: SafeStore, workspace: str, prompt_id: str) -> list[Version]:
    none: list[Version] = []
    return store.read(lambda s: s.list_versions(workspace, prompt_id), none)


def _save_version(store: SafeStore, workspace: str, prompt_id: str) -> None:
    body = form_body()
    before = _versions(store, workspace, prompt_id)
    note = (st.session_state.get(NOTE_KEY) or "").strip()
    if before and before[-1].body == body:
        st.session_state[NOTICE] = f"No change since version {before[-1].number}."
        return
    _add_version(store, workspace, prompt_id, body, note)
    st.session_state[NOTE_KEY] = ""
    st.session_state[NOTICE] = f"Saved version {len(before) + 1}."


def _restore(body: dict[str, Any], number: int) -> None:
    _show(body)
    st.session_state[NOTICE] = f"Restored version {number} into the form."


def save_last_run(store: SafeStore, workspace: str, prompt_id: str) -> None:
    """Keep the Run tab's last run with the open prompt (its latest first, the last few only)
    when it is new or changed since it was written (a stopped run fills in late)."""
    state = st.session_state
    record: RunRecord | None = state.get(RUN)
    if record is None or state.get(SAVED) is None:
        return
    digest = _run_digest(record)
    if state.get(RUN_SAVED) == digest:
        return
    state[RUNS] = with_run(list(state.get(RUNS) or []), record)
    state[RUN_SAVED] = digest
    store.write(f"prompt:{prompt_id}", _put(workspace, prompt_id, state[SAVED]))


def _new_prompt() -> None:
    """Callback of "New prompt" (and of deleting the open one): an empty form, no runs."""
    state = st.session_state
    state[PROMPT_KEY], state[SUFFIX_KEY] = "", ""
    set_parameters(FIELDS.values(), {}, KEY)
    _start_new()
    state.pop(RUN, None)
    st.query_params.pop(QUERY, None)


def _open_item(store: SafeStore, workspace: str, prompt_id: str) -> None:
    """Callback of the history list (and Duplicate): put the prompt into the form, as a
    restore does, and name it in the URL."""
    if _open(store, workspace, prompt_id):
        st.query_params[QUERY] = prompt_id
    else:
        st.session_state[NOTICE] = "That prompt is no longer saved."


def prompt_history(store: SafeStore, workspace: str, prompt_id: str) -> None:
    """The "New prompt" button and the History expander of this workspace's prompts."""
    history_panel(
        store,
        workspace,
        KIND,
        current=prompt_id,
        on_open=lambda item_id: _open_item(store, workspace, item_id),
        on_new=_new_prompt,
        key="completions_history",
        new_label="New prompt",
    )


def show_notice() -> None:
    """The message of the last open, save or restore, once."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(plain(notice), icon=":material/info:")


def _when(version: Version) -> str:
    return version.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _label(version: Version) -> str:
    note = f" · {version.note}" if version.note else ""
    return f"v{version.number} · {_when(version)}{note}"


def versions_panel(store: SafeStore, workspace: str, prompt_id: str) -> None:
    """Save a version (with an optional note), list the versions, diff two, restore one."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.text_input("Note for this version (optional)", key=NOTE_KEY, max_chars=200)
    right.button(
        "Save version",
        on_click=_save_version,
        args=(store, workspace, prompt_id),
        icon=":material/bookmark_add:",
        key="completions_save_version",
    )
    versions = _versions(store, workspace, prompt_id)
    if not versions:
        st.caption("No versions yet: each run with a changed prompt or parameters makes one.")
        return
    by_number = {v.number: v for v in versions}
    numbers = list(reversed(by_number))
    st.dataframe(
        [{"version": v.number, "saved": _when(v), "note": v.note} for v in versions],
        hide_index=True,
        key="completions_versions_table",
    )
    state = st.session_state
    if state.get(SEEN) != (prompt_id, numbers[0]):  # a new version: diff the last two again
        state[SEEN] = (prompt_id, numbers[0])
        previous = numbers[min(1, len(numbers) - 1)]  # the one before the newest
        state[DIFF_FROM], state[DIFF_TO], state[RESTORE] = previous, numbers[0], previous
    c1, c2 = st.columns(2)
    older = c1.selectbox("Diff from", numbers, key=DIFF_FROM)
    newer = c2.selectbox("to", numbers, key=DIFF_TO)
    old, new = by_number[older], by_number[newer]
    st.code(version_diff(old.body, new.body, f"v{old.number}", f"v{new.number}"), language="diff")
    chosen = st.selectbox(
        "Version to restore", numbers, format_func=lambda n: _label(by_number[n]),
        key=RESTORE,
    )  # fmt: skip
    st.button(
        f"Restore version {chosen}",
        on_click=_restore,
        args=(by_number[chosen].body, chosen),
        icon=":material/history:",
        key="completions_restore",
    )
