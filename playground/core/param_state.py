"""Parameter widgets' state, as values (pure, no Streamlit): what a form shows for a set of
request values, and the request values a form's state holds.

Every widget is keyed by its parameter (see :func:`widget_keys`); an unset parameter shows as an
empty input or the choice :data:`UNSET` and is never sent. The rules come from the table in
:mod:`playground.core.params`, so a form, an imported file and a preset agree on what is valid.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from playground.core.params import (
    SCHEMA,
    Field,
    Kind,
    check_together,
    check_value,
    format_logit_bias,
    parse_logit_bias,
    parse_stop,
    read_schema,
    read_tools,
    sent_parameters,
)

__all__ = [
    "UNSET",
    "KeyFn",
    "read_values",
    "tool_names",
    "unset_widget_value",
    "widget_keys",
    "widget_values",
]

UNSET = "unset"  # the first option of every choice: the parameter is not sent
KeyFn = Callable[[str], str]  # parameter name -> widget key


def tool_names(tools_text: str) -> list[str]:
    """The function names of the tools typed into the tools editor (none while it is invalid)."""
    try:
        tools = read_tools(tools_text) or []
    except ValueError:
        return []
    return [tool["function"]["name"] for tool in tools]


def widget_keys(prefix: str, renamed: Mapping[str, str] | None = None) -> KeyFn:
    """Widget keys ``prefix + name``, except those ``renamed`` (name -> key)."""
    special = dict(renamed or {})
    return lambda name: special.get(name, prefix + name)


def unset_widget_value(field: Field) -> Any:
    """What ``field``'s widget holds while the parameter is unset."""
    if field.kind in (Kind.INT, Kind.FLOAT):
        return None
    if field.kind in (Kind.BOOL, Kind.CHOICE, Kind.TOOL_CHOICE, Kind.RESPONSE_FORMAT):
        return UNSET
    return ""


def _widget_value(field: Field, value: Any) -> Any:
    """What the widget shows for a (checked) value: the inverse of :func:`read_values`."""
    if value is None:
        return unset_widget_value(field)
    kind = field.kind
    if kind is Kind.BOOL:
        return "true" if value else "false"
    if kind is Kind.STOP:
        sequences = [value] if isinstance(value, str) else value
        return "\n".join(s.replace("\n", "\\n").replace("\t", "\\t") for s in sequences)
    if kind is Kind.LOGIT_BIAS:
        return format_logit_bias(value)
    if kind is Kind.TOOLS:
        return json.dumps(value, indent=2)
    if kind is Kind.TOOL_CHOICE and isinstance(value, dict):
        return value["function"]["name"]
    if kind is Kind.RESPONSE_FORMAT:
        return value["type"]
    return value


def widget_values(shown: Iterable[Field], values: Mapping[str, Any], key: KeyFn) -> dict[str, Any]:
    """Widget state (key -> value) showing ``values``; every field not in ``values`` is unset."""
    state: dict[str, Any] = {}
    for field in shown:
        value = values.get(field.name)
        state[key(field.name)] = _widget_value(field, value)
        if field.kind is Kind.RESPONSE_FORMAT and value is not None and SCHEMA in value:
            state[key(SCHEMA)] = json.dumps(value[SCHEMA], indent=2)
    return state


def _read(field: Field, state: Mapping[str, Any], key: KeyFn, tools: list[str]) -> Any:
    raw = state.get(key(field.name), unset_widget_value(field))
    kind = field.kind
    if kind in (Kind.BOOL, Kind.CHOICE, Kind.TOOL_CHOICE, Kind.RESPONSE_FORMAT) and raw == UNSET:
        return None
    if kind is Kind.BOOL:
        return raw == "true"
    if kind is Kind.TEXT:
        return (raw or "").strip() or None
    if kind is Kind.STOP:
        return parse_stop(raw or "")
    if kind is Kind.LOGIT_BIAS:
        return parse_logit_bias(raw or "")
    if kind is Kind.TOOLS:
        return read_tools(raw or "")
    if kind is Kind.TOOL_CHOICE and raw in tools:
        return {"type": "function", "function": {"name": raw}}
    if kind is Kind.RESPONSE_FORMAT and raw == SCHEMA:
        return {"type": SCHEMA, SCHEMA: read_schema(state.get(key(SCHEMA)) or "")}
    if kind is Kind.RESPONSE_FORMAT:
        return {"type": raw}
    return None if raw is None else check_value(field, raw)


def read_values(
    shown: Iterable[Field],
    state: Mapping[str, Any],
    key: KeyFn,
    rejected: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The parameters the widgets in ``state`` hold, to send (only those set, none ``rejected``),
    and a message per field that is invalid (a rejected field is neither read nor checked)."""
    skip = rejected or {}
    params: dict[str, Any] = {}
    errors: dict[str, str] = {}
    tools = tool_names(state.get(key("tools")) or "")
    for field in shown:
        if field.name in skip:
            continue
        try:
            params[field.name] = _read(field, state, key, tools)
        except ValueError as exc:
            errors[field.name] = str(exc)
    sent = sent_parameters(params)
    try:
        check_together(sent)
    except ValueError as exc:
        errors.setdefault("best_of", str(exc))
    return sent, errors
