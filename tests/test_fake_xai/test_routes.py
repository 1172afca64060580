"""The fake's lifecycle, auth and routes answer in xAI's shapes."""

from __future__ import annotations

import base64
import json
import struct

import httpx
import pytest

from tests.fake_xai import FakeXai, load_json
from tests.test_fake_xai.conftest import CHAT, sse_data


def test_binds_localhost_on_a_free_port(fake: FakeXai) -> None:
    assert fake.base_url.startswith("http://127.0.0.1:")
    assert fake.port > 0 and fake.base_url.endswith("/v1")


def test_stop_shuts_the_server_down() -> None:
    fake = FakeXai().start()
    url = fake.base_url
    fake.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/models", timeout=2)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic abc", "token xyz"])
def test_missing_or_malformed_auth_is_401_flat(fake: FakeXai, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    r = httpx.get(f"{fake.base_url}/models", headers=headers)
    assert r.status_code == 401
    body = r.json()
    assert set(body) == {"code", "error"} and isinstance(body["error"], str)


def test_wrong_key_is_400_with_redacted_key(fake: FakeXai) -> None:
    bad = "xai-this-is-not-the-right-key-Zq"
    r = httpx.get(f"{fake.base_url}/models", headers={"Authorization": f"Bearer {bad}"})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "Client specified an invalid argument"
    assert body["error"].startswith("Incorrect API key provided: xa***Zq.")
    assert bad not in r.text and fake.api_key not in r.text


def test_custom_key() -> None:
    with FakeXai(api_key="xai-other-key-42") as fake:
        ok = httpx.get(
            f"{fake.base_url}/models", headers={"Authorization": "Bearer xai-other-key-42"}
        )
        assert ok.status_code == 200
        default = httpx.get(
            f"{fake.base_url}/models", headers={"Authorization": "Bearer xai-test-key-0123456789"}
        )
        assert default.status_code == 400


# --- GET routes ------------------------------------------------------------------------------


def test_api_key(client: httpx.Client) -> None:
    r = client.get("/api-key")
    assert r.status_code == 200
    assert r.json() == load_json("api_key.json")
    assert r.json()["acls"] == ["api-key:model:*", "api-key:endpoint:*"]


def test_models_use_data(client: httpx.Client) -> None:
    body = client.get("/models").json()
    assert body["object"] == "list" and "models" not in body
    assert {m["id"] for m in body["data"]} >= {"grok-4.3", "grok-3-mini", "grok-2-image-1212"}
    assert all(m["object"] == "model" and m["owned_by"] == "xai" for m in body["data"])


def test_language_and_embedding_models_use_models(client: httpx.Client) -> None:
    lm = client.get("/language-models").json()
    assert set(lm) == {"models"}
    build = next(m for m in lm["models"] if m["id"] == "grok-build-0.1")
    assert "max_prompt_length" not in build  # optional (not in the spec); every price is given
    assert build["long_context_threshold"] == 0  # 0: no long-context tier
    em = client.get("/embedding-models").json()
    assert set(em) == {"models"} and em["models"][0]["id"] == "v1"


@pytest.mark.parametrize(
    ("path", "fixture"),
    [
        ("/models/grok-3-mini", "model_grok-3-mini.json"),
        ("/language-models/grok-3-mini", "language_model_grok-3-mini.json"),
        ("/embedding-models/v1", "embedding_model_v1.json"),
    ],
)
def test_single_model_routes(client: httpx.Client, path: str, fixture: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.json() == load_json(fixture)


@pytest.mark.parametrize("path", ["/models/grok-9", "/language-models/grok-9", "/nope"])
def test_unknown_model_or_route_is_404_flat(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["code"] == "Some requested entity was not found"


def test_wrong_method_is_405(client: httpx.Client) -> None:
    assert client.get("/chat/completions").status_code == 405
    assert client.post("/models", json={}).status_code == 405


# --- POST routes -----------------------------------------------------------------------------


def test_chat_non_stream_echoes_model(client: httpx.Client) -> None:
    r = client.post("/chat/completions", json=CHAT)
    assert r.status_code == 200
    body = r.json()
    assert body["model"] == "grok-3-mini"
    assert body["usage"] == load_json("chat_completion.json")["usage"]
    assert body["choices"][0]["message"]["content"] == "Olá!"


def test_chat_with_tools_returns_tool_call(client: httpx.Client) -> None:
    r = client.post("/chat/completions", json={**CHAT, "tools": [{"type": "function"}]})
    choice = r.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls" and choice["message"]["content"] is None
    assert choice["message"]["tool_calls"][0]["function"]["name"] == "get_weather"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"", 415),
        (json.dumps({"model": "grok-3-mini"}).encode(), 422),
        (json.dumps({"messages": []}).encode(), 422),
    ],
)
def test_bad_bodies_get_flat_errors(client: httpx.Client, body: bytes, status: int) -> None:
    r = client.post("/chat/completions", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status
    assert set(r.json()) == {"code", "error"}


def test_chat_stream_ends_with_done(client: httpx.Client) -> None:
    stream_opts = {"stream": True, "stream_options": {"include_usage": True}}
    with client.stream("POST", "/chat/completions", json={**CHAT, **stream_opts}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = r.read().decode()
    data = sse_data(text)
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert all(c["model"] == "grok-3-mini" for c in chunks)
    deltas = [c["choices"][0]["delta"] for c in chunks if c["choices"]]
    assert "".join(d.get("reasoning_content", "") for d in deltas) == "First, think."
    assert "".join(d.get("content", "") for d in deltas) == "Olá!"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] == 413


def test_usage_chunk_only_with_include_usage(client: httpx.Client) -> None:
    r = client.post("/chat/completions", json={**CHAT, "stream": True})
    data = sse_data(r.text)
    assert data[-1] == "[DONE]"
    assert not any("usage" in json.loads(d) for d in data[:-1])


def test_chat_stream_with_tools(client: httpx.Client) -> None:
    body = {**CHAT, "stream": True, "tools": [{"type": "function"}]}
    data = sse_data(client.post("/chat/completions", json=body).text)
    first = json.loads(data[0])["choices"][0]["delta"]["tool_calls"][0]
    assert first["id"] == "call_1" and json.loads(first["function"]["arguments"]) == {
        "city": "Lisbon"
    }


def test_completions(client: httpx.Client) -> None:
    body = {"model": "grok-4.3", "prompt": "The fox jumped over"}
    r = client.post("/completions", json=body)
    assert r.json()["object"] == "text_completion" and r.json()["model"] == "grok-4.3"
    data = sse_data(client.post("/completions", json={**body, "stream": True}).text)
    assert data[-1] == "[DONE]"
    text = "".join(c["text"] for d in data[:-1] for c in json.loads(d)["choices"])
    assert text == r.json()["choices"][0]["text"]


def test_embeddings_float_and_base64_agree(client: httpx.Client) -> None:
    base = {"model": "v1", "input": ["alpha", "beta", "alpha"]}
    floats = client.post("/embeddings", json=base).json()
    assert floats["object"] == "list" and floats["model"] == "v1"
    assert [d["index"] for d in floats["data"]] == [0, 1, 2]
    assert floats["usage"]["prompt_tokens"] == floats["usage"]["total_tokens"] > 0
    vecs = [d["embedding"] for d in floats["data"]]
    assert len(vecs[0]) == 8 and vecs[0] == vecs[2] != vecs[1]
    b64 = client.post("/embeddings", json={**base, "encoding_format": "base64"}).json()
    decoded = [list(struct.unpack("<8f", base64.b64decode(d["embedding"]))) for d in b64["data"]]
    assert decoded == vecs
    one = client.post("/embeddings", json={"model": "v1", "input": "alpha", "dimensions": 3})
    assert len(one.json()["data"]) == 1 and len(one.json()["data"][0]["embedding"]) == 3


def test_embedding_fixtures_agree() -> None:
    floats = load_json("embeddings_float.json")["data"]
    b64 = load_json("embeddings_base64.json")["data"]
    for f, b in zip(floats, b64, strict=True):
        assert list(struct.unpack("<4f", base64.b64decode(b["embedding"]))) == f["embedding"]
