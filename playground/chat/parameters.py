"""Which chat parameters a model takes, and which one a 400 is about (pure, no Streamlit).

xAI's reasoning models reject ``presence_penalty``, ``frequency_penalty`` and ``stop``; of them only
the grok-3-mini family takes ``reasoning_effort``, and models that do not reason take none of it.
For a model this module does not recognise (a local or custom server) nothing is disabled: the
server's own 400 and the page's "retry without it" cover the rest. What each parameter is and how
it is checked is in :mod:`playground.core.params`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REASONING_REJECTED", "parameter_named_in_error", "rejected_parameters"]

_REASONING_REJECTS = "reasoning models reject it"
REASONING_REJECTED = ("presence_penalty", "frequency_penalty", "stop")
_REASONING_FAMILIES = ("grok-3-mini", "grok-4-", "grok-code")  # grok-4-0709, grok-4-fast-*, ...


def _is_xai_reasoning(model_id: str) -> bool | None:
    """True/False for xAI models whose reasoning is known; None when the model is not known."""
    name = model_id.lower()
    if not name.startswith("grok-"):
        return None
    if "non-reasoning" in name:
        return False
    if "reasoning" in name or name == "grok-4" or name.startswith(_REASONING_FAMILIES):
        return True
    return None


def rejected_parameters(model_id: str) -> dict[str, str]:
    """``{parameter: one-line reason}`` for the parameters ``model_id`` is known to reject."""
    reasoning = _is_xai_reasoning(model_id)
    if reasoning is None:
        return {}
    if not reasoning:
        return {"reasoning_effort": "this model does not take a reasoning effort"}
    rejected = dict.fromkeys(REASONING_REJECTED, _REASONING_REJECTS)
    if not model_id.lower().startswith("grok-3-mini"):
        rejected["reasoning_effort"] = "only grok-3-mini takes a reasoning effort"
    return rejected


def parameter_named_in_error(message: str, sent: Iterable[str]) -> str | None:
    """The sent parameter a server's error message names (the longest match), if any.

    ``"Argument not supported on this model: stop"`` with ``stop`` sent -> ``"stop"``.
    """
    named = [
        name
        for name in sent
        if name not in ("model", "messages", "stream", "stream_options")
        and re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message)
    ]
    return max(named, key=len) if named else None
