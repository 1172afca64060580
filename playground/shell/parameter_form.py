"""Request parameters as widgets: any fields of the table in :mod:`playground.core.params`, the
one parameter panel of Chat (both APIs), its compare settings and Completions.

Each widget has the field's human label ("Frequency penalty"), its help (the API field, what it
does, its range, what the server does when it is unset) and starts empty: the empty box or the
first choice shows the default the server uses ("1", "auto (default)") and nothing is sent until
the user sets it. Boxes sit two to a row, choices and text areas a row each; the JSON editors
(tools, a response schema) are drawn apart by :func:`json_editors`, full width where the page
puts them. A parameter the model rejects is disabled, with the reason under the others. Bad
entries stay as typed and their message shows, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
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
from playground.core.text import plain

__all__ = [
    "field_input",
    "in_json_editor",
    "json_editors",
    "parameter_inputs",
    "read_parameters",
    "set_parameters",
    "show_errors",
]

_CHOICES = (Kind.BOOL, Kind.CHOICE, Kind.TOOL_CHOICE, Kind.RESPONSE_FORMAT)
_BOXES = (Kind.INT, Kind.FLOAT, Kind.TEXT)  # short enough to sit side by side
_PER_ROW = 2


def _state() -> MutableMapping[str, Any]:
    return cast(MutableMapping[str, Any], st.session_state)


def in_json_editor(field: Field) -> bool:
    """Whether ``field``'s JSON is typed in an editor of :func:`json_editors`, which shows its
    message: the tools, and a response format's schema (the format's only possible error)."""
    return field.kind in (Kind.TOOLS, Kind.RESPONSE_FORMAT)


def _placeholder(field: Field, inherited: Mapping[str, Any] | None) -> str:
    """What an empty box shows: the value it falls back to (``inherited`` from another panel,
    else the server's default); a choice's "unset" option also says "(default)"."""
    value = None if inherited is None else inherited.get(field.name)
    if value is not None:
        return f"{value:g}" if isinstance(value, float) else str(value)
    return field.unset_choice if field.kind in _CHOICES else field.shown_default


def _number(field: Field, common: dict[str, Any], placeholder: str) -> None:
    convert = int if field.kind is Kind.INT else float
    st.number_input(
        field.label,
        min_value=None if field.minimum is None else convert(field.minimum),
        max_value=None if field.maximum is None else convert(field.maximum),
        value=None,
        step=convert(field.step),
        format="%.2f" if field.kind is Kind.FLOAT else None,
        placeholder=placeholder,
        **common,
    )


def _choice(field: Field, key: KeyFn, common: dict[str, Any], placeholder: str) -> None:
    options: tuple[str, ...] = ("true", "false") if field.kind is Kind.BOOL else field.options
    if field.kind is Kind.TOOL_CHOICE:
        options += tuple(tool_names(_state().get(key("tools")) or ""))
    if field.kind is Kind.CHOICE and _state().get(key(field.name)) not in (UNSET, *options):
        _state()[key(field.name)] = UNSET  # a value this model does not offer: back to unset
    st.selectbox(
        field.label,
        [UNSET, *options],
        format_func=lambda option: placeholder if option == UNSET else option,
        **common,
    )


def field_input(
    field: Field,
    key: KeyFn,
    reason: str | None = None,
    inherited: Mapping[str, Any] | None = None,
) -> None:
    """One parameter's widget; disabled with ``reason`` when the model rejects it. Empty, it
    shows the default, or the value ``inherited`` from another panel when that has one."""
    widget_key = key(field.name)
    _state().setdefault(widget_key, unset_widget_value(field))
    common: dict[str, Any] = {
        "key": widget_key,
        "disabled": reason is not None,
        "help": field.help_text + (f" Disabled: {plain(reason)}." if reason else ""),
    }
    placeholder = _placeholder(field, inherited)
    if field.kind in (Kind.INT, Kind.FLOAT):
        _number(field, common, placeholder)
    elif field.kind in _CHOICES:
        _choice(field, key, common, placeholder)
    elif field.kind is Kind.TEXT:
        st.text_input(field.label, placeholder=placeholder, **common)
    else:
        height = 200 if field.kind is Kind.TOOLS else 68
        st.text_area(field.label, height=height, placeholder=field.placeholder, **common)


def _reasons(shown: Iterable[Field], rejected: Mapping[str, str]) -> None:
    """One line per reason: ``Presence penalty, Stop sequences — reasoning models reject it``."""
    by_reason: dict[str, list[str]] = {}
    for field in shown:
        if field.name in rejected:
            by_reason.setdefault(rejected[field.name], []).append(field.label)
    for reason, labels in by_reason.items():
        line = ", ".join(labels) + f" — {reason}"
        st.caption(f":material/block: {plain(line)}")


def parameter_inputs(
    shown: Iterable[Field],
    key: KeyFn,
    rejected: Mapping[str, str] | None = None,
    inherited: Mapping[str, Any] | None = None,
) -> None:
    """The widgets of ``shown`` but the tools editor, inside the caller's container, in order:
    the boxes (numbers, short text) two to a row, the choices and the text areas a row each;
    then why any is disabled."""
    fields = [field for field in shown if field.kind is not Kind.TOOLS]
    reasons = rejected or {}
    boxes = [field for field in fields if field.kind in _BOXES]
    for start in range(0, len(boxes), _PER_ROW):
        row = boxes[start : start + _PER_ROW]
        columns = st.columns(_PER_ROW, vertical_alignment="bottom")
        for column, field in zip(columns, row, strict=False):
            with column:
                field_input(field, key, reasons.get(field.name), inherited)
    for field in fields:
        if field.kind not in _BOXES:
            field_input(field, key, reasons.get(field.name), inherited)
    _reasons(fields, reasons)


def json_editors(
    shown: Sequence[Field],
    key: KeyFn,
    rejected: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> None:
    """The JSON editors of ``shown`` (the tools; the response schema once the response format
    asks for one), each full width in the caller's container, with its message under it."""
    reasons, problems = rejected or {}, errors or {}
    for field in sorted(shown, key=lambda field: field.kind is not Kind.TOOLS):  # tools first
        if field.kind is Kind.TOOLS:
            field_input(field, key, reasons.get(field.name))
            _reasons([field], reasons)
        elif field.kind is Kind.RESPONSE_FORMAT:
            if _state().get(key(field.name)) == SCHEMA:
                st.text_area(
                    "JSON schema",
                    key=key(SCHEMA),
                    height=200,
                    placeholder='{"name": "answer", "schema": {"type": "object"}}',
                    help="The response format's `json_schema`: a name and a JSON schema.",
                )
            else:
                st.caption(f"A JSON schema: choose {SCHEMA} as {field.label} first.")
        if field.name in problems:
            st.error(problems[field.name], icon=":material/error:")


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
