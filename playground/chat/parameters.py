"""Which chat parameters a model takes, and which one a 400 is about (pure, no Streamlit).

xAI's reasoning models reject ``presence_penalty``, ``frequency_penalty`` and ``stop``; of them only
the grok-3-mini family takes ``reasoning_effort``, and models that do not reason take none of it.
For a model this module does not recognise (a local or custom server) nothing is disabled: the
server's own 400 and the page's "retry without it" cover the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "CHAT_PARAMETERS",
    "MAX_STOP_SEQUENCES",
    "parameter_named_in_error",
    "parse_stop_sequences",
    "rejected_parameters",
    "sent_parameters",
]

CHAT_PARAMETERS = (
    "temperature",
    "top_p",
    "max_completion_tokens",
    "presence_penalty",
    "frequency_penalty",
    "seed",
    "stop",
    "n",
    "logprobs",
    "top_logprobs",
    "reasoning_effort",
    "response_format",
    "tools",
    "tool_choice",
    "user",
    "max_tokens",
)
MAX_STOP_SEQUENCES = 4

_REASONING_REJECTS = "reasoning models reject it"
_NO_EFFORT = "this model does not take a reasoning effort"
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
        return {"reasoning_effort": _NO_EFFORT}
    rejected = {
        "presence_penalty": _REASONING_REJECTS,
        "frequency_penalty": _REASONING_REJECTS,
        "stop": _REASONING_REJECTS,
    }
    if not model_id.lower().startswith("grok-3-mini"):
        rejected["reasoning_effort"] = "only grok-3-mini takes a reasoning effort"
    return rejected


def sent_parameters(values: Mapping[str, Any], rejected: Iterable[str] = ()) -> dict[str, Any]:
    """The parameters to send: those set (not ``None``) and not rejected by the model."""
    skip = set(rejected)
    return {name: value for name, value in values.items() if value is not None and name not in skip}


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


def parse_stop_sequences(text: str) -> tuple[list[str] | None, str | None]:
    """One stop sequence per line (``\\n`` and ``\\t`` typed as escapes), at most four.

    Returns ``(sequences or None when empty, error or None)``.
    """
    lines = [line for line in text.splitlines() if line != ""]
    if not lines:
        return None, None
    if len(lines) > MAX_STOP_SEQUENCES:
        return (
            None,
            f"At most {MAX_STOP_SEQUENCES} stop sequences (one per line); got {len(lines)}.",
        )
    return [line.replace("\\n", "\n").replace("\\t", "\t") for line in lines], None
