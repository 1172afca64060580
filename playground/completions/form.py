"""The completions sandbox's parameter form and presets panel (Streamlit component).

The form is drawn from the table in :mod:`playground.core.params` by
:mod:`playground.shell.parameter_form`, as the chat panel is: human labels with help, every field
starts unset (showing the server's default) and is sent only once the user sets it; a bad entry
shows its message and stays as typed, so nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from playground.completions.presets import (
    BUILTIN_PRESETS,
    KIND,
    export_presets,
    import_presets,
    preset_body,
    preset_item_id,
    preset_name,
    stored_presets,
)
from playground.core.param_state import widget_keys
from playground.core.params import COMPLETIONS, fields
from playground.shell.parameter_form import (
    parameter_inputs,
    read_parameters,
    set_parameters,
    show_errors,
)
from playground.store import SafeStore, Store

__all__ = ["KEY", "parameter_form", "presets_panel"]

KEY = widget_keys("completions_p_")
PRESETS = "completions_presets"
PRESET_MESSAGE = "completions_preset_message"
FIELDS = fields(COMPLETIONS)


def _reset() -> None:
    set_parameters(FIELDS.values(), {}, KEY)


def parameter_form() -> tuple[dict[str, Any], dict[str, str]]:
    """The parameter inputs (call inside a container); returns the parameters to send and a
    message per invalid field."""
    parameter_inputs(FIELDS.values(), KEY)
    params, errors = read_parameters(FIELDS.values(), KEY)
    show_errors(errors)
    st.button("Reset to defaults", on_click=_reset, icon=":material/restart_alt:")
    return params, errors


def _read_stored(store: Store, workspace: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for summary in store.list_items(workspace, KIND):
        item = store.get_item(workspace, summary.id)
        if item is not None:
            found.append((item.title, item.body))
    return found[::-1]  # oldest first, so the newest of a name wins


def _presets(store: SafeStore, workspace: str) -> dict[str, dict[str, Any]]:
    """The built-in presets and this workspace's own (read from the store once per session)."""
    if PRESETS not in st.session_state:
        stored = stored_presets(store.read(lambda s: _read_stored(s, workspace), []))
        builtin = {name: dict(params) for name, params in BUILTIN_PRESETS.items()}
        st.session_state[PRESETS] = builtin | stored
    presets: dict[str, dict[str, Any]] = st.session_state[PRESETS]
    return presets


def _keep(store: SafeStore, workspace: str, found: dict[str, dict[str, Any]]) -> None:
    """Add ``found`` to the session's presets and write each to the store."""
    _presets(store, workspace).update(found)
    for name, params in found.items():

        def write(s: Store, name: str = name, params: dict[str, Any] = params) -> None:
            s.put_item(
                workspace, preset_item_id(workspace, name), KIND,
                title=name, body=preset_body(params),
            )  # fmt: skip

        store.write(f"preset:{name}", write)


def _say(level: str, text: str) -> None:
    st.session_state[PRESET_MESSAGE] = (level, text)


def _load(store: SafeStore, workspace: str) -> None:
    name = st.session_state.get("completions_preset_choice")
    presets = _presets(store, workspace)
    if name in presets:
        set_parameters(FIELDS.values(), presets[name], KEY)
        _say("success", f"Loaded {name!r}.")


def _save(store: SafeStore, workspace: str) -> None:
    params, errors = read_parameters(FIELDS.values(), KEY)
    if errors:
        _say("error", "Fix the parameters marked in red before saving.")
        return
    try:
        name = preset_name(st.session_state.get("completions_preset_name") or "")
    except ValueError as exc:
        _say("error", str(exc))
        return
    _keep(store, workspace, {name: params})
    st.session_state["completions_preset_choice"] = name
    _say("success", f"Saved {name!r} ({len(params)} parameters set).")


def _import(store: SafeStore, workspace: str, text: str) -> None:
    try:
        found = import_presets(text)
    except ValueError as exc:
        _say("error", f"Nothing imported: {exc}")
        return
    _keep(store, workspace, found)
    _say("success", f"Imported {len(found)} preset(s): {', '.join(found)}.")


def _import_pasted(store: SafeStore, workspace: str) -> None:
    _import(store, workspace, st.session_state.get("completions_preset_paste") or "")


def _import_file(store: SafeStore, workspace: str) -> None:
    uploaded = st.session_state.get("completions_preset_file")
    if uploaded is None:
        return
    try:
        _import(store, workspace, uploaded.getvalue().decode("utf-8"))
    except UnicodeDecodeError:
        _say("error", "Nothing imported: the file is not UTF-8 text.")


def presets_panel(store: SafeStore, workspace: str) -> None:
    """Save/load named parameter sets (kept in the workspace store); import/export them as JSON."""
    presets = _presets(store, workspace)
    args = (store, workspace)
    names = list(presets)
    if st.session_state.get("completions_preset_choice") not in names:
        st.session_state["completions_preset_choice"] = names[0] if names else None
    st.selectbox("Preset", names, key="completions_preset_choice")
    if st.session_state["completions_preset_choice"] in presets:
        shown = presets[st.session_state["completions_preset_choice"]]
        st.caption(json.dumps(shown) if shown else "no parameters set")
    st.button("Load preset", on_click=_load, args=args, icon=":material/download_done:")
    st.text_input("Save the current parameters as", key="completions_preset_name")
    st.button("Save preset", on_click=_save, args=args, icon=":material/save:")
    message = st.session_state.pop(PRESET_MESSAGE, None)
    if message is not None:
        level, text = message
        (st.error if level == "error" else st.success)(text)
    st.download_button(
        "Export presets (JSON)",
        data=export_presets(presets),
        file_name="completion-presets.json",
        mime="application/json",
        icon=":material/file_download:",
    )
    st.file_uploader(
        "Import presets (JSON file)",
        type=["json"],
        key="completions_preset_file",
        on_change=_import_file,
        args=args,
    )
    st.text_area("…or paste presets JSON", key="completions_preset_paste", height=68)
    st.button("Import pasted JSON", on_click=_import_pasted, args=args, icon=":material/upload:")
