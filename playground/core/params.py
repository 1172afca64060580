"""The request parameters of chat and completions: one table of fields (pure, no Streamlit).

Each :class:`Field` says what a parameter is (a human label, kind, range, step), what the server
does when it is unset (the empty widget shows it), which endpoint takes it. It checks what a form,
an imported file, a preset or a sweep holds, turns request values into widget values and back, and
says what is sent: a parameter left unset (``None``) is never sent. Widget state <-> values is in
:mod:`playground.core.param_state`.

Errors are ``ValueError`` messages that name the field first ("temperature must be at most 2, not
5", "tools, line 2, column 15: ..."), shown as they are.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from playground.core.json_editor import parse_response_schema, parse_tools

__all__ = [
    "CHAT",
    "COMPLETIONS",
    "FIELDS",
    "MAX_STOP_SEQUENCES",
    "RESPONSES",
    "SCHEMA",
    "Endpoint",
    "Field",
    "Kind",
    "check_together",
    "check_value",
    "fields",
    "format_logit_bias",
    "load_values",
    "parameter_named_in_error",
    "parse_logit_bias",
    "parse_stop",
    "read_schema",
    "read_tools",
    "sent_parameters",
    "validate_params",
]

Endpoint = Literal["chat", "completions", "responses"]
CHAT: Endpoint = "chat"
COMPLETIONS: Endpoint = "completions"
RESPONSES: Endpoint = "responses"  # the chat page in Responses mode (names as the panel has them)
_BOTH: tuple[Endpoint, ...] = (CHAT, COMPLETIONS)
_ALL: tuple[Endpoint, ...] = (CHAT, COMPLETIONS, RESPONSES)
_CHATS: tuple[Endpoint, ...] = (CHAT, RESPONSES)
MAX_STOP_SEQUENCES = 4
SCHEMA = "json_schema"  # the editor under response_format when it asks for a JSON schema


class Kind(StrEnum):
    """How a parameter is typed in and what JSON it becomes."""

    FLOAT = "float"
    INT = "int"
    BOOL = "bool"  # a choice of unset / true / false
    CHOICE = "choice"  # one of ``options``
    TEXT = "text"
    STOP = "stop"  # one sequence per line
    LOGIT_BIAS = "logit_bias"  # a JSON object: token id -> bias
    TOOLS = "tools"  # a JSON list of function definitions
    TOOL_CHOICE = "tool_choice"  # one of ``options`` or a tool's name
    RESPONSE_FORMAT = "response_format"  # one of ``options``; json_schema opens a schema editor


@dataclass(frozen=True)
class Field:
    """One request parameter as the pages edit it: its API name, the label people read, what it
    does and what the server does when it is left unset (the empty widget shows that default)."""

    name: str
    kind: Kind
    endpoints: tuple[Endpoint, ...]
    label: str  # what people read ("Frequency penalty"); the API name is in the help
    help: str
    default: str  # what the server does when the parameter is not sent
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1
    options: tuple[str, ...] = ()
    unset: str = ""  # the default as the empty widget shows it ("model max"); else ``default``
    placeholder: str = ""  # a text area's example of what to type
    aliases: tuple[str, ...] = ()  # other names an imported file may use for it

    @property
    def shown_default(self) -> str:
        """What an empty box shows (greyed): the value the server uses, ``1``, ``model max``."""
        return self.unset or self.default

    @property
    def unset_choice(self) -> str:
        """How a choice's "unset" option reads: ``auto (default)``."""
        return f"{self.shown_default} (default)"

    @property
    def range_text(self) -> str:
        """``From 0 to 2.``, ``At least 1.`` or nothing."""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"From {low:g} to {high:g}."
        return "" if low is None else f"At least {low:g}."

    @property
    def help_text(self) -> str:
        """The widget's help: the API field, what it does, its range, and what happens when it
        is left unset."""
        parts = [f"`{self.name}` · {self.help}", self.range_text, f"Unset: {self.default}."]
        return " ".join(part for part in parts if part)


_MODEL_MAX = "model max"
FIELDS: tuple[Field, ...] = (
    Field("temperature", Kind.FLOAT, _ALL, "Temperature", "Randomness: 0 is (nearly) greedy.",
          "1", 0.0, 2.0, 0.1),
    Field("top_p", Kind.FLOAT, _ALL, "Top P", "Nucleus sampling: keep the top tokens up to "
          "this mass.", "1", 0.0, 1.0, 0.05),
    Field("max_completion_tokens", Kind.INT, (CHAT,), "Max tokens", "Longest reply, in tokens "
          "(thinking included).", "the model's limit", 1, None, 64, unset=_MODEL_MAX,
          aliases=("max_tokens",)),
    Field("max_tokens", Kind.INT, (COMPLETIONS,), "Max tokens", "Longest completion, in "
          "tokens.", "the model's limit", 1, None, 16, unset=_MODEL_MAX),
    Field("max_output_tokens", Kind.INT, (RESPONSES,), "Max tokens", "Longest visible reply, "
          "in tokens (thinking and tool calls not counted).", "128,000", 1, None, 64),
    Field("seed", Kind.INT, _BOTH, "Seed", "Same seed, same parameters: (mostly) the same "
          "text.", "a random seed", unset="random"),
    Field("presence_penalty", Kind.FLOAT, _BOTH, "Presence penalty", "Penalise tokens that "
          "occurred at all.", "0", -2.0, 2.0, 0.1),
    Field("frequency_penalty", Kind.FLOAT, _BOTH, "Frequency penalty", "Penalise tokens by how "
          "often they occur.", "0", -2.0, 2.0, 0.1),
    Field("n", Kind.INT, _BOTH, "Choices", "How many replies to return.", "1", 1, 8),
    Field("best_of", Kind.INT, (COMPLETIONS,), "Best of", "Generate this many server-side and "
          "return the best n (does not stream).", "1", 1, 8),
    Field("echo", Kind.BOOL, (COMPLETIONS,), "Echo", "Return the prompt before the "
          "completion.", "false"),
    Field("logprobs", Kind.BOOL, (CHAT,), "Log probabilities", "Return the log-probability of "
          "each token.", "false"),
    Field("logprobs", Kind.INT, (COMPLETIONS,), "Log probabilities", "Return each token's "
          "log-probability and this many top alternatives.", "none", 0, 5),
    Field("top_logprobs", Kind.INT, (CHAT,), "Top alternatives", "With log probabilities: how "
          "many top alternatives per token.", "none", 0, 8),
    Field("reasoning_effort", Kind.CHOICE, _CHATS, "Reasoning effort", "How long a reasoning "
          "model thinks.", "the model's own", options=("low", "medium", "high"),
          unset="model's own"),
    Field("response_format", Kind.RESPONSE_FORMAT, _CHATS, "Response format", "Plain text, any "
          "JSON object, or JSON that follows a schema.", "text",
          options=("text", "json_object", SCHEMA)),
    Field("tool_choice", Kind.TOOL_CHOICE, _CHATS, "Tool choice", "Whether (and which) tool to "
          "call; a forced choice goes back to auto once a tool result is sent.",
          "auto when tools are given", options=("auto", "none", "required"), unset="auto"),
    Field("parallel_tool_calls", Kind.BOOL, (RESPONSES,), "Parallel tool calls", "Whether the "
          "model may call several tools at once.", "true"),
    Field("max_turns", Kind.INT, (RESPONSES,), "Max tool turns", "At most this many agentic "
          "tool-calling turns (xAI only; server-side tools).", "the server's limit", 1, None,
          unset="server max"),
    Field("store", Kind.BOOL, (RESPONSES,), "Store on server", "Keep the reply on the server "
          "(30 days), so the next turn continues it by id instead of resending the history.",
          "true"),
    Field("encrypted_reasoning", Kind.BOOL, (RESPONSES,), "Encrypted reasoning", "Return the "
          "reasoning encrypted, to resend it with the history (always on when store is off).",
          "false"),
    Field("user", Kind.TEXT, _ALL, "End-user ID", "An id for the end user (abuse monitoring).",
          "none"),
    Field("stop", Kind.STOP, _BOTH, "Stop sequences", "Up to 4 sequences where generation "
          "stops: one per line, \\n for a newline.", "none",
          placeholder="One per line, up to 4 (\\n for a newline)"),
    Field("logit_bias", Kind.LOGIT_BIAS, (COMPLETIONS,), "Logit bias", "Token id → bias from "
          "-100 to 100, as a JSON object.", "none", placeholder='{"1234": -100}'),
    Field("tools", Kind.TOOLS, _CHATS, "Tools", "Functions the model may call, as a JSON list "
          "of function definitions.", "none",
          placeholder='[{"type": "function", "function": {"name": "get_weather", '
          '"parameters": {}}}]'),
)  # fmt: skip


def fields(endpoint: Endpoint) -> dict[str, Field]:
    """The fields ``endpoint`` takes, by name, in the table's order."""
    return {field.name: field for field in FIELDS if endpoint in field.endpoints}


def _resolve(endpoint: Endpoint, name: str) -> Field:
    table = fields(endpoint)
    if name in table:
        return table[name]
    for field in table.values():
        if name in field.aliases:
            return field
    raise ValueError(f"Unknown parameter {name!r}; known: {', '.join(table)}")


# --- validation -----------------------------------------------------------------------------------


def _check_number(field: Field, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{field.name} must be a number, not {value!r}")
    number: float | int = value
    if field.kind is Kind.INT:
        if isinstance(number, float):
            if not number.is_integer():
                raise ValueError(f"{field.name} must be a whole number, not {number!r}")
            number = int(number)
    elif not math.isfinite(number):
        raise ValueError(f"{field.name} must be a finite number")
    else:
        number = float(number)
    if field.minimum is not None and number < field.minimum:
        raise ValueError(f"{field.name} must be at least {field.minimum:g}, not {number:g}")
    if field.maximum is not None and number > field.maximum:
        raise ValueError(f"{field.name} must be at most {field.maximum:g}, not {number:g}")
    return number


def _checked_stop(sequences: list[str]) -> list[str] | None:
    kept = [s for s in sequences if s]
    if len(kept) > MAX_STOP_SEQUENCES:
        raise ValueError(f"At most {MAX_STOP_SEQUENCES} stop sequences, not {len(kept)}")
    return kept or None


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


def read_tools(text: str) -> list[dict[str, Any]] | None:
    """The tools typed into the tools editor (``None`` when it is empty); ``ValueError`` says
    where the problem is: ``tools, line 2, column 15: ...``."""
    if not text.strip():
        return None
    checked = parse_tools(text)
    if not checked.ok:
        raise ValueError(f"tools, {checked.error}")
    tools: list[dict[str, Any]] = checked.value
    return tools


def read_schema(text: str) -> dict[str, Any]:
    """The ``json_schema`` of a response format typed into its editor; ``ValueError`` says where
    the problem is: ``JSON schema, line 1, column 19: ...``."""
    checked = parse_response_schema(text)
    if not checked.ok:
        raise ValueError(f"JSON schema, {checked.error}")
    schema: dict[str, Any] = checked.value
    return schema


def _checked_json(field: Field, value: Any) -> Any:
    """Tools and response formats are checked as their editors check them."""
    if field.kind is Kind.TOOLS:
        return read_tools(json.dumps(value))
    if not isinstance(value, dict) or value.get("type") not in field.options:
        raise ValueError(
            f"{field.name} must be an object whose type is one of {', '.join(field.options)}"
        )
    if value["type"] != SCHEMA:
        return {"type": value["type"]}
    return {"type": SCHEMA, SCHEMA: read_schema(json.dumps(value.get(SCHEMA)))}


def _checked_tool_choice(value: Any, options: tuple[str, ...]) -> str | dict[str, Any]:
    if isinstance(value, str) and value in options:
        return value
    name = value.get("function", {}).get("name") if isinstance(value, dict) else None
    if not isinstance(name, str) or not name:
        raise ValueError(f"tool_choice must be one of {', '.join(options)} or a function")
    return {"type": "function", "function": {"name": name}}


def check_value(field: Field, value: Any) -> Any:
    """``value`` checked against ``field`` and normalised; ``ValueError`` names the problem."""
    kind = field.kind
    if kind in (Kind.INT, Kind.FLOAT):
        return _check_number(field, value)
    if kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise ValueError(f"{field.name} must be true or false, not {value!r}")
        return value
    if kind is Kind.CHOICE:
        if value not in field.options:
            raise ValueError(f"{field.name} must be one of {', '.join(field.options)}")
        return value
    if kind is Kind.TEXT:
        if not isinstance(value, str):
            raise ValueError(f"{field.name} must be text, not {value!r}")
        return value
    if kind is Kind.STOP:
        sequences = [value] if isinstance(value, str) else value
        if not isinstance(sequences, list) or not all(isinstance(s, str) for s in sequences):
            raise ValueError("stop must be a string or a list of strings")
        return _checked_stop(sequences)
    if kind is Kind.LOGIT_BIAS:
        return _checked_logit_bias(value)
    if kind is Kind.TOOL_CHOICE:
        return _checked_tool_choice(value, field.options)
    return _checked_json(field, value)


def check_together(params: Mapping[str, Any]) -> None:
    """Rules between fields: ``best_of`` is at least ``n``."""
    n, best_of = params.get("n"), params.get("best_of")
    if n is not None and best_of is not None and best_of < n:
        raise ValueError(f"best_of ({best_of}) must be at least n ({n})")


def validate_params(params: Mapping[str, Any], endpoint: Endpoint) -> dict[str, Any]:
    """The parameters that are set, checked and normalised (ints as ints, floats as floats), under
    their own names (an alias such as chat's ``max_tokens`` becomes ``max_completion_tokens``).

    Raises ``ValueError`` naming the first bad field: an unknown name, a wrong type, a value out
    of range, or ``best_of`` smaller than ``n``.
    """
    checked: dict[str, Any] = {}
    for name, value in params.items():
        field = _resolve(endpoint, name)
        if value is not None:
            checked[field.name] = check_value(field, value)
    check_together(checked)
    return {name: value for name, value in checked.items() if value is not None}


def load_values(params: Mapping[str, Any], endpoint: Endpoint) -> tuple[dict[str, Any], list[str]]:
    """What an imported file's ``params`` can put into ``endpoint``'s form: the valid values, and
    the names left out (unknown or invalid), in their order."""
    values: dict[str, Any] = {}
    skipped: list[str] = []
    for name, value in params.items():
        try:
            field = _resolve(endpoint, name)
            values[field.name] = None if value is None else check_value(field, value)
        except ValueError:
            skipped.append(name)
    return values, skipped


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


# --- typed text -----------------------------------------------------------------------------------


def parse_stop(text: str) -> list[str] | None:
    """Stop sequences typed one per line; ``\\n`` and ``\\t`` stand for a newline and a tab.

    Empty lines are ignored; ``None`` when there are none. Raises ``ValueError`` above 4.
    """
    lines = [line.replace("\\n", "\n").replace("\\t", "\t") for line in text.splitlines()]
    return _checked_stop(lines)


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
