"""The columns of a compare run: each a model, a label and the parameters it is sent (pure, no
Streamlit).

A compared column may be another model or the page's own model again; either can override a few
settings (:data:`OVERRIDES`, fields of :mod:`playground.core.params`) and is sent only the
parameters its model takes (:func:`playground.core.catalog.rejected_parameters`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.core.catalog import ModelInfo, rejected_parameters
from playground.core.params import sent_parameters

__all__ = ["OVERRIDES", "Column", "compared_column", "main_column"]

#: The chat parameters a compared column can set for itself (unset: as in the Parameters panel).
OVERRIDES = ("temperature", "seed", "max_completion_tokens")


@dataclass(frozen=True)
class Column:
    """One answer of a compare run: who answers, what the column is called, what it is sent."""

    model: ModelInfo
    label: str
    params: dict[str, Any] = field(default_factory=dict)


def main_column(model: ModelInfo, params: Mapping[str, Any]) -> Column:
    """The page's own model with the panel's parameters (already without what it rejects)."""
    return Column(model, model.id, dict(params))


def _describe(overrides: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} {value:g}" for name, value in overrides.items())


def compared_column(
    model: ModelInfo, params: Mapping[str, Any], overrides: Mapping[str, Any], *, again: bool
) -> Column:
    """A compared column: ``params`` with ``overrides`` on top, less what ``model`` rejects.

    Its label is the model's id, with its own settings when it has some; the page's own model
    compared ``again`` always says so, so it never reads like the main column.
    """
    own = {name: value for name, value in overrides.items() if value is not None}
    label = model.id
    if own or again:
        label += " · " + (_describe(own) or "again")
    return Column(model, label, sent_parameters({**params, **own}, rejected_parameters(model)))
