"""The columns of a compare run: each a model, a label and the parameters it is sent (pure, no
Streamlit).

A compared column may be another model or the page's own model again; either can override a few
settings (:data:`OVERRIDES`, fields of :mod:`playground.core.params`) and is sent only the
parameters its model takes (:func:`playground.core.catalog.unaccepted`): what it leaves out is
kept on the column, with why, to be shown beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.core.catalog import ModelInfo, unaccepted
from playground.core.params import RESPONSES, Endpoint, sent_parameters

__all__ = ["OVERRIDES", "Column", "compared_column", "main_column", "overrides_for"]

#: The chat parameters a compared column can set for itself (unset: as in the Parameters panel).
OVERRIDES = ("temperature", "seed", "max_completion_tokens")
_RESPONSES_OVERRIDES = ("temperature", "max_output_tokens")  # Responses takes no seed


def overrides_for(endpoint: Endpoint) -> tuple[str, ...]:
    """The parameters a compared column can set for itself with ``endpoint``'s API."""
    return _RESPONSES_OVERRIDES if endpoint == RESPONSES else OVERRIDES


@dataclass(frozen=True)
class Column:
    """One answer of a compare run: who answers, what the column is called, what it is sent."""

    model: ModelInfo
    label: str
    params: dict[str, Any] = field(default_factory=dict)
    #: The parameters set on the page this column's model does not take: name -> why.
    left_out: dict[str, str] = field(default_factory=dict)

    @property
    def left_out_note(self) -> str | None:
        """``left out: reasoning_effort (grok-4-fast-non-reasoning does not take it)``, or
        ``None`` when nothing was."""
        if not self.left_out:
            return None
        return "left out: " + "; ".join(f"{n} ({why})" for n, why in self.left_out.items())


def main_column(model: ModelInfo, params: Mapping[str, Any]) -> Column:
    """The page's own model with the panel's parameters (already without what it rejects)."""
    return Column(model, model.id, dict(params))


def _describe(overrides: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} {value:g}" for name, value in overrides.items())


def compared_column(
    model: ModelInfo, params: Mapping[str, Any], overrides: Mapping[str, Any], *, again: bool
) -> Column:
    """A compared column: ``params`` with ``overrides`` on top, less what ``model`` does not
    take (kept in ``left_out``).

    Its label is the model's id, with its own settings when it has some; the page's own model
    compared ``again`` always says so, so it never reads like the main column.
    """
    own = {name: value for name, value in overrides.items() if value is not None}
    label = model.id
    if own or again:
        label += " · " + (_describe(own) or "again")
    wanted = {**params, **own}
    left_out = unaccepted(model, wanted)
    return Column(model, label, sent_parameters(wanted, left_out), left_out)
