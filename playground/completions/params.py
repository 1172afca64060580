"""The request fields of ``POST /v1/completions`` as the sandbox edits them (pure, no Streamlit).

Every field is optional: a value of ``None`` means "not set" and is never sent. The same rules
validate what the form produced, what a preset file holds and what a sweep plans, so a value that
is accepted in one place is accepted everywhere.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FIELDS",
    "MAX_STOP_SEQUENCES",
    "ChatContinuation",
    "FieldSpec",
    "as_chat_continuation",
    "completion_body",
    "format_logit_bias",
    "parse_logit_bias",
    "parse_stop",
    "validate_params",
]

MAX_STOP_SEQUENCES = 4


@dataclass(frozen=True)
class FieldSpec:
    """One request field: its JSON type and the range the API documents."""

    name: str
    kind: type  # float, int, bool, str, list (stop), dict (logit_bias)
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("temperature", float, 0.0, 2.0, "Randomness: 0 is (nearly) greedy."),
        FieldSpec(
            "top_p", float, 0.0, 1.0, "Nucleus sampling: keep the top tokens up to this mass."
        ),
        FieldSpec("max_tokens", int, 1, None, "Longest completion, in tokens."),
        FieldSpec(
            "frequency_penalty", float, -2.0, 2.0, "Penalise tokens by how often they occur."
        ),
        FieldSpec("presence_penalty", float, -2.0, 2.0, "Penalise tokens that occurred at all."),
        FieldSpec("n", int, 1, 8, "How many completions to return."),
        FieldSpec("best_of", int, 1, 8, "Generate this many server-side and return the best n."),
        FieldSpec("seed", int, None, None, "Same seed, same parameters: (mostly) the same text."),
        FieldSpec("stop", list, None, None, "Up to 4 sequences where generation stops."),
        FieldSpec("echo", bool, None, None, "Return the prompt before the completion."),
        FieldSpec("logprobs", int, 0, 5, "Log-probabilities of the top alternatives per token."),
        FieldSpec("logit_bias", dict, None, None, "Token id → bias from -100 to 100, as JSON."),
        FieldSpec("user", str, None, None, "An id for the end user (abuse monitoring)."),
    )
}


def _check_number(spec: FieldSpec, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{spec.name} must be a number, not {value!r}")
    number: float | int = value
    if spec.kind is int:
        if isinstance(number, float):
            if not number.is_integer():
                raise ValueError(f"{spec.name} must be a whole number, not {number!r}")
            number = int(number)
    elif not math.isfinite(number):
        raise ValueError(f"{spec.name} must be a finite number")
    else:
        number = float(number)
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(f"{spec.name} must be at least {spec.minimum:g}, not {number:g}")
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(f"{spec.name} must be at most {spec.maximum:g}, not {number:g}")
    return number


def _check_value(spec: FieldSpec, value: Any) -> Any:
    if spec.kind in (int, float):
        return _check_number(spec, value)
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{spec.name} must be true or false, not {value!r}")
        return value
    if spec.kind is str:
        if not isinstance(value, str):
            raise ValueError(f"{spec.name} must be text, not {value!r}")
        return value
    if spec.kind is list:
        sequences = [value] if isinstance(value, str) else value
        if not isinstance(sequences, list) or not all(isinstance(s, str) for s in sequences):
            raise ValueError("stop must be a string or a list of strings")
        return _checked_stop(sequences)
    return _checked_logit_bias(value)


def validate_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters that are set, checked and normalised (ints as ints, floats as floats).

    Raises ``ValueError`` naming the first bad field: an unknown name, a wrong type, a value out
    of the documented range, or ``best_of`` smaller than ``n``.
    """
    checked: dict[str, Any] = {}
    for name, value in params.items():
        spec = FIELDS.get(name)
        if spec is None:
            raise ValueError(f"Unknown parameter {name!r}; known: {', '.join(FIELDS)}")
        if value is not None:
            checked[name] = _check_value(spec, value)
    n, best_of = checked.get("n"), checked.get("best_of")
    if n is not None and best_of is not None and best_of < n:
        raise ValueError(f"best_of ({best_of}) must be at least n ({n})")
    return checked


def _checked_stop(sequences: list[str]) -> list[str] | None:
    kept = [s for s in sequences if s]
    if len(kept) > MAX_STOP_SEQUENCES:
        raise ValueError(f"At most {MAX_STOP_SEQUENCES} stop sequences, not {len(kept)}")
    return kept or None


def parse_stop(text: str) -> list[str] | None:
    """Stop sequences typed one per line; ``\\n`` and ``\\t`` stand for a newline and a tab.

    Empty lines are ignored; ``None`` when there are none. Raises ``ValueError`` above 4.
    """
    lines = [line.replace("\\n", "\n").replace("\\t", "\t") for line in text.splitlines()]
    return _checked_stop(lines)


def _checked_logit_bias(value: Any) -> dict[str, float] | None:
    if not isinstance(value, dict):
        raise ValueError('logit_bias must be a JSON object like {"1234": -100}')
    bias: dict[str, float] = {}
    for token_id, amount in value.items():
        if not str(token_id).isdigit():
            raise ValueError(f"logit_bias keys are token ids (whole numbers), not {token_id!r}")
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise ValueError(f"logit_bias[{token_id}] must be a number, not {amount!r}")
        if not -100 <= amount <= 100:
            raise ValueError(f"logit_bias[{token_id}] must be between -100 and 100")
        bias[str(int(token_id))] = float(amount)
    return bias or None


def parse_logit_bias(text: str) -> dict[str, float] | None:
    """``{"1234": -100, "42": 5}`` typed as JSON → a checked dict; ``None`` when left empty."""
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"logit_bias is not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    return _checked_logit_bias(value)


def format_logit_bias(bias: Mapping[str, float] | None) -> str:
    """The text the logit_bias field shows for ``bias`` (empty when unset)."""
    return json.dumps(dict(bias)) if bias else ""


def completion_body(
    model: str, prompt: str, params: Mapping[str, Any], *, stream: bool
) -> dict[str, Any]:
    """The exact JSON body ``XaiClient.complete``/``stream_complete`` sends for these values
    (``suffix`` travels in ``params``)."""
    body: dict[str, Any] = {"model": model, "prompt": prompt}
    if stream:
        body["stream"] = True
    body.update({name: value for name, value in params.items() if value is not None})
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


# The chat fallback: reasoning models reject the penalties and stop, and chat has no
# echo/best_of/suffix/completions-style logprobs; only what a chat request takes safely is sent.
_CHAT_SAFE = ("temperature", "top_p", "n", "seed", "user")
CONTINUATION_INSTRUCTION = (
    "Continue the user's text exactly where it stops. Reply with the continuation only: "
    "no preamble, no quotes, do not repeat the text."
)


@dataclass(frozen=True)
class ChatContinuation:
    """A completion request re-expressed as a chat request (an emulation, not the same thing)."""

    messages: list[dict[str, str]]
    params: dict[str, Any]
    dropped: list[str]


def as_chat_continuation(prompt: str, params: Mapping[str, Any]) -> ChatContinuation:
    """The chat request that emulates completing ``prompt`` with ``params``.

    ``max_tokens`` becomes ``max_completion_tokens``; fields chat models may reject or that have no
    chat meaning are left out and listed in ``dropped``.
    """
    chat_params: dict[str, Any] = {}
    dropped: list[str] = []
    for name, value in params.items():
        if value is None:
            continue
        if name in _CHAT_SAFE:
            chat_params[name] = value
        elif name == "max_tokens":
            chat_params["max_completion_tokens"] = value
        else:
            dropped.append(name)
    messages = [
        {"role": "system", "content": CONTINUATION_INSTRUCTION},
        {"role": "user", "content": prompt},
    ]
    return ChatContinuation(messages, chat_params, dropped)
