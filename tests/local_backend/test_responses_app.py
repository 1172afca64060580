"""``/v1/responses`` and ``/v1/tokenize-text`` in process, on an engine that echoes: the routes,
the stored conversations, the event order and xAI's spec, without loading a model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.engines.base import OnChunk
from local_backend.engines.llm_format import usage
from local_backend.registry import MINILM_L6_V2, ModelEntry, Registry
from local_backend.responses.store import NOT_FOUND
from local_backend.server import create_app
from tests.local_backend.test_registry import BASE, REGISTRY
from tests.openapi_contract import validate_answer

KEY = "local-test-key-0123456789"
MODEL = BASE.id  # "tiny-base"


class EchoEngine:
    """Answers "echo: <the last message>", a word per chunk; ``max_tokens`` counts words."""

    def __init__(self, entry: ModelEntry) -> None:
        self.model_id, self.n_ctx, self.dimensions = entry.id, entry.context_length, 384
        self.requests: list[dict[str, Any]] = []

    def _words(self, request: dict[str, Any]) -> tuple[list[str], str]:
        self.requests.append(request)
        words = f"echo: {request['messages'][-1]['content']}".split(" ")
        limit = request.get("max_tokens") or len(words)
        finish = "length" if limit < len(words) else "stop"
        return [(" " if i else "") + w for i, w in enumerate(words[:limit])], finish

    def chat(self, request: dict[str, Any]) -> dict[str, Any]:
        words, finish = self._words(request)
        message = {"role": "assistant", "content": "".join(words)}
        return {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": self.model_id,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": usage(7, len(words), cached=3),
        }

    def stream_chat(self, request: dict[str, Any], on_chunk: OnChunk) -> None:
        words, finish = self._words(request)
        for i, word in enumerate(words):
            last = i == len(words) - 1
            choice = {"index": 0, "delta": {"content": word}} | (
                {"finish_reason": finish} if last else {}
            )
            if on_chunk({"id": "c", "model": self.model_id, "choices": [choice]}):
                return
        on_chunk({"id": "c", "model": self.model_id, "choices": [], "usage": usage(7, len(words))})

    def tokenize(self, text: str) -> list[tuple[int, bytes]]:
        return [(i, word.encode()) for i, word in enumerate(text.split(" "))]


@pytest.fixture()
def engine_app() -> Iterator[tuple[TestClient, EchoEngine]]:
    engines: dict[str, Any] = {}

    def load(entry: ModelEntry, settings: Any) -> Any:
        return engines.setdefault(entry.id, EchoEngine(entry))

    registry = Registry(tuple(e for e in REGISTRY.entries if e.id != MINILM_L6_V2.id))
    from local_backend.engines.pool import ModelPool

    with TestClient(create_app(ModelPool(registry, loader=load), api_key=KEY)) as client:
        client.headers["Authorization"] = f"Bearer {KEY}"
        client.post("/v1/tokenize-text", json={"model": MODEL, "text": "load"})
        yield client, engines[MODEL]


def checked(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """Send a request; its answer validates against xAI's spec; return its JSON."""
    answer = client.request(method, path, **kwargs)
    validate_answer(method, path, answer.status_code, answer.json())
    return answer


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    answer = checked(client, "POST", "/v1/responses", json={"model": MODEL} | body)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def text_of(response: dict[str, Any]) -> str:
    return "".join(
        part["text"]
        for item in response["output"]
        if item["type"] == "message"
        for part in item["content"]
    )


def events_of(client: TestClient, body: dict[str, Any]) -> list[Any]:
    with client.stream("POST", "/v1/responses", json={"model": MODEL, "stream": True} | body) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        lines = [line[6:] for line in r.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    return [json.loads(line) for line in lines[:-1]]


def test_a_response_answers_the_input_with_responses_usage(engine_app) -> None:
    client, engine = engine_app
    response = create(client, input="hello there", instructions="Be brief.", temperature=0)
    assert text_of(response) == "echo: hello there"
    assert response["status"] == "completed" and response["object"] == "response"
    assert response["instructions"] == "Be brief." and response["store"] is True
    assert response["usage"]["input_tokens"] == 7
    assert response["usage"]["input_tokens_details"] == {"cached_tokens": 3}
    assert response["usage"]["total_tokens"] == 7 + response["usage"]["output_tokens"]
    assert response["usage"]["cost_in_usd_ticks"] == 0
    sent = engine.requests[-1]
    assert sent["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hello there"},
    ]
    assert sent["temperature"] == 0 and sent["max_tokens"] == 512


def test_the_stream_sends_xais_events_in_order_then_done(engine_app) -> None:
    client, _ = engine_app
    events = events_of(client, {"input": "a b c"})
    kinds = [event["type"] for event in events]
    assert kinds == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * 4,
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [event["sequence_number"] for event in events] == list(range(len(events)))
    deltas = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    final = events[-1]["response"]
    assert deltas == text_of(final) == "echo: a b c"
    assert (
        events[0]["response"]["status"] == "in_progress" and events[0]["response"]["usage"] is None
    )
    assert final["usage"]["output_tokens"] == 4
    for event in (events[0], events[-1]):  # the response objects inside validate too
        validate_answer("POST", "/v1/responses", 200, event["response"])
    stored = checked(client, "GET", f"/v1/responses/{final['id']}").json()
    assert text_of(stored) == "echo: a b c"


def test_a_reply_cut_by_max_output_tokens_is_incomplete(engine_app) -> None:
    client, _ = engine_app
    response = create(client, input="one two three four", max_output_tokens=2)
    assert response["status"] == "incomplete"
    assert response["incomplete_details"] == {"reason": "max_output_tokens"}
    assert events_of(client, {"input": "a b c", "max_output_tokens": 1})[-1]["type"] == (
        "response.incomplete"
    )


def test_previous_response_id_continues_the_stored_conversation(engine_app) -> None:
    client, engine = engine_app
    first = create(client, input="my name is Ada", instructions="Be kind.")
    second = create(
        client,
        input=[{"role": "user", "content": "what is it?"}],
        previous_response_id=first["id"],
        instructions="Ignored: the first response's instructions stay.",
    )
    assert engine.requests[-1]["messages"] == [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": "my name is Ada"},
        {"role": "assistant", "content": "echo: my name is Ada"},
        {"role": "user", "content": "what is it?"},
    ]
    assert second["previous_response_id"] == first["id"]
    assert second["instructions"] == "Be kind."
    create(client, input="and now?", previous_response_id=second["id"])
    assert len(engine.requests[-1]["messages"]) == 6


def test_store_false_keeps_nothing_and_unknown_ids_are_xais_404(engine_app) -> None:
    client, _ = engine_app
    response = create(client, input="hi", store=False)
    assert response["store"] is False
    for method, path in (
        ("GET", f"/v1/responses/{response['id']}"),
        ("DELETE", f"/v1/responses/{response['id']}"),
        ("GET", f"/v1/responses/{response['id']}/input_items"),
    ):
        answer = checked(client, method, path)
        assert answer.status_code == 404
        assert answer.json() == {"code": "Some requested entity was not found", "error": NOT_FOUND}
    answer = client.post(
        "/v1/responses", json={"model": MODEL, "input": "x", "previous_response_id": "nope"}
    )
    assert answer.status_code == 404 and answer.json()["error"] == NOT_FOUND


def test_get_delete_and_input_items(engine_app) -> None:
    client, _ = engine_app
    items = [
        {"role": "developer", "content": "Answer in French."},
        {"role": "user", "content": [{"type": "input_text", "text": "one"}]},
        {"role": "assistant", "content": [{"type": "output_text", "text": "un"}]},
        {"type": "reasoning", "summary": [], "encrypted_content": "abc"},
        {"type": "message", "role": "user", "content": "two"},
    ]
    response = create(client, input=items)
    rid = response["id"]
    assert checked(client, "GET", f"/v1/responses/{rid}").json() == response
    listed = checked(client, "GET", f"/v1/responses/{rid}/input_items").json()
    assert listed["object"] == "list" and listed["has_more"] is False
    kinds = [item["type"] for item in listed["data"]]
    assert kinds == ["message", "message", "message", "reasoning", "message"]
    assert listed["data"][2]["content"] == "un"  # listed as text (see objects.with_ids)
    page = checked(client, "GET", f"/v1/responses/{rid}/input_items?limit=2&order=desc").json()
    assert [item["id"] for item in page["data"]] == [i["id"] for i in listed["data"][::-1][:2]]
    assert page["has_more"] is True and page["last_id"] == page["data"][-1]["id"]
    rest = checked(
        client, "GET", f"/v1/responses/{rid}/input_items?after={listed['data'][1]['id']}"
    ).json()
    assert [item["id"] for item in rest["data"]] == [i["id"] for i in listed["data"][2:]]
    deleted = checked(client, "DELETE", f"/v1/responses/{rid}").json()
    assert deleted == {"id": rid, "object": "response", "deleted": True}
    assert client.get(f"/v1/responses/{rid}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"tools": [{"type": "web_search"}]}, 400, "xAI's servers"),
        ({"tools": [{"type": "x_search"}]}, 400, "https://api.x.ai/v1"),
        ({"tools": [{"type": "code_interpreter"}]}, 400, "server-side tools"),
        ({"tools": [{"type": "mcp", "server_url": "u", "server_label": "l"}]}, 400, "xAI"),
        ({"search_parameters": {"mode": "on"}}, 400, "xAI's servers"),
        ({"reasoning": {"effort": "low"}}, 400, "does not support parameter reasoningEffort"),
        ({"reasoning_effort": "high"}, 400, "does not support parameter reasoningEffort"),
        ({"input": [{"type": "bogus"}]}, 400, "bogus"),
        ({"input": [{"role": "robot", "content": "x"}]}, 400, "role"),
        ({"input": []}, 400, "no message"),
        (
            {"input": [{"role": "user", "content": [{"type": "input_image", "image_url": "x"}]}]},
            400,
            "text only",
        ),
        ({"temperature": 3}, 400, "temperature"),
        ({"model": "grok-9"}, 404, "grok-9"),
        ({"input": None}, 422, "input"),
        ({"input": [5]}, 400, "input"),
        ({"input": [{"type": 5}]}, 400, "input"),
    ],
)
def test_what_the_local_models_cannot_do_is_a_clear_4xx(engine_app, body, status, words) -> None:
    client, _ = engine_app
    answer = client.post("/v1/responses", json={"model": MODEL, "input": "hi"} | body)
    assert answer.status_code == status, answer.text
    assert set(answer.json()) == {"code", "error"} and words in answer.json()["error"]


def test_ignored_fields_and_history_items_are_accepted(engine_app) -> None:
    client, engine = engine_app
    body = {
        "input": [
            {"role": "user", "content": "weather?"},
            {"type": "function_call", "call_id": "c1", "name": "get", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
            {"type": "web_search_call", "id": "ws", "status": "completed", "action": {}},
        ],
        "metadata": {"a": 1},
        "truncation": "auto",
        "include": ["reasoning.encrypted_content"],
        "reasoning": {"summary": "auto"},
        "tool_choice": "auto",
        "text": {"format": {"type": "json_object"}},
        "seed": 5,
        "presence_penalty": 1,
    }
    response = create(client, **body)
    assert response["text"] == {"format": {"type": "json_object"}}
    sent = engine.requests[-1]
    assert sent["response_format"] == {"type": "json_object"} and sent["seed"] == 5
    assert "tools" not in sent and "tool_choice" not in sent
    assert sent["messages"][1]["tool_calls"][0]["function"]["name"] == "get"
    assert sent["messages"][2] == {"role": "tool", "tool_call_id": "c1", "content": "sunny"}


def test_tokenize_text_and_the_catalog_validate(engine_app) -> None:
    client, _ = engine_app
    tokens = checked(client, "POST", "/v1/tokenize-text", json={"model": MODEL, "text": "a é"})
    assert tokens.json()["token_ids"][1] == {
        "token_id": 1,
        "string_token": "é",
        "token_bytes": [195, 169],
    }
    unknown = checked(client, "POST", "/v1/tokenize-text", json={"model": "grok-9", "text": "a"})
    assert unknown.status_code == 404
    for path in ("/v1/models", f"/v1/models/{MODEL}", "/v1/language-models", "/v1/api-key"):
        assert checked(client, "GET", path).status_code == 200
