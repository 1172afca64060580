"""xAI's published OpenAPI spec as a contract: does an answer have the shape xAI documents?

``tests/fixtures/xai-openapi.json`` is xAI's own spec (``spec/openapi.json`` of xai-org/xai-sdk-ts,
Oct 2026), unchanged. :func:`validate_answer` finds the operation a concrete path belongs to
(a literal path before a template: ``/v1/responses/compact`` is not ``/v1/responses/{id}``) and
validates a JSON body against the schema the spec gives for that status (jsonschema, Draft
2020-12, ``$ref``s resolved inside the spec). An error status passes whether the spec lists it or
not (it gives none of them a body schema, e.g. ``/v1/tokenize-text`` lists only 400 where an
unknown model is a 404 as on xAI's other routes); a success status it does not list fails.

(The local backend's minimal version; the fake-server helper writes the full one.)
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["SPEC_PATH", "validate_answer"]

SPEC_PATH = Path(__file__).parent / "fixtures" / "xai-openapi.json"
_URI = "urn:xai-openapi"


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(_spec(), default_specification=DRAFT202012)
    return Registry().with_resource(_URI, resource)


def _template(path: str) -> str:
    """The spec's path template that ``path`` (query string ignored) is an instance of."""
    path = path.split("?", 1)[0]
    templates = list(_spec()["paths"])
    if path in templates:
        return path
    for template in templates:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template
    raise AssertionError(f"{path} is not a path of xAI's OpenAPI spec")


def _schema(method: str, template: str, status: int) -> Any:
    operation = _spec()["paths"][template].get(method.lower())
    if operation is None:
        raise AssertionError(f"xAI's spec has no {method.upper()} {template}")
    responses = operation.get("responses", {})
    answer = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
    if answer is None and status >= 400:  # no error answer of the spec has a body schema
        return None
    if answer is None:
        raise AssertionError(f"xAI's spec gives no {status} answer for {method.upper()} {template}")
    return answer.get("content", {}).get("application/json", {}).get("schema")


def validate_answer(method: str, path: str, status: int, body: Any) -> None:
    """Raise ``AssertionError`` naming the failing field when ``body`` (the JSON of an answer
    with ``status`` to ``method path``) does not validate against xAI's spec."""
    template = _template(path)
    schema = _schema(method, template, status)
    if schema is None:
        return
    rooted = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _URI + "-answer"}
    resolved = rooted | _absolute(schema)
    error = best_match(Draft202012Validator(resolved, registry=_registry()).iter_errors(body))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(the body)"
        raise AssertionError(
            f"{method.upper()} {path} {status}: {where}: {error.message[:500]}"
            f" (schema {'/'.join(str(p) for p in error.absolute_schema_path)})"
        )


def _absolute(schema: Any) -> Any:
    """``schema`` with its ``#/...`` references pointing into the spec resource."""
    if isinstance(schema, dict):
        pointed = {key: _absolute(value) for key, value in schema.items()}
        if str(schema.get("$ref", "")).startswith("#"):
            pointed["$ref"] = _URI + schema["$ref"]
        return pointed
    if isinstance(schema, list):
        return [_absolute(value) for value in schema]
    return schema
