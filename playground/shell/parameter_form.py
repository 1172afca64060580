"""Request parameters as widgets: any fields of the table in :mod:`playground.core.params`.

Every widget starts unset (an empty input, or the choice "unset") and its parameter is sent only
once the user sets it; the help says what it does and what the server does when it is unset. A
parameter the model rejects is disabled, with the reason beside it. Bad entries stay as typed and
their message shows under the form, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any, cast

import streamlit as st

from playground.core.param_state import (
    UNSET,
    KeyFn,
    read_values,
    tool_names,
    unset_widget_value,
    widget_values,
)
from playground.core.params import SCHEMA, Field, Kind

__all__ = ["field_input", "parameter_inputs", "read_parameters", "set_parameters", "show_errors"]

_TALL = (Kind.TOOLS,)  # editors that hold a few lines of JSON


def _state() -> MutableMapping[str, Any]:
    return cast(MutableMapping[str, Any], st.session_state)


def _number(field: Field, common: dict[str, Any]) -> None:
    convert = int if field.kind is Kind.INT else float
    st.number_input(
        field.shown_label,
        min_value=None if field.minimum is None else convert(field.minimum),
        max_value=None if field.maximum is None else convert(field.maximum),
        value=None,
        step=convert(field.step),
        format="%.2f" if field.kind is Kind.FLOAT else None,
        placeholder=UNSET,
        **common,
    )


def _choice(field: Field, key: KeyFn, common: dict[str, Any]) -> None:
    options: tuple[str, ...] = ("true", "false") if field.kind is Kind.BOOL else field.options
    if field.kind is Kind.TOOL_CHOICE:
        options += tuple(tool_names(_state().get(key("tools")) or ""))
    if field.kind is Kind.CHOICE and _state().get(key(field.name)) not in (UNSET, *options):
        _state()[key(field.name)] = UNSET  # a value this model does not offer: back to unset
    choice = st.selectbox(field.shown_label, [UNSET, *options], **common)
    if field.kind is Kind.RESPONSE_FORMAT and choice == SCHEMA:
        st.text_area("JSON schema", key=key(SCHEMA), height=150, placeholder='{"type": "object"}')


def field_input(field: Field, key: KeyFn, reason: str | None = None) -> None:
    """One parameter's widget; disabled with ``reason`` when the model rejects it."""
    widget_key = key(field.name)
    _state().setdefault(widget_key, unset_widget_value(field))
    common: dict[str, Any] = {
        "key": widget_key,
        "disabled": reason is not None,
        "help": reason or field.help_text,
    }
    if field.kind in (Kind.INT, Kind.FLOAT):
        _number(field, common)
    elif field.kind in (Kind.BOOL, Kind.CHOICE, Kind.TOOL_CHOICE, Kind.RESPONSE_FORMAT):
        _choice(field, key, common)
    elif field.kind is Kind.TEXT:
        st.text_input(field.shown_label, placeholder=UNSET, **common)
    else:
        height = 150 if field.kind in _TALL else 68
        st.text_area(field.shown_label, height=height, placeholder=field.placeholder, **common)
    if reason:
        st.caption(f":material/block: {field.name}: {reason}")


def parameter_inputs(
    shown: Iterable[Field], key: KeyFn, rejected: Mapping[str, str] | None = None
) -> None:
    """The widgets of ``shown``, in order, inside the caller's container."""
    for field in shown:
        field_input(field, key, (rejected or {}).get(field.name))


def read_parameters(
    shown: Iterable[Field], key: KeyFn, rejected: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The parameters to send (set, valid and not rejected) and a message per invalid field."""
    return read_values(shown, _state(), key, rejected)


def set_parameters(shown: Iterable[Field], values: Mapping[str, Any], key: KeyFn) -> None:
    """Show ``values`` in the widgets of ``shown``; the others become unset (call from a callback,
    before the widgets render)."""
    _state().update(widget_values(shown, values, key))


def show_errors(errors: Mapping[str, str]) -> None:
    """Each invalid field's message, as it is (it names the field)."""
    for message in errors.values():
        st.error(message, icon=":material/error:")
