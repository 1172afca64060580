"""The parameters of a Responses request, from what the chat page's panel holds (pure, no
Streamlit).

The panel edits the Responses fields of :mod:`playground.core.params` under the names the chat
page already uses, with the same editors (tools and a response schema as in Chat Completions);
:func:`response_params` turns them into the Responses API's shapes: ``text.format`` (flat),
flat function tools and tool choice, ``reasoning.effort``, ``include``, and the server-side tools
after the function tools. With ``store`` off the encrypted reasoning is asked for, so a stateless
next turn can give the model its thinking back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from playground.core.params import SCHEMA

__all__ = ["ENCRYPTED_REASONING", "response_params", "stores"]

ENCRYPTED_REASONING = "reasoning.encrypted_content"


def _text_format(value: Mapping[str, Any]) -> dict[str, Any]:
    if value.get("type") != SCHEMA:
        return {"type": str(value.get("type"))}
    schema = dict(value.get(SCHEMA) or {})
    flat = {"type": SCHEMA, "name": schema.pop("name", "response"), **schema}
    return flat


def _flat_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    function = tool.get("function")
    if not isinstance(function, Mapping):
        return dict(tool)  # already flat (or another tool type): as typed
    return {"type": tool.get("type", "function"), **function}


def _tool_choice(value: Any) -> Any:
    if isinstance(value, Mapping):
        name = (value.get("function") or {}).get("name") or value.get("name")
        return {"type": "function", "name": name}
    return value


def stores(params: Mapping[str, Any]) -> bool:
    """Whether the server keeps the reply (``store`` unset means on)."""
    return params.get("store", True) is not False


def response_params(
    params: Mapping[str, Any], server_tools: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """The Responses API parameters for the panel's ``params`` (names as the panel has them)
    and the server-side ``server_tools`` (from :func:`playground.chat.server_tools.server_tools`).
    Only what is set is sent."""
    sent: dict[str, Any] = {}
    include: list[str] = []
    for name, value in params.items():
        if value is None:
            continue
        if name == "response_format":
            sent["text"] = {"format": _text_format(value)}
        elif name == "tools":
            sent["tools"] = [_flat_tool(tool) for tool in value]
        elif name == "tool_choice":
            sent["tool_choice"] = _tool_choice(value)
        elif name == "reasoning_effort":
            sent["reasoning"] = {"effort": value}
        elif name == "encrypted_reasoning":
            if value:
                include.append(ENCRYPTED_REASONING)
        else:
            sent[name] = value
    if server_tools:
        sent["tools"] = [*sent.get("tools", []), *(dict(tool) for tool in server_tools)]
    if not stores(params) and ENCRYPTED_REASONING not in include:
        include.append(ENCRYPTED_REASONING)
    if include:
        sent["include"] = include
    return sent
