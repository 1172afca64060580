"""Every answer of the real local backend validates against xAI's OpenAPI spec, and
``/v1/tokenize-text`` gives each text model's own tokens, whose bytes join to the text."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from local_backend.launcher import LocalBackendProcess
from tests.openapi_contract import validate_answer

CHAT, BASE, EMBEDDER = "qwen2.5-coder-0.5b-instruct", "gemma-3-270m", "all-minilm-l6-v2"
HELLO = [{"role": "user", "content": "Say hello."}]


@pytest.fixture(scope="module")
def api(local_server: LocalBackendProcess) -> httpx.Client:
    headers = {"Authorization": f"Bearer {local_server.api_key}"}
    root = local_server.base_url.removesuffix("/v1")
    return httpx.Client(base_url=root, headers=headers, timeout=120)


def checked(api: httpx.Client, method: str, path: str, body: Any = None) -> Any:
    answer = api.request(method, path, json=body)
    validate_answer(method, path, answer.status_code, answer.json())
    return answer


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/api-key", None),
        ("GET", "/v1/models", None),
        ("GET", f"/v1/models/{CHAT}", None),
        ("GET", f"/v1/models/{EMBEDDER}", None),
        ("GET", "/v1/language-models", None),
        ("GET", f"/v1/language-models/{BASE}", None),
        ("GET", "/v1/embedding-models", None),
        ("GET", f"/v1/embedding-models/{EMBEDDER}", None),
        ("POST", "/v1/chat/completions", {"model": CHAT, "messages": HELLO, "max_tokens": 4}),
        (
            "POST",
            "/v1/chat/completions",
            {
                "model": CHAT,
                "messages": HELLO,
                "max_tokens": 3,
                "logprobs": True,
                "top_logprobs": 2,
            },
        ),
        (
            "POST",
            "/v1/chat/completions",
            {"model": BASE, "messages": HELLO, "max_tokens": 2, "n": 2},
        ),
        ("POST", "/v1/completions", {"model": BASE, "prompt": "Once", "max_tokens": 3}),
        ("POST", "/v1/completions", {"model": BASE, "prompt": ["a", "b"], "max_tokens": 2}),
        ("POST", "/v1/completions", {"model": BASE, "prompt": "a", "max_tokens": 2, "logprobs": 2}),
        ("POST", "/v1/embeddings", {"model": EMBEDDER, "input": ["a cat", "a dog"]}),
        ("POST", "/v1/tokenize-text", {"model": CHAT, "text": "Hello world!"}),
        ("POST", "/v1/responses", {"model": CHAT, "input": "Say hi.", "max_output_tokens": 4}),
    ],
)
def test_every_answer_validates_against_xais_spec(api, method, path, body) -> None:
    assert checked(api, method, path, body).status_code == 200


def test_stored_response_routes_validate_against_xais_spec(api) -> None:
    body = {"model": CHAT, "input": [{"role": "user", "content": "Hi."}], "max_output_tokens": 4}
    rid = checked(api, "POST", "/v1/responses", body).json()["id"]
    for method, path in (
        ("GET", f"/v1/responses/{rid}"),
        ("GET", f"/v1/responses/{rid}/input_items"),
        ("DELETE", f"/v1/responses/{rid}"),
    ):
        assert checked(api, method, path).status_code == 200
    assert checked(api, "GET", f"/v1/responses/{rid}").status_code == 404


@pytest.mark.parametrize("model", [CHAT, BASE])
@pytest.mark.parametrize("text", ["Hello world!", "  héllo, 日本語 🙂\n\tdone", "x"])
def test_tokenize_text_round_trips_with_each_models_own_tokenizer(api, model, text) -> None:
    tokens = checked(api, "POST", "/v1/tokenize-text", {"model": model, "text": text}).json()
    joined = b"".join(bytes(token["token_bytes"]) for token in tokens["token_ids"])
    assert joined == text.encode()
    assert all(isinstance(token["token_id"], int) for token in tokens["token_ids"])


def test_the_two_models_tokenize_differently_and_unknown_models_are_404(api) -> None:
    def ids(model: str) -> list[int]:
        body = {"model": model, "text": "Hello world!"}
        return [t["token_id"] for t in api.post("/v1/tokenize-text", json=body).json()["token_ids"]]

    assert ids(CHAT) != ids(BASE)
    assert api.post("/v1/tokenize-text", json={"model": "grok-9", "text": "a"}).status_code == 404
