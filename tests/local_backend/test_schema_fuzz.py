"""Schemathesis against the running local backend: every operation, no 5xx, answers as documented.

The schema is the backend's own ``/openapi.json``. Every request carries the key, so generation
requests reach the model: the backend's own limits (``max_tokens``, ``n``, prompt size) keep them
cheap, and a request over a limit is a clear 400 in xAI's flat error shape. Afterwards the backend
must still be healthy and still answer a normal chat request.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from local_backend.launcher import LocalBackendProcess
from tests.properties import REPEATABLE

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def root_of(server: LocalBackendProcess) -> str:
    return server.base_url.removesuffix("/v1")


#: Every operation of the backend's schema (a test below checks the list is complete).
OPERATIONS = [
    ("GET", "/health"),
    ("GET", "/v1/api-key"),
    ("GET", "/v1/models"),
    ("GET", "/v1/models/{model_id}"),
    ("GET", "/v1/language-models"),
    ("GET", "/v1/language-models/{model_id}"),
    ("GET", "/v1/embedding-models"),
    ("GET", "/v1/embedding-models/{model_id}"),
    ("POST", "/v1/chat/completions"),
    ("POST", "/v1/completions"),
    ("POST", "/v1/embeddings"),
    ("POST", "/v1/responses"),
    ("GET", "/v1/responses/{response_id}"),
    ("DELETE", "/v1/responses/{response_id}"),
    ("GET", "/v1/responses/{response_id}/input_items"),
    ("POST", "/v1/tokenize-text"),
]
LLM, EMBEDDER = "gemma-3-270m", "all-minilm-l6-v2"
MAX_FUZZ_TOKENS = 4
# Bodies are where the bugs hide; the model calls they make are bounded by the backend's limits.
EXAMPLES = {"POST": 15, "GET": 6, "DELETE": 6}
# Schema-violating data exists only where there is a body (a GET's string id takes any string).
CASES = [(method, path, GenerationMode.POSITIVE) for method, path in OPERATIONS] + [
    (method, path, GenerationMode.NEGATIVE) for method, path in OPERATIONS if method == "POST"
]


@pytest.fixture(scope="module")
def local_api_schema(local_server: LocalBackendProcess) -> OpenApiSchema:
    """The local backend's OpenAPI schema, served by the backend itself."""
    return schemathesis.openapi.from_url(root_of(local_server) + "/openapi.json", timeout=30)


def test_the_fuzzed_operations_are_every_operation_of_the_schema(local_api_schema):
    found = {
        (result.ok().method.upper(), result.ok().path)
        for result in local_api_schema.get_all_operations()
    }
    assert found == set(OPERATIONS)


def aim_at_the_real_model(case: Case) -> None:
    """Name the backend's real model in a generated body (a random name is only ever a 404), so
    the fuzzed parameters reach the model; replies stay a few tokens long to keep the run cheap."""
    if not isinstance(case.body, dict):
        return
    if case.path == "/v1/embeddings":
        case.body["model"] = EMBEDDER
        return
    case.body["model"] = LLM
    for name in ("max_tokens", "max_completion_tokens", "max_output_tokens"):
        value = case.body.get(name)
        if value is None:  # null means unset: the backend's 512-token default would apply
            case.body.pop(name, None)
        elif isinstance(value, int) and not isinstance(value, bool) and value > MAX_FUZZ_TOKENS:
            case.body[name] = MAX_FUZZ_TOKENS
    if case.path == "/v1/responses":
        case.body.setdefault("max_output_tokens", MAX_FUZZ_TOKENS)
    elif "max_tokens" not in case.body and "max_completion_tokens" not in case.body:
        case.body["max_tokens"] = MAX_FUZZ_TOKENS


# ``schemathesis.pytest.from_fixture(...).parametrize()`` fails on pytest 9 (it sets the removed
# ``Function._nodeid``), so each operation's strategy is driven by hypothesis directly.
@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_every_operation_answers_without_a_server_error(
    local_api_schema, local_server, method, path, mode
):
    operation = local_api_schema[path][method]
    headers = {"Authorization": f"Bearer {local_server.api_key}"}

    @settings(REPEATABLE, max_examples=EXAMPLES[method], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), real_model=st.booleans())
    def answers_as_documented(case: Case, real_model: bool) -> None:
        if real_model:
            aim_at_the_real_model(case)
        case.call_and_validate(
            base_url=root_of(local_server), headers=headers, checks=CHECKS, timeout=120
        )

    answers_as_documented()


def test_the_backend_is_still_healthy_and_answering_after_the_fuzzing(local_server):
    assert local_server.running
    health = httpx.get(root_of(local_server) + "/health", timeout=30)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    reply = httpx.post(
        local_server.base_url + "/chat/completions",
        headers={"Authorization": f"Bearer {local_server.api_key}"},
        json={
            "model": "gemma-3-270m",
            "messages": [{"role": "user", "content": "Hi"}],
            "max_tokens": 4,
        },
        timeout=120,
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["choices"][0]["message"]["content"] is not None


# --- oversized and malformed input: clear 4xx in the flat shape, never a 500 or a hang ----------


def post(server: LocalBackendProcess, path: str, body: dict[str, object]) -> httpx.Response:
    return httpx.post(
        server.base_url + path,
        headers={"Authorization": f"Bearer {server.api_key}"},
        json=body,
        timeout=120,
    )


def flat_error_of(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"code", "error"}, body
    return str(body["error"])


TWO_MB = "word " * 400_000


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/chat/completions", {"messages": [{"role": "user", "content": TWO_MB}]}),
        ("/completions", {"prompt": TWO_MB}),
    ],
)
def test_a_2_mb_prompt_is_refused_at_once_with_a_clear_400(local_server, path, body, stream):
    response = post(local_server, path, {"model": LLM, "max_tokens": 2, "stream": stream, **body})
    assert response.status_code == 400
    assert "characters" in flat_error_of(response) and "context" in flat_error_of(response)


def test_a_prompt_longer_than_the_context_is_a_clear_400(local_server):
    long_prompt = "hello there " * 6000  # ~12k tokens, past Gemma's 4,096-token window
    response = post(
        local_server,
        "/chat/completions",
        {"model": LLM, "max_tokens": 2, "messages": [{"role": "user", "content": long_prompt}]},
    )
    assert response.status_code == 400
    message = flat_error_of(response)
    assert "context is 4096 tokens" in message and "Shorten" in message


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"max_tokens": 10**9}, 400, "max_tokens is 1,000,000,000"),
        ({"max_completion_tokens": 5000}, 400, "context is 4,096 tokens"),
        ({"n": 500}, 400, "Invalid request: n:"),
        ({"messages": [{}]}, 422, "messages.0.role"),
        ({"messages": [{"role": "user", "content": 5}]}, 422, "messages.0.content"),
        ({"messages": [{"role": "user"}]}, 400, "must contain 'content'"),
        ({"response_format": {"type": "weird"}}, 400, "response_format"),
        ({"tool_choice": "required"}, 400, "does not support tool calling"),
        ({"messages": [{"role": "user", "content": [{}]}]}, 400, "untyped content part"),
        (
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [{"type": "image_url", "image_url": {"url": "http://x/a.png"}}],
                    }
                ]
            },
            400,
            "reads text only: message 1 has a image_url content part",
        ),
    ],
)
def test_chat_requests_the_model_cannot_take_are_clear_4xx(local_server, body, status, words):
    request = {"model": LLM, "max_tokens": 2, "messages": [{"role": "user", "content": "Hi"}]}
    response = post(local_server, "/chat/completions", {**request, **body})
    assert response.status_code == status, response.text
    assert words in flat_error_of(response)


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"response_format": 5}, 422, "response_format"),
        (
            {"response_format": {"type": "json_schema", "json_schema": "x"}},
            400,
            "response_format must be an object",
        ),
        ({"max_completion_tokens": "many"}, 400, "max_completion_tokens"),
        ({"prompt": ["a", "b"], "stream": True}, 400, "one prompt at a time"),
        ({"prompt": ["a"] * 5, "n": 4}, 400, "5 prompts × n=4 asks for 20 completions"),
    ],
)
def test_completion_requests_the_model_cannot_take_are_clear_4xx(local_server, body, status, words):
    request = {"model": LLM, "max_tokens": 2, "prompt": "Once"}
    response = post(local_server, "/completions", {**request, **body})
    assert response.status_code == status, response.text
    assert words in flat_error_of(response)
