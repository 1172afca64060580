"""The chat page's "Parameters" expander: every request parameter, each not sent until set.

Parameters the model is known to reject are disabled with a one-line reason; the JSON editors
(tools, a response schema) are checked here and their errors point at a line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from playground.chat.parameters import parse_stop_sequences, rejected_parameters, sent_parameters
from playground.core.json_editor import parse_response_schema, parse_tools

__all__ = ["ParameterPanel", "clear_parameter", "load_parameters", "parameter_panel"]

NOT_SENT = "not sent"
# parameter -> (widget keys, their "not sent" value)
_WIDGETS: dict[str, tuple[tuple[str, ...], Any]] = {
    "temperature": (("chat_temperature",), None),
    "top_p": (("chat_top_p",), None),
    "max_completion_tokens": (("chat_max_tokens",), None),
    "presence_penalty": (("chat_presence_penalty",), None),
    "frequency_penalty": (("chat_frequency_penalty",), None),
    "seed": (("chat_seed",), None),
    "stop": (("chat_stop",), ""),
    "n": (("chat_n",), None),
    "logprobs": (("chat_logprobs",), NOT_SENT),
    "top_logprobs": (("chat_top_logprobs",), None),
    "reasoning_effort": (("chat_reasoning_effort",), NOT_SENT),
    "response_format": (("chat_response_format",), NOT_SENT),
    "tools": (("chat_tools",), ""),
    "tool_choice": (("chat_tool_choice",), NOT_SENT),
    "user": (("chat_user",), ""),
}


@dataclass
class ParameterPanel:
    """What the panel holds: the parameters to send, and problems that block sending."""

    params: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)


def clear_parameter(name: str) -> None:
    """Set ``name``'s widgets back to "not sent" (call from a callback, before they render)."""
    keys, unset = _WIDGETS.get(name, ((), None))
    for key in keys:
        st.session_state[key] = unset
    if name == "tools":
        st.session_state["chat_tool_choice"] = NOT_SENT


def _number(label: str, key: str, rejected: dict[str, str], **kwargs: Any) -> Any:
    reason = rejected.get(label)
    value = st.number_input(
        label, value=None, key=key, disabled=reason is not None, help=reason, **kwargs
    )
    if reason:
        st.caption(f":material/block: {label}: {reason}")
    return value


def _choice(label: str, key: str, options: list[str], rejected: dict[str, str]) -> str | None:
    reason = rejected.get(label)
    value = st.selectbox(
        label, [NOT_SENT, *options], key=key, disabled=reason is not None, help=reason
    )
    if reason:
        st.caption(f":material/block: {label}: {reason}")
    return None if value == NOT_SENT else value


def parameter_panel(model_id: str) -> ParameterPanel:
    """Render the panel (inside the caller's container) and read it."""
    panel = ParameterPanel(rejected=rejected_parameters(model_id))
    rejected = panel.rejected
    values: dict[str, Any] = {}
    values["temperature"] = _number(
        "temperature", "chat_temperature", rejected, min_value=0.0, max_value=2.0, step=0.1
    )
    values["top_p"] = _number(
        "top_p", "chat_top_p", rejected, min_value=0.0, max_value=1.0, step=0.05
    )
    values["max_completion_tokens"] = _number(
        "max_completion_tokens", "chat_max_tokens", rejected, min_value=1, step=64
    )
    for name in ("presence_penalty", "frequency_penalty"):
        values[name] = _number(
            name, f"chat_{name}", rejected, min_value=-2.0, max_value=2.0, step=0.1
        )
    values["seed"] = _number("seed", "chat_seed", rejected, step=1)
    reason = rejected.get("stop")
    stop_text = st.text_area(
        "stop (one sequence per line, up to 4; \\n for a newline)",
        key="chat_stop",
        height=68,
        disabled=reason is not None,
        help=reason,
    )
    if reason:
        st.caption(f":material/block: stop: {reason}")
    values["stop"], stop_error = parse_stop_sequences(stop_text)
    if stop_error and not reason:
        panel.errors.append(f"stop: {stop_error}")
    values["n"] = _number("n", "chat_n", rejected, min_value=1, max_value=8, step=1)
    logprobs = _choice("logprobs", "chat_logprobs", ["true", "false"], rejected)
    values["logprobs"] = None if logprobs is None else logprobs == "true"
    values["top_logprobs"] = _number(
        "top_logprobs", "chat_top_logprobs", rejected, min_value=0, max_value=8, step=1
    )
    values["reasoning_effort"] = _choice(
        "reasoning_effort", "chat_reasoning_effort", ["low", "medium", "high"], rejected
    )
    kind = _choice(
        "response_format", "chat_response_format", ["text", "json_object", "json_schema"], rejected
    )
    if kind == "json_schema":
        schema_text = st.text_area(
            "JSON schema", key="chat_json_schema", height=150, placeholder='{"type": "object"}'
        )
        checked = parse_response_schema(schema_text)
        if checked.ok:
            values["response_format"] = {"type": "json_schema", "json_schema": checked.value}
        else:
            st.error(f"JSON schema, {checked.error}", icon=":material/error:")
            panel.errors.append(f"JSON schema: {checked.error}")
    elif kind is not None:
        values["response_format"] = {"type": kind}
    tools_text = st.text_area(
        "tools (JSON: a list of function definitions)",
        key="chat_tools",
        height=150,
        placeholder='[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]',
    )
    tool_names: list[str] = []
    if tools_text.strip():
        checked = parse_tools(tools_text)
        if checked.ok:
            values["tools"] = checked.value
            tool_names = [tool["function"]["name"] for tool in checked.value]
        else:
            st.error(f"tools, {checked.error}", icon=":material/error:")
            panel.errors.append(f"tools: {checked.error}")
    tool_choice = _choice(
        "tool_choice", "chat_tool_choice", ["auto", "none", "required", *tool_names], rejected
    )
    if tool_choice in tool_names:
        values["tool_choice"] = {"type": "function", "function": {"name": tool_choice}}
    else:
        values["tool_choice"] = tool_choice
    values["user"] = st.text_input("user", key="chat_user").strip() or None
    panel.params = sent_parameters(values, rejected)
    return panel


def load_parameters(params: dict[str, Any]) -> list[str]:
    """Set the panel's widgets from imported ``params`` (call from a callback); returns the names
    it could not show in the panel (they are left out)."""
    import json

    skipped = []
    state = st.session_state
    for name in _WIDGETS:
        clear_parameter(name)
    for name, value in params.items():
        if name in ("temperature", "top_p", "presence_penalty", "frequency_penalty"):
            state[_WIDGETS[name][0][0]] = float(value)
        elif name in ("max_completion_tokens", "max_tokens", "seed", "n", "top_logprobs"):
            key = _WIDGETS["max_completion_tokens" if name == "max_tokens" else name][0][0]
            state[key] = int(value)
        elif name == "stop":
            stops = [value] if isinstance(value, str) else list(value)
            state["chat_stop"] = "\n".join(s.replace("\n", "\\n") for s in stops)
        elif name == "logprobs":
            state["chat_logprobs"] = "true" if value else "false"
        elif name == "reasoning_effort" and value in ("low", "medium", "high"):
            state["chat_reasoning_effort"] = value
        elif name == "response_format" and isinstance(value, dict):
            state["chat_response_format"] = value.get("type", NOT_SENT)
            if value.get("type") == "json_schema":
                state["chat_json_schema"] = json.dumps(value.get("json_schema"), indent=2)
        elif name == "tools":
            state["chat_tools"] = json.dumps(value, indent=2)
        elif name == "tool_choice" and isinstance(value, str):
            state["chat_tool_choice"] = value
        elif name == "tool_choice" and isinstance(value, dict):
            state["chat_tool_choice"] = value.get("function", {}).get("name", NOT_SENT)
        elif name == "user":
            state["chat_user"] = str(value)
        else:
            skipped.append(name)
    return skipped
