"""tests/openapi_contract.py itself, and every route of the fake answering in xAI's spec shapes."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import httpx
import pytest

from tests.fake_xai import FakeXai, load_json, load_sse
from tests.openapi_contract import resolve_path, validate_answer, validate_event, validate_events
from tests.test_fake_xai.conftest import CHAT, sse_data

#: The recorded grok-4.3 reply (xai-responses.md §3, F17936), trimmed of nothing that matters.
RECORDED: dict[str, Any] = {
    "created_at": 1785220807,
    "completed_at": 1785220807,
    "id": "868f6a34-085d-9629-8087-7d49ed5bd476",
    "max_output_tokens": 16,
    "model": "grok-4.3",
    "object": "response",
    "output": [
        {
            "id": "rs_868f6a34-085d-9629-8087-7d49ed5bd476",
            "summary": [{"text": "The user says: hello\n", "type": "summary_text"}],
            "type": "reasoning",
            "status": "completed",
        },
        {
            "content": [
                {"type": "output_text", "text": "hello", "logprobs": [], "annotations": []}
            ],
            "id": "msg_868f6a34-085d-9629-8087-7d49ed5bd476",
            "role": "assistant",
            "type": "message",
            "status": "completed",
        },
    ],
    "parallel_tool_calls": True,
    "previous_response_id": None,
    "reasoning": {"effort": "low", "summary": "detailed"},
    "temperature": 0.7,
    "text": {"format": {"type": "text"}},
    "tool_choice": "auto",
    "tools": [],
    "top_p": 0.95,
    "usage": {
        "input_tokens": 197,
        "input_tokens_details": {"cached_tokens": 128},
        "output_tokens": 111,
        "output_tokens_details": {"reasoning_tokens": 110},
        "total_tokens": 308,
        "num_sources_used": 0,
        "num_server_side_tools_used": 0,
        "cost_in_usd_ticks": 3893500,
        "context_details": {"input_tokens": 197, "output_tokens": 111},
    },
    "user": None,
    "incomplete_details": None,
    "status": "completed",
    "store": True,
    "metadata": {"system_fingerprint": "fp_eb3c003fc66c14ed"},
    "background": False,
    "service_tier": "default",
    "truncation": "disabled",
    "top_logprobs": 0,
    "presence_penalty": 0,
    "frequency_penalty": 0,
    "prompt_cache_key": None,
    "max_tool_calls": None,
    "safety_identifier": None,
    "error": None,
    "instructions": None,
}


# --- the validator ---------------------------------------------------------------------------


def test_a_recorded_response_validates() -> None:
    validate_answer("POST", "/v1/responses", 200, RECORDED)
    validate_answer("GET", "/v1/responses/868f6a34-085d-9629-8087-7d49ed5bd476", 200, RECORDED)


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("usage", "input_tokens"), None, "$.usage.input_tokens"),  # missing
        (("output", 1, "content", 0, "text"), 5, "$.output[1].content[0].text"),  # wrong type
        (("output", 0, "summary"), None, "$.output[0].summary"),  # missing, in an output item
        (("status",), ["completed"], "$.status"),
        (("id",), None, "$.id"),
    ],
)
def test_a_broken_response_fails_naming_the_field(
    path: tuple[Any, ...], value: Any, named: str
) -> None:
    broken = copy.deepcopy(RECORDED)
    parent = broken
    for key in path[:-1]:
        parent = parent[key]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    with pytest.raises(AssertionError, match=re.escape(f"{named} ")):
        validate_answer("POST", "/v1/responses", 200, broken)


def test_an_output_item_is_checked_as_its_type_says() -> None:
    call = {"type": "function_call", "id": "fc_1", "call_id": "c1", "name": "f", "status": "x"}
    broken = {**RECORDED, "output": [call]}  # no arguments: would still fit CustomToolCall
    with pytest.raises(AssertionError, match=r"\$\.output\[0\]\.arguments is missing"):
        validate_answer("POST", "/v1/responses", 200, broken)
    validate_answer("POST", "/v1/responses", 200, {**broken, "output": [{**call, "arguments": ""}]})
    with pytest.raises(AssertionError, match="output"):
        validate_answer("POST", "/v1/responses", 200, {**RECORDED, "output": [{"type": "nope"}]})


def test_paths_resolve_against_templates() -> None:
    assert resolve_path("GET", "/v1/responses/abc/input_items?limit=2")[0] == (
        "/v1/responses/{response_id}/input_items"
    )
    assert resolve_path("POST", "/v1/responses/compact")[0] == "/v1/responses/compact"
    assert resolve_path("DELETE", "/v1/responses/compact")[0] == "/v1/responses/{response_id}"
    with pytest.raises(AssertionError, match="no such operation"):
        resolve_path("PUT", "/v1/models")


def test_statuses_and_error_bodies() -> None:
    validate_answer("GET", "/v1/models/x", 404, {"code": "Not found", "error": "No model x"})
    validate_answer("POST", "/v1/responses", 429, {"error": {"message": "slow down"}})
    with pytest.raises(AssertionError, match="not an xAI error body"):
        validate_answer("POST", "/v1/responses", 400, {"detail": "bad"})
    with pytest.raises(AssertionError, match="declares"):
        validate_answer("POST", "/v1/responses", 201, RECORDED)


def test_events() -> None:
    delta = {"type": "response.output_text.delta", "sequence_number": 3, "item_id": "m"}
    validate_event({**delta, "output_index": 1, "content_index": 0, "delta": "hi"})
    with pytest.raises(AssertionError, match="sequence_number"):
        validate_event({"type": "response.output_text.delta", "delta": "hi"})
    with pytest.raises(AssertionError, match=r"\$\.item"):
        validate_event({"type": "response.output_item.added", "sequence_number": 0, "item": {}})
    with pytest.raises(AssertionError, match=r"\$\.response"):
        validate_event({"type": "response.completed", "sequence_number": 0, "response": {}})
    done = {"type": "response.completed", "sequence_number": 0, "response": RECORDED}
    validate_events([done])
    with pytest.raises(AssertionError, match="terminal"):
        validate_events([{**delta, "sequence_number": 0, "delta": "x"}])
    with pytest.raises(AssertionError, match="sequence numbers"):
        validate_events([{**done, "sequence_number": 1}])


# --- every route of the fake -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/api-key", None),
        ("GET", "/v1/models", None),
        ("GET", "/v1/models/grok-3-mini", None),
        ("GET", "/v1/models/grok-4.3-latest", None),
        ("GET", "/v1/language-models", None),
        ("GET", "/v1/language-models/grok-4.3", None),
        ("GET", "/v1/embedding-models", None),
        ("GET", "/v1/embedding-models/v1", None),
        ("POST", "/v1/chat/completions", CHAT),
        ("POST", "/v1/chat/completions", {**CHAT, "tools": [{"type": "function"}]}),
        ("POST", "/v1/chat/completions", {**CHAT, "logprobs": True, "top_logprobs": 3}),
        ("POST", "/v1/completions", {"model": "grok-4.3", "prompt": "The fox"}),
        ("POST", "/v1/embeddings", {"model": "v1", "input": ["a", "b"]}),
        ("POST", "/v1/embeddings", {"model": "v1", "input": "a", "encoding_format": "base64"}),
        ("POST", "/v1/tokenize-text", {"text": "Hello world!", "model": "grok-4.3"}),
        ("POST", "/v1/responses", {"model": "grok-4.3", "input": "hi"}),
        ("GET", "/v1/models/grok-9", None),
        ("POST", "/v1/responses", {"model": "grok-9", "input": "hi"}),
        ("GET", "/v1/responses/nope", None),
    ],
)
def test_every_json_answer_validates(
    client: httpx.Client, method: str, path: str, body: Any
) -> None:
    r = client.request(method, path.removeprefix("/v1"), json=body)
    validate_answer(method, path, r.status_code, r.json())


def test_every_stream_event_validates(client: httpx.Client) -> None:
    for path, body in [
        ("/chat/completions", {**CHAT, "stream_options": {"include_usage": True}}),
        ("/chat/completions", {**CHAT, "tools": [{"type": "function"}]}),
        ("/chat/completions", {**CHAT, "logprobs": True, "top_logprobs": 2}),
        ("/completions", {"model": "grok-4.3", "prompt": "The fox"}),
    ]:
        data = sse_data(client.post(path, json={**body, "stream": True}).text)
        assert data[-1] == "[DONE]"
        for chunk in data[:-1]:
            validate_event(json.loads(chunk))


def test_the_fixtures_the_fake_serves_validate() -> None:
    for path, name in [
        ("/v1/models", "models.json"),
        ("/v1/models/grok-3-mini", "model_grok-3-mini.json"),
        ("/v1/language-models", "language_models.json"),
        ("/v1/language-models/grok-3-mini", "language_model_grok-3-mini.json"),
        ("/v1/completions", "completion.json"),
        ("/v1/embeddings", "embeddings_float.json"),
    ]:
        validate_answer("GET" if "models" in path else "POST", path, 200, load_json(name))
    for event in load_sse("completion_stream.sse")[:-1]:
        validate_event(json.loads(event.removeprefix("data: ")))


def test_stored_routes_validate(client: httpx.Client, fake: FakeXai) -> None:
    rid = client.post("/responses", json={"model": "grok-4.3", "input": "hi"}).json()["id"]
    for method, path in [
        ("GET", f"/v1/responses/{rid}"),
        ("GET", f"/v1/responses/{rid}/input_items"),
        ("DELETE", f"/v1/responses/{rid}"),
        ("DELETE", f"/v1/responses/{rid}"),
    ]:
        r = client.request(method, path.removeprefix("/v1"))
        validate_answer(method, path, r.status_code, r.json())
    assert r.status_code == 404
