"""The completions sandbox's parameter form and presets panel (Streamlit component).

The form is drawn from the table in :mod:`playground.core.params` by
:mod:`playground.shell.parameter_form`, as the chat panel is: every field starts unset and is sent
only once the user sets it; a bad entry shows its message and stays as typed, so nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from playground.completions.presets import (
    BUILTIN_PRESETS,
    export_presets,
    import_presets,
    preset_name,
)
from playground.core.param_state import widget_keys
from playground.core.params import COMPLETIONS, fields
from playground.shell.parameter_form import (
    parameter_inputs,
    read_parameters,
    set_parameters,
    show_errors,
)

__all__ = ["KEY", "parameter_form", "presets_panel"]

KEY = widget_keys("completions_p_")
PRESETS = "completions_presets"
PRESET_MESSAGE = "completions_preset_message"
FIELDS = fields(COMPLETIONS)
_LEFT = ("temperature", "max_tokens", "frequency_penalty", "n", "seed")
_RIGHT = ("top_p", "logprobs", "presence_penalty", "best_of", "echo")
_BELOW = ("stop", "logit_bias", "user")


def _reset() -> None:
    set_parameters(FIELDS.values(), {}, KEY)


def parameter_form() -> tuple[dict[str, Any], dict[str, str]]:
    """The parameter inputs (call inside a container); returns the parameters to send and a
    message per invalid field."""
    left, right = st.columns(2)
    with left:
        parameter_inputs([FIELDS[name] for name in _LEFT], KEY)
    with right:
        parameter_inputs([FIELDS[name] for name in _RIGHT], KEY)
    parameter_inputs([FIELDS[name] for name in _BELOW], KEY)
    params, errors = read_parameters(FIELDS.values(), KEY)
    show_errors(errors)
    st.button("Reset to defaults", on_click=_reset, icon=":material/restart_alt:")
    return params, errors


def _presets() -> dict[str, dict[str, Any]]:
    presets: dict[str, dict[str, Any]] = st.session_state.setdefault(
        PRESETS, {name: dict(params) for name, params in BUILTIN_PRESETS.items()}
    )
    return presets


def _say(level: str, text: str) -> None:
    st.session_state[PRESET_MESSAGE] = (level, text)


def _load() -> None:
    name = st.session_state.get("completions_preset_choice")
    presets = _presets()
    if name in presets:
        set_parameters(FIELDS.values(), presets[name], KEY)
        _say("success", f"Loaded {name!r}.")


def _save() -> None:
    params, errors = read_parameters(FIELDS.values(), KEY)
    if errors:
        _say("error", "Fix the parameters marked in red before saving.")
        return
    try:
        name = preset_name(st.session_state.get("completions_preset_name") or "")
    except ValueError as exc:
        _say("error", str(exc))
        return
    _presets()[name] = params
    st.session_state["completions_preset_choice"] = name
    _say("success", f"Saved {name!r} ({len(params)} parameters set).")


def _import(text: str) -> None:
    try:
        found = import_presets(text)
    except ValueError as exc:
        _say("error", f"Nothing imported: {exc}")
        return
    _presets().update(found)
    _say("success", f"Imported {len(found)} preset(s): {', '.join(found)}.")


def _import_pasted() -> None:
    _import(st.session_state.get("completions_preset_paste") or "")


def _import_file() -> None:
    uploaded = st.session_state.get("completions_preset_file")
    if uploaded is None:
        return
    try:
        _import(uploaded.getvalue().decode("utf-8"))
    except UnicodeDecodeError:
        _say("error", "Nothing imported: the file is not UTF-8 text.")


def presets_panel() -> None:
    """Save/load named parameter sets for this session; import/export them as JSON."""
    presets = _presets()
    names = list(presets)
    if st.session_state.get("completions_preset_choice") not in names:
        st.session_state["completions_preset_choice"] = names[0] if names else None
    st.selectbox("Preset", names, key="completions_preset_choice")
    if st.session_state["completions_preset_choice"] in presets:
        shown = presets[st.session_state["completions_preset_choice"]]
        st.caption(json.dumps(shown) if shown else "no parameters set")
    st.button("Load preset", on_click=_load, icon=":material/download_done:")
    st.text_input("Save the current parameters as", key="completions_preset_name")
    st.button("Save preset", on_click=_save, icon=":material/save:")
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
    )
    st.text_area("…or paste presets JSON", key="completions_preset_paste", height=68)
    st.button("Import pasted JSON", on_click=_import_pasted, icon=":material/upload:")
