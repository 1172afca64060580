"""JSON typed into the chat page's editors: parsed, checked, and errors pointed at (pure).

Every check returns a :class:`JsonCheck`: the value when it is valid, else a message naming the
line and column of the problem, so the page can say exactly where to look before anything is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["JsonCheck", "parse_json", "parse_response_schema", "parse_tools"]


@dataclass(frozen=True)
class JsonCheck:
    """The outcome of checking an editor's text: ``value`` when valid, else ``error``."""

    value: Any = None
    error: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_json(text: str) -> JsonCheck:
    """Parse ``text``; a syntax error says where (1-based line and column)."""
    try:
        return JsonCheck(json.loads(text))
    except json.JSONDecodeError as exc:
        return JsonCheck(
            error=f"line {exc.lineno}, column {exc.colno}: {exc.msg}",
            line=exc.lineno,
            column=exc.colno,
        )


def _where(text: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first ``needle`` in ``text``; (1, 1) if absent."""
    index = text.find(needle)
    if index < 0:
        return 1, 1
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _problem(text: str, needle: str, message: str) -> JsonCheck:
    line, column = _where(text, needle)
    return JsonCheck(error=f"line {line}, column {column}: {message}", line=line, column=column)


def parse_tools(text: str) -> JsonCheck:
    """A list of function tools: ``[{"type": "function", "function": {"name": ..., ...}}]``.

    A bare function definition (``{"name": ..., "parameters": ...}``) is wrapped for the user.
    """
    parsed = parse_json(text)
    if not parsed.ok:
        return parsed
    value = parsed.value
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not value:
        return _problem(text, "", "expected a list of tool definitions")
    tools = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            return _problem(text, "", f"tool {number} is not an object")
        if "function" not in item and "name" in item:
            item = {"type": "function", "function": item}
        function = item.get("function")
        if not isinstance(function, dict):
            return _problem(text, "", f'tool {number} has no "function" object')
        name = function.get("name")
        if not isinstance(name, str) or not name.strip():
            return _problem(text, '"function":', f'tool {number} has no "name"')
        parameters = function.get("parameters")
        if parameters is not None and not isinstance(parameters, dict):
            return _problem(text, '"parameters"', f'tool {number}: "parameters" must be an object')
        tools.append({"type": item.get("type", "function"), **item, "function": function})
    return JsonCheck(tools)


def parse_response_schema(text: str) -> JsonCheck:
    """The ``json_schema`` of ``response_format``: ``{"name": ..., "schema": {...}}``.

    A bare JSON Schema (an object with ``type`` or ``properties``) is wrapped as ``"response"``.
    """
    parsed = parse_json(text)
    if not parsed.ok:
        return parsed
    value = parsed.value
    if not isinstance(value, dict):
        return _problem(text, "", "expected an object")
    if "schema" not in value:
        if "type" not in value and "properties" not in value:
            return _problem(text, "", 'expected {"name": ..., "schema": {...}} or a JSON Schema')
        value = {"name": "response", "schema": value}
    if not isinstance(value["schema"], dict):
        return _problem(text, '"schema"', '"schema" must be an object')
    name = value.get("name", "response")
    if not isinstance(name, str) or not name.strip():
        return _problem(text, '"name"', '"name" must be a non-empty string')
    return JsonCheck({**value, "name": name})
