"""The chat page's "Parameters" expander: every request parameter of the chosen API (Chat
Completions or Responses), each not sent until set; and its JSON editors (tools, a response
schema), drawn full width in the page's main area by :func:`tools_and_schema`.

Drawn from the table in :mod:`playground.core.params` by :mod:`playground.shell.parameter_form`,
as the completions form is: human labels, help, the defaults shown in the empty widgets.
Parameters the model does not take (:func:`playground.core.catalog.rejected_parameters`) are
disabled with a one-line reason; a reasoning effort offers only the values the model lists; the
JSON editors point at the line and column of a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from playground.core.catalog import ModelInfo, fields_for_model, rejected_parameters
from playground.core.param_state import widget_keys
from playground.core.params import CHAT, RESPONSES, Endpoint, Field, fields, load_values
from playground.shell.parameter_form import (
    in_json_editor,
    json_editors,
    parameter_inputs,
    read_parameters,
    set_parameters,
    show_errors,
)

__all__ = [
    "ParameterPanel",
    "clear_parameter",
    "load_parameters",
    "parameter_panel",
    "tools_and_schema",
]

KEY = widget_keys("chat_", {"max_completion_tokens": "chat_max_tokens"})
EDITORS = "Tools and JSON schema"  # the expander of the JSON editors, in the main area
_ICON = ":material/data_object:"
_CLEARS_TOO = {"tools": ("tool_choice",)}  # a tool choice names a tool: it goes with the tools


@dataclass
class ParameterPanel:
    """What the panel holds: the parameters to send, and problems that block sending; the
    fields it shows and the message of each invalid one (for its JSON editors)."""

    params: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    shown: list[Field] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)


def _panel_fields() -> dict[str, Field]:
    """Every field the panel draws in either API (one widget per name: shared ones such as
    temperature keep their value when the API changes)."""
    return {**fields(RESPONSES), **fields(CHAT)}


def clear_parameter(name: str) -> None:
    """Set ``name``'s widgets back to "not sent" (call from a callback, before they render)."""
    table = _panel_fields()
    cleared = [table[n] for n in (name, *_CLEARS_TOO.get(name, ())) if n in table]
    set_parameters(cleared, {}, KEY)


def parameter_panel(model: ModelInfo | None, endpoint: Endpoint = CHAT) -> ParameterPanel:
    """Render ``endpoint``'s panel (Chat Completions or Responses) for ``model`` (inside the
    caller's container) but its JSON editors (:func:`tools_and_schema`), and read it all."""
    rejected = rejected_parameters(model) if model is not None else {}
    shown = fields_for_model(endpoint, model)
    parameter_inputs(shown, KEY, rejected)
    params, errors = read_parameters(shown, KEY, rejected)
    named = {f.name: f for f in shown}
    show_errors({name: e for name, e in errors.items() if not in_json_editor(named[name])})
    st.caption(f"{_ICON} Tools and a JSON schema: in “{EDITORS}” above the conversation.")
    return ParameterPanel(params, list(errors.values()), rejected, shown, errors)


def tools_and_schema(panel: ParameterPanel) -> None:
    """The panel's JSON editors, the tools and a response schema, full width in an expander of
    the caller's container (the page's main area), each with its message."""
    with st.expander(EDITORS, icon=_ICON):
        json_editors(panel.shown, KEY, panel.rejected, panel.invalid)


def load_parameters(params: dict[str, Any]) -> list[str]:
    """Set the panel's widgets from imported ``params`` (call from a callback); returns the names
    it could not show in the panel (unknown or invalid: they are left out)."""
    values, skipped = load_values(params, CHAT)
    more, skipped = load_values({name: params[name] for name in skipped}, RESPONSES)
    set_parameters(_panel_fields().values(), {**values, **more}, KEY)
    return skipped
