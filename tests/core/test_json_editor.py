"""The chat page's JSON editors: valid JSON is returned, errors point at a line and column."""

from __future__ import annotations

from playground.core.json_editor import parse_json, parse_response_schema, parse_tools

WEATHER = '[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]'


def test_a_syntax_error_names_its_line_and_column() -> None:
    checked = parse_json('[\n  {"name": "a"\n  "x": 1}\n]')
    assert not checked.ok
    assert (checked.line, checked.column) == (3, 3)
    assert checked.error is not None and checked.error.startswith("line 3, column 3:")


def test_valid_tools_are_returned_as_sent() -> None:
    checked = parse_tools(WEATHER)
    assert checked.ok
    assert checked.value[0]["function"]["name"] == "get_weather"
    assert checked.value[0]["type"] == "function"


def test_a_bare_function_definition_is_wrapped() -> None:
    checked = parse_tools('{"name": "lookup", "parameters": {"type": "object"}}')
    assert checked.value == [
        {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    ]


def test_a_tool_without_a_name_is_pointed_at() -> None:
    checked = parse_tools('[\n {"type": "function",\n  "function": {"description": "x"}}\n]')
    assert not checked.ok
    assert checked.line == 3 and checked.column == 3
    assert 'tool 1 has no "name"' in (checked.error or "")


def test_tools_must_be_a_list_of_objects() -> None:
    assert not parse_tools("[]").ok
    assert not parse_tools("[1]").ok
    assert not parse_tools('"get_weather"').ok


def test_a_bare_schema_is_wrapped_with_a_name() -> None:
    checked = parse_response_schema('{"type": "object", "properties": {"a": {"type": "string"}}}')
    assert checked.value["name"] == "response"
    assert checked.value["schema"]["properties"] == {"a": {"type": "string"}}


def test_a_named_schema_is_kept_and_nonsense_refused() -> None:
    named = parse_response_schema('{"name": "city", "schema": {"type": "object"}, "strict": true}')
    assert named.value == {"name": "city", "schema": {"type": "object"}, "strict": True}
    assert not parse_response_schema('{"name": "city"}').ok
    assert not parse_response_schema('{"name": "x", "schema": []}').ok
    assert not parse_response_schema("{").ok
