"""xAI's OpenAPI spec as a test contract: does an answer (or a stream event) have xAI's shape?

The spec is xAI's own (``tests/fixtures/xai-openapi.json``, a copy of ``spec/openapi.json`` in the
public xai-org/xai-sdk-ts repository, October 2026), checked with ``jsonschema`` (Draft 2020-12)
and a ``referencing`` registry that resolves its ``#/components/schemas/...`` references.

    validate_answer("GET", "/v1/responses/abc", 200, body)   # AssertionError naming the field
    validate_event({"type": "response.output_text.delta", ...})
    validate_events(events)   # each event, plus contiguous sequence numbers and one terminal event

Where the spec is loose, this module says how it reads it:
- ``ModelOutput`` (an output item) is a ``oneOf`` whose branches overlap (a ``function_call``
  item also fits ``CustomToolCall``), so an item is checked against the one schema its ``type``
  names (:data:`OUTPUT_ITEM_SCHEMAS`); an unknown item type fails.
- Error answers have no schema in the spec: any 4xx/5xx status is accepted with either of xAI's
  error bodies, flat ``{"code": str, "error": str}`` or nested ``{"error": {"message": str}}``.
  A 2xx status must be one the operation declares.
- The spec defines no Responses stream events ("The public docs OpenAPI spec does not define these
  event objects", xai-sdk-ts ``src/types.ts``): :func:`validate_event` checks ``type`` and
  ``sequence_number`` and validates the spec objects an event carries (``response``, ``item``,
  ``annotation``, an ``output_text`` ``part``). A chat stream chunk is a ``ChatResponseChunk``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parent / "fixtures" / "xai-openapi.json"
SPEC_URI = "urn:xai-openapi"

#: Output item ``type`` -> the component schema it is checked against. ``x_search_call`` is the
#: Oct-2025 form of an X search call, which the spec's ``FunctionToolCall`` describes.
OUTPUT_ITEM_SCHEMAS: dict[str, str] = {
    "message": "OutputMessage",
    "function_call": "FunctionToolCall",
    "x_search_call": "FunctionToolCall",
    "reasoning": "Reasoning",
    "web_search_call": "WebSearchCall",
    "file_search_call": "FileSearchCall",
    "code_interpreter_call": "CodeInterpreterCall",
    "mcp_call": "McpCall",
    "custom_tool_call": "CustomToolCall",
    "shell_call": "ShellCall",
    "image_generation_call": "ImageGenerationCall",
    "tool_search_call": "ToolSearchCall",
    "tool_search_output": "ToolSearchOutput",
}
#: The events that end a Responses stream.
TERMINAL_EVENTS = frozenset(
    {"response.completed", "response.incomplete", "response.failed", "error"}
)


@functools.cache
def spec() -> dict[str, Any]:
    """The spec as this module reads it (see the module docstring for the one rewrite)."""
    doc: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    schemas = doc["components"]["schemas"]
    schemas["ModelOutput"] = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": sorted(OUTPUT_ITEM_SCHEMAS)}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": kind}}},
                "then": {"$ref": f"#/components/schemas/{name}"},
            }
            for kind, name in OUTPUT_ITEM_SCHEMAS.items()
        ],
    }
    return doc


@functools.cache
def _registry() -> Registry:
    resource = Resource.from_contents(spec(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


@functools.cache
def _validator(ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{SPEC_URI}{ref}"}, registry=_registry())


def _where(error: ValidationError) -> str:
    """``error``'s place in the instance as a JSON path: ``$.output[2].arguments``."""
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _leaf(error: ValidationError) -> ValidationError:
    """The most specific error under ``error`` (inside ``oneOf``/``anyOf`` branches)."""
    while error.context:
        # a nullable field is ``oneOf: [{type: null}, {$ref: ...}]``: the null branch's complaint
        # ("... is not of type 'null'") says nothing when the value is a (broken) object
        branches = [e for e in error.context if e.validator_value not in ("null", ["null"])]
        deeper = best_match(branches or error.context)
        if deeper is None:
            break
        error = deeper
    return error


def check_schema(instance: Any, ref: str, what: str) -> None:
    """Validate ``instance`` against the spec's ``ref`` (``#/components/schemas/Name`` or any
    JSON pointer into the spec); raise ``AssertionError`` naming the failing field."""
    error = best_match(_validator(ref).iter_errors(instance))
    if error is None:
        return
    leaf = _leaf(error)
    schema = _schema_name(ref)
    missing = re.match(r"'([^']+)' is a required property", leaf.message)
    if missing:
        field = f"{_where(leaf)}.{missing.group(1)}"
        raise AssertionError(f"{what}: {field} is missing (required by {schema})")
    shown = json.dumps(leaf.instance, ensure_ascii=False)
    shown = shown if len(shown) <= 120 else shown[:117] + "..."
    raise AssertionError(f"{what}: {_where(leaf)} = {shown}: {leaf.message[:300]} ({schema})")


def _schema_name(ref: str) -> str:
    """The component name ``ref`` is or points at (``#/paths/...`` -> its ``$ref``)."""
    node: Any = spec()
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    target = node.get("$ref", ref) if isinstance(node, Mapping) else ref
    return str(target).rpartition("/")[2]


def _template_matches(template: str, path: str) -> bool:
    parts, wanted = template.strip("/").split("/"), path.strip("/").split("/")
    if len(parts) != len(wanted):
        return False
    return all(
        p == w or (p[:1] == "{" and p[-1:] == "}" and w != "")
        for p, w in zip(parts, wanted, strict=True)
    )


def resolve_path(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The spec's path template for a concrete ``path`` and its operation for ``method`` (a literal
    template such as ``/v1/responses/compact`` wins over ``/v1/responses/{response_id}``)."""
    path = path.partition("?")[0]
    paths: dict[str, Any] = spec()["paths"]
    candidates = sorted(
        (t for t in paths if _template_matches(t, path) and method.lower() in paths[t]),
        key=lambda t: t.count("{"),
    )
    if not candidates:
        raise AssertionError(f"{method} {path}: no such operation in xAI's spec")
    return candidates[0], paths[candidates[0]][method.lower()]


def _check_error_body(body: Any, what: str) -> None:
    if isinstance(body, Mapping) and isinstance(body.get("error"), str):
        assert isinstance(body.get("code"), str), f"{what}: $.code should be a string: {body}"
        return
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        message = body["error"].get("message")
        assert isinstance(message, str), f"{what}: $.error.message should be a string: {body}"
        return
    raise AssertionError(f"{what}: not an xAI error body (flat or nested): {body!r}"[:400])


def validate_answer(method: str, path: str, status: int, body: Any) -> None:
    """Check that ``body`` is what xAI's spec lets ``method path`` answer with ``status``.

    ``path`` is concrete (``/v1/responses/abc``, ``/v1/models/grok-4.3``; a query string is
    ignored) and resolved against the spec's templates. A 2xx status must be declared and its
    body must validate against the declared JSON schema; an error status needs an xAI error body.
    Raises ``AssertionError`` naming the operation and the failing field."""
    template, operation = resolve_path(method, path)
    what = f"{method.upper()} {path} -> {status}"
    if status >= 400:
        return _check_error_body(body, what)
    declared = operation.get("responses", {})
    if str(status) not in declared:
        raise AssertionError(f"{what}: the spec declares {sorted(declared)} for {template}")
    content = declared[str(status)].get("content") or {}
    if "application/json" not in content:
        assert body in (None, b"", ""), f"{what}: the spec declares no JSON body"
        return None
    pointer = f"/paths/{_escape(template)}/{method.lower()}/responses/{status}"
    return check_schema(body, f"#{pointer}/content/application~1json/schema", what)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _schema(name: str) -> str:
    return f"#/components/schemas/{name}"


def validate_event(event: Mapping[str, Any]) -> None:
    """Check one stream event: a Responses event (``type`` and an integer ``sequence_number``;
    the ``response``, ``item``, ``annotation`` or ``output_text`` ``part`` it carries validate
    against the spec), an ``error`` event (``message``), or a chat chunk (``ChatResponseChunk``).
    Raises ``AssertionError`` naming the event and the failing field."""
    kind = event.get("type")
    if kind is None and event.get("object") == "text_completion":
        return _check_completion_chunk(event)
    if kind is None and "choices" in event:
        return check_schema(dict(event), _schema("ChatResponseChunk"), "chat chunk")
    what = f"event {kind!r} #{event.get('sequence_number')}"
    assert isinstance(kind, str) and kind, f"stream event without a type: {event!r}"[:300]
    number = event.get("sequence_number")
    assert isinstance(number, int) and not isinstance(number, bool) and number >= 0, (
        f"{what}: $.sequence_number should be a non-negative integer"
    )
    if kind == "error":
        assert isinstance(event.get("message"), str), f"{what}: $.message should be a string"
        return None
    if "response" in event:
        check_schema(event["response"], _schema("ModelResponse"), f"{what} $.response")
    if "item" in event:
        check_schema(event["item"], _schema("ModelOutput"), f"{what} $.item")
    if "annotation" in event:
        check_schema(event["annotation"], _schema("Annotation"), f"{what} $.annotation")
    part = event.get("part")
    if isinstance(part, Mapping) and part.get("type") in ("output_text", "refusal"):
        check_schema(part, _schema("OutputMessageContent"), f"{what} $.part")
    for field in ("output_index", "content_index", "summary_index", "annotation_index"):
        if field in event:
            value = event[field]
            assert isinstance(value, int) and value >= 0, f"{what}: ${field} = {value!r}"
    for field in ("delta", "text", "arguments", "item_id"):
        if field in event:
            assert isinstance(event[field], str), f"{what}: $.{field} should be a string"
    return None


def _check_completion_chunk(chunk: Mapping[str, Any]) -> None:
    """A legacy completions stream chunk: the spec has no schema for one (``SampleResponse``
    wants a ``finish_reason`` on every choice), so: its choices' ``index``/``text`` and a usage
    that is the spec's ``Usage``."""
    for i, choice in enumerate(chunk.get("choices") or []):
        assert isinstance(choice.get("index"), int), f"completion chunk: $.choices[{i}].index"
        assert isinstance(choice.get("text"), str), f"completion chunk: $.choices[{i}].text"
    if chunk.get("usage") is not None:
        check_schema(chunk["usage"], _schema("Usage"), "completion chunk $.usage")


def validate_events(events: Sequence[Mapping[str, Any]]) -> None:
    """Check a whole Responses stream: every event (:func:`validate_event`), sequence numbers
    0, 1, 2, ... in order, and exactly one terminal event, the last one."""
    for event in events:
        validate_event(event)
    numbers = [event["sequence_number"] for event in events]
    assert numbers == list(range(len(events))), f"sequence numbers are not 0..n-1: {numbers}"
    ends = [i for i, event in enumerate(events) if event["type"] in TERMINAL_EVENTS]
    assert ends == [len(events) - 1], f"terminal events at {ends} of {len(events)} events"
