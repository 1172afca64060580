"""The chat page's "Parameters" expander: every request parameter of the chosen API (Chat
Completions or Responses), each not sent until set.

Drawn from the table in :mod:`playground.core.params` by :mod:`playground.shell.parameter_form`,
as the completions form is. Parameters the model does not take
(:func:`playground.core.catalog.rejected_parameters`) are disabled with a one-line reason; a
reasoning effort offers only the values the model lists; the JSON editors (tools, a response
schema) point at the line and column of a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.core.catalog import ModelInfo, fields_for_model, rejected_parameters
from playground.core.param_state import widget_keys
from playground.core.params import CHAT, RESPONSES, Endpoint, Field, fields, load_values
from playground.shell.parameter_form import (
    parameter_inputs,
    read_parameters,
    set_parameters,
    show_errors,
)

__all__ = ["ParameterPanel", "clear_parameter", "load_parameters", "parameter_panel"]

KEY = widget_keys("chat_", {"max_completion_tokens": "chat_max_tokens"})
_CLEARS_TOO = {"tools": ("tool_choice",)}  # a tool choice names a tool: it goes with the tools


@dataclass
class ParameterPanel:
    """What the panel holds: the parameters to send, and problems that block sending."""

    params: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)


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
    caller's container) and read it."""
    rejected = rejected_parameters(model) if model is not None else {}
    shown = fields_for_model(endpoint, model)
    parameter_inputs(shown, KEY, rejected)
    params, errors = read_parameters(shown, KEY, rejected)
    show_errors(errors)
    return ParameterPanel(params, list(errors.values()), rejected)


def load_parameters(params: dict[str, Any]) -> list[str]:
    """Set the panel's widgets from imported ``params`` (call from a callback); returns the names
    it could not show in the panel (unknown or invalid: they are left out)."""
    values, skipped = load_values(params, CHAT)
    more, skipped = load_values({name: params[name] for name in skipped}, RESPONSES)
    set_parameters(_panel_fields().values(), {**values, **more}, KEY)
    return skipped
