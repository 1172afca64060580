"""The completions sandbox's parameter form and presets panel (Streamlit component).

Every field starts unset (an empty input) and is sent only once the user sets it. Values are
checked with :mod:`playground.completions.params`; a bad entry shows its message next to the field
and stays as typed, so nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping
from typing import Any, cast

import streamlit as st

from playground.completions.params import (
    FIELDS,
    format_logit_bias,
    parse_logit_bias,
    parse_stop,
    validate_params,
)
from playground.completions.presets import (
    BUILTIN_PRESETS,
    export_presets,
    import_presets,
    preset_name,
)

__all__ = ["ECHO_CHOICES", "param_key", "parameter_form", "presets_panel"]

PREFIX = "completions_p_"
PRESETS = "completions_presets"
PRESET_MESSAGE = "completions_preset_message"
ECHO_CHOICES = ("unset", "true", "false")
_NUMERIC = [name for name, spec in FIELDS.items() if spec.kind in (int, float)]


def param_key(name: str) -> str:
    """The widget key of a parameter's input."""
    return PREFIX + name


def _unset_value(name: str) -> Any:
    if name == "echo":
        return "unset"
    if name in ("stop", "logit_bias", "user"):
        return ""
    return None


def _widget_value(name: str, value: Any) -> Any:
    """What the widget shows for a parameter value (the inverse of reading the form)."""
    if value is None:
        return _unset_value(name)
    if name == "echo":
        return "true" if value else "false"
    if name == "stop":
        sequences = [value] if isinstance(value, str) else value
        return "\n".join(s.replace("\n", "\\n").replace("\t", "\\t") for s in sequences)
    if name == "logit_bias":
        return format_logit_bias(value)
    return value


def set_form(state: MutableMapping[str, Any], params: Mapping[str, Any]) -> None:
    """Put ``params`` into the form (fields not in ``params`` become unset)."""
    for name in FIELDS:
        state[param_key(name)] = _widget_value(name, params.get(name))


def read_form(state: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The parameters the form holds (only those set) and a message per field that is invalid."""
    raw: dict[str, Any] = {name: state.get(param_key(name)) for name in _NUMERIC}
    errors: dict[str, str] = {}
    echo = state.get(param_key("echo"), "unset")
    raw["echo"] = None if echo == "unset" else echo == "true"
    raw["user"] = (state.get(param_key("user")) or "").strip() or None
    for name, parse in (("stop", parse_stop), ("logit_bias", parse_logit_bias)):
        try:
            raw[name] = parse(state.get(param_key(name)) or "")
        except ValueError as exc:
            errors[name] = str(exc)
    params: dict[str, Any] = {}
    for name, value in raw.items():
        try:
            params.update(validate_params({name: value}))
        except ValueError as exc:
            errors[name] = str(exc)
    try:
        validate_params(params)
    except ValueError as exc:  # cross-field rules (best_of ≥ n)
        errors.setdefault("best_of", str(exc))
    return params, errors


def _state() -> MutableMapping[str, Any]:
    return cast(MutableMapping[str, Any], st.session_state)


def _reset() -> None:
    set_form(_state(), {})


def _number(name: str, step: float, fmt: str | None = None) -> None:
    spec = FIELDS[name]
    is_int = spec.kind is int
    st.number_input(
        name,
        min_value=None if spec.minimum is None else (int if is_int else float)(spec.minimum),
        max_value=None if spec.maximum is None else (int if is_int else float)(spec.maximum),
        value=None,
        step=int(step) if is_int else step,
        format=fmt,
        key=param_key(name),
        help=spec.help,
        placeholder="unset",
    )


def parameter_form() -> tuple[dict[str, Any], dict[str, str]]:
    """The parameter inputs (call inside a container); returns :func:`read_form` of the result."""
    for name in FIELDS:
        st.session_state.setdefault(param_key(name), _unset_value(name))
    left, right = st.columns(2)
    with left:
        _number("temperature", 0.1, "%.2f")
        _number("max_tokens", 16)
        _number("frequency_penalty", 0.1, "%.2f")
        _number("n", 1)
        _number("seed", 1)
    with right:
        _number("top_p", 0.05, "%.2f")
        _number("logprobs", 1)
        _number("presence_penalty", 0.1, "%.2f")
        _number("best_of", 1)
        st.selectbox("echo", ECHO_CHOICES, key=param_key("echo"), help=FIELDS["echo"].help)
    st.text_area(
        "stop (one per line; \\n for a newline)",
        key=param_key("stop"),
        height=68,
        help=FIELDS["stop"].help,
    )
    st.text_area(
        "logit_bias (JSON)",
        key=param_key("logit_bias"),
        height=68,
        placeholder='{"1234": -100}',
        help=FIELDS["logit_bias"].help,
    )
    st.text_input("user", key=param_key("user"), help=FIELDS["user"].help, placeholder="unset")
    params, errors = read_form(_state())
    for name, message in errors.items():
        st.error(f"{name}: {message}", icon=":material/error:")
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
        set_form(_state(), presets[name])
        _say("success", f"Loaded {name!r}.")


def _save() -> None:
    params, errors = read_form(_state())
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
