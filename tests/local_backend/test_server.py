"""The local backend over real HTTP, through xai_core: every endpoint, semantics and bad input."""

from __future__ import annotations

import time

import httpx
import numpy as np
import pytest

from local_backend.launcher import LocalBackendProcess
from xai_core import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    UnprocessableEntityError,
    XaiClient,
)

LLM = "gemma-3-270m"  # the base model: the engine checks below do not need a chat model
CHAT = "qwen2.5-coder-0.5b-instruct"  # the chat default
EMBEDDER = "all-minilm-l6-v2"
HELLO = [{"role": "user", "content": "Say hello."}]


@pytest.fixture(scope="module")
def client(local_server: LocalBackendProcess) -> XaiClient:
    return XaiClient(api_key=local_server.api_key, base_url=local_server.base_url, max_retries=0)


def raw(local_server: LocalBackendProcess, method: str, path: str, **kwargs) -> httpx.Response:
    headers = {"Authorization": f"Bearer {local_server.api_key}", **kwargs.pop("headers", {})}
    return httpx.request(
        method, local_server.base_url + path, headers=headers, timeout=60, **kwargs
    )


def test_api_key_describes_the_local_key(client, local_server):
    info = client.get_api_key()
    assert info.name == "Local backend (offline)"
    assert local_server.api_key not in (info.redacted_api_key or "")
    assert info.usable


def test_model_listings(client):
    assert [m.id for m in client.list_models()] == [CHAT, LLM, EMBEDDER]
    assert client.get_model(LLM).id == LLM
    chat, language = client.list_language_models()
    assert (chat.id, language.id) == (CHAT, LLM)
    assert language.max_prompt_length == 4096
    assert language.prices.input == 0 and language.prices.output == 0
    assert client.get_language_model(LLM).input_modalities == ["text"]
    [embedding] = client.list_embedding_models()
    assert embedding.id == EMBEDDER
    assert client.get_embedding_model(EMBEDDER).output_modalities == ["embedding"]


@pytest.mark.parametrize("model", [CHAT, LLM])
def test_tools_are_refused_with_a_400_naming_them_by_every_local_model(local_server, model):
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}
    body = {"model": model, "messages": HELLO, "max_tokens": 2, "tools": [tool]}
    response = raw(local_server, "POST", "/chat/completions", json=body)
    assert response.status_code == 400
    assert "'tools'" in response.json()["error"]


def test_unknown_models_are_404(client):
    for call in (client.get_model, client.get_language_model, client.get_embedding_model):
        with pytest.raises(NotFoundError):
            call("grok-9")
    with pytest.raises(NotFoundError, match="grok-9"):
        client.chat(model="grok-9", messages=HELLO)


def test_chat_non_streaming(client):
    reply = client.chat(model=LLM, messages=HELLO, max_tokens=12, temperature=0, seed=1)
    assert reply.model == LLM
    assert reply.content.strip()
    assert reply.choices[0].finish_reason in {"stop", "length"}
    assert reply.usage is not None and reply.usage.prompt_tokens > 0
    assert 0 < reply.usage.completion_tokens <= 12


def test_chat_stream_with_usage_chunk(client):
    with client.stream_chat(model=LLM, messages=HELLO, max_tokens=16) as stream:
        pieces = list(stream.text_stream())
    assert len(pieces) > 1
    result = stream.result
    assert result.content == "".join(pieces)
    assert result.usage is not None and result.usage.completion_tokens > 0
    assert stream.done and stream.stats.time_to_first_token_s is not None


def test_seed_and_temperature_zero_repeat(client):
    first = client.chat(model=LLM, messages=HELLO, max_tokens=16, temperature=0, seed=42)
    second = client.chat(model=LLM, messages=HELLO, max_tokens=16, temperature=0, seed=42)
    assert first.content == second.content


def test_n_choices(client):
    reply = client.chat(model=LLM, messages=HELLO, max_tokens=8, n=2, seed=3)
    assert [c.index for c in reply.choices] == [0, 1]


def test_stop_sequence_is_honoured(client):
    reply = client.complete(
        model=LLM, prompt="1, 2, 3, 4,", max_tokens=24, temperature=0, stop=[","]
    )
    assert "," not in reply.text


def test_json_object_response_format(client):
    reply = client.chat(
        model=LLM,
        messages=[{"role": "user", "content": "Give a JSON object with a name."}],
        max_tokens=40,
        response_format={"type": "json_object"},
        temperature=0,
    )
    assert reply.content.lstrip().startswith("{")


def test_completion_with_logprobs_in_completions_format(client):
    reply = client.complete(
        model=LLM, prompt="The capital of France is", max_tokens=5, logprobs=2, temperature=0
    )
    logprobs = reply.choices[0].logprobs
    assert logprobs is not None
    assert len(logprobs.tokens) == len(logprobs.token_logprobs) > 0
    assert "".join(logprobs.tokens) == reply.text
    assert logprobs.top_logprobs is not None
    assert all(top is not None and 1 <= len(top) <= 2 for top in logprobs.top_logprobs)


def test_completion_stream_and_prompt_list(client):
    stream = client.stream_complete(model=LLM, prompt="Once upon a time", max_tokens=10)
    text = "".join(stream.text_stream())
    assert text and stream.result.usage is not None
    both = client.complete(model=LLM, prompt=["One", "Two"], max_tokens=4)
    assert len(both.choices) == 2


def test_chat_logprobs(client):
    reply = client.chat(model=LLM, messages=HELLO, max_tokens=4, logprobs=True, top_logprobs=3)
    content = reply.choices[0].logprobs.content if reply.choices[0].logprobs else None
    assert content and all(len(t.top_logprobs) <= 3 for t in content)


def test_embeddings_semantics(client):
    texts = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "A monkey is playing drums.",
    ]
    result = client.embed(model=EMBEDDER, input=texts)
    vectors = result.vectors()
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    close, far = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert close > far
    assert result.usage is not None and result.usage.prompt_tokens > 0


def test_embeddings_base64_and_dimensions(client):
    floats = client.embed(model=EMBEDDER, input="hello").vectors()
    packed = client.embed(model=EMBEDDER, input="hello", encoding_format="base64").vectors()
    np.testing.assert_allclose(floats, packed, atol=1e-6)
    short = client.embed(model=EMBEDDER, input="hello", dimensions=64).vectors()
    assert short.shape == (1, 64)
    assert np.linalg.norm(short) == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(BadRequestError, match="dimensions"):
        client.embed(model=EMBEDDER, input="hello", dimensions=385)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda c: c.chat(model=LLM, messages=[]), BadRequestError, "messages"),
        (lambda c: c.chat(model=LLM, messages=HELLO, max_tokens=-5), BadRequestError, "max_tokens"),
        (
            lambda c: c.chat(model=LLM, messages=HELLO, temperature=3),
            BadRequestError,
            "temperature",
        ),
        (lambda c: c.embed(model=EMBEDDER, input=["x"] * 2000), BadRequestError, "128"),
        (
            lambda c: c.chat(model=LLM, messages=[{"role": "user", "content": "word " * 6000}]),
            BadRequestError,
            "context",
        ),
    ],
    ids=["empty-messages", "negative-max-tokens", "temperature-3", "2000-inputs", "over-context"],
)
def test_bad_input_gets_a_clear_4xx_and_the_server_keeps_serving(client, call, error, words):
    with pytest.raises(error, match=words):
        call(client)
    assert client.chat(model=LLM, messages=HELLO, max_tokens=2).content is not None


def test_non_json_body_is_400(local_server):
    response = raw(
        local_server,
        "POST",
        "/chat/completions",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"code", "error"}


def test_missing_field_is_422_naming_it(client, local_server):
    response = raw(local_server, "POST", "/chat/completions", json={"model": LLM})
    assert response.status_code == 422
    assert "messages" in response.json()["error"]
    with pytest.raises(UnprocessableEntityError):
        client.chat(model=LLM, messages="not a list")  # type: ignore[arg-type]


def test_keys_are_required(local_server):
    with pytest.raises(AuthenticationError) as wrong:
        XaiClient(api_key="wrong-key-123", base_url=local_server.base_url).list_models()
    assert wrong.value.status_code == 400
    assert "wrong-key-123" not in str(wrong.value)
    response = httpx.get(local_server.base_url + "/models")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "error"}


def test_health_and_openapi_are_public(local_server):
    root = local_server.base_url.removesuffix("/v1")
    assert httpx.get(root + "/health").json()["status"] == "ok"
    spec = httpx.get(root + "/openapi.json").json()
    assert "/v1/chat/completions" in spec["paths"]


def test_a_client_that_leaves_stops_its_generation(client, local_server):
    root = local_server.base_url.removesuffix("/v1")
    stream = client.stream_chat(model=LLM, messages=HELLO, max_tokens=2000, temperature=1.0)
    for _ in zip(range(3), stream, strict=False):
        pass
    assert httpx.get(root + "/health").json()["active_generations"] >= 1
    stream.close()
    deadline = time.monotonic() + 5
    while httpx.get(root + "/health").json()["active_generations"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert httpx.get(root + "/health").json()["active_generations"] == 0


def test_concurrent_streams(client):
    from concurrent.futures import ThreadPoolExecutor

    def one(seed: int) -> str:
        return (
            client.stream_chat(model=LLM, messages=HELLO, max_tokens=20, seed=seed)
            .until_done()
            .content
        )

    with ThreadPoolExecutor(3) as pool:
        texts = list(pool.map(one, range(3)))
    assert all(texts)


def test_streamed_chat_logprobs_add_up_to_the_reply(client):
    """The Chat page streams with ``logprobs``/``top_logprobs`` and draws a token view from
    what the chunks bring: one item per generated token, with its alternatives."""
    with client.stream_chat(
        model=CHAT, messages=HELLO, max_tokens=4, temperature=0, logprobs=True, top_logprobs=3
    ) as stream:
        for _ in stream:
            pass
    reply = stream.result
    content = reply.choices[0].logprobs.content
    assert content and len(content) <= 4
    assert all(item.logprob <= 0 and 1 <= len(item.top_logprobs) <= 3 for item in content)
    assert "".join(item.token for item in content) == reply.choices[0].message.content
