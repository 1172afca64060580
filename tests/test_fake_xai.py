"""Tests for the fake xAI server (tests/fake_xai.py) itself, using plain httpx."""

from __future__ import annotations

import base64
import json
import struct
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.fake_xai import (
    MALFORMED_EVENT,
    OVERSIZE_PREFIX,
    FakeXai,
    completion_events,
    error_event,
    load_json,
    load_sse,
    sse_event,
    text_events,
)

CHAT = {"model": "grok-3-mini", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeXai]:
    with FakeXai() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeXai) -> FakeXai:
    server.clear()
    return server


@pytest.fixture
def client(fake: FakeXai) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    with httpx.Client(base_url=fake.base_url, headers=headers, timeout=10) as c:
        yield c


def sse_data(text: str) -> list[str]:
    """The data fields of the events in an SSE body (enough for the fixtures' framing)."""
    events = text.replace("\r\n", "\n").split("\n\n")
    return [
        line[len("data: ") :] for ev in events for line in ev.split("\n") if line[:6] == "data: "
    ]


# --- lifecycle and auth ----------------------------------------------------------------------


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
    assert "cached_prompt_text_token_price" not in build and "max_prompt_length" not in build
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


# --- test hooks ------------------------------------------------------------------------------


def test_fail_next(client: httpx.Client, fake: FakeXai) -> None:
    body = load_json("error_flat_429.json")
    fake.fail_next(status=429, body=body, headers={"Retry-After": "1"}, times=2)
    for _ in range(2):
        r = client.post("/chat/completions", json=CHAT)
        assert r.status_code == 429 and r.headers["retry-after"] == "1"
        assert r.json() == body
    assert client.post("/chat/completions", json=CHAT).status_code == 200


def test_fail_next_matches_path_and_skips_unauthorized(client: httpx.Client, fake: FakeXai) -> None:
    fake.fail_next(status=503, path="/v1/embeddings")
    assert client.get("/models").status_code == 200
    assert httpx.get(f"{fake.base_url}/models").status_code == 401
    r = client.post("/embeddings", json={"model": "v1", "input": "x"})
    assert r.status_code == 503 and set(r.json()) == {"code", "error"}
    assert client.post("/embeddings", json={"model": "v1", "input": "x"}).status_code == 200


def test_fail_until_clear(client: httpx.Client, fake: FakeXai) -> None:
    fake.fail_next(status=200, body={"models": []}, path="/v1/embedding-models", times=None)
    for _ in range(3):
        assert client.get("/embedding-models").json() == {"models": []}
    fake.clear()
    assert client.get("/embedding-models").json()["models"]


def test_stream_script_verbatim(client: httpx.Client, fake: FakeXai) -> None:
    events = load_sse("chat_stream_edge.sse")
    fake.set_stream_script(events)
    with client.stream("POST", "/chat/completions", json={**CHAT, "stream": True}) as r:
        raw = r.read()
    assert raw == (fake_fixture := "".join(events).encode())
    assert raw.endswith(b"data: [DONE]") and "\u2028".encode() in fake_fixture
    # the script is used once; the next stream is the default one again
    assert sse_data(client.post("/chat/completions", json={**CHAT, "stream": True}).text)


def test_stream_script_cut_after(client: httpx.Client, fake: FakeXai) -> None:
    events = [
        sse_event({"choices": [{"index": 0, "delta": {"content": str(i)}}]}) for i in range(5)
    ]
    fake.set_stream_script([*events, "data: [DONE]\n\n"], cut_after=2)
    received = b""
    with (
        pytest.raises(httpx.RemoteProtocolError),
        client.stream("POST", "/chat/completions", json={**CHAT, "stream": True}) as r,
    ):
        for chunk in r.iter_bytes():
            received += chunk
    assert received == "".join(events[:2]).encode()


def test_stream_delay(client: httpx.Client, fake: FakeXai) -> None:
    fake.set_stream_script([sse_event({"n": i}) for i in range(3)], delay=0.1)
    start = time.monotonic()
    client.post("/chat/completions", json={**CHAT, "stream": True})
    assert time.monotonic() - start >= 0.2


def test_requests_recorded_without_auth(client: httpx.Client, fake: FakeXai) -> None:
    client.get("/models")
    client.post("/chat/completions", json={**CHAT, "temperature": 0.5})
    httpx.get(f"{fake.base_url}/models", headers={"Authorization": "Bearer wrong-key"})
    reqs = fake.requests
    assert [(q.method, q.path) for q in reqs] == [
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
    ]
    assert reqs[1].body == {**CHAT, "temperature": 0.5}
    assert [q.auth for q in reqs] == ["valid", "valid", "invalid"]
    dump = repr(reqs)
    assert fake.api_key not in dump and "wrong-key" not in dump and "Bearer" not in dump


def test_extra_keys_are_valid_and_named_by_api_key_route() -> None:
    with FakeXai(extra_keys={"xai-bob-key-9876543210": "bob-key"}) as fake:
        bob = {"Authorization": "Bearer xai-bob-key-9876543210"}
        alice = {"Authorization": f"Bearer {fake.api_key}"}
        bob_info = httpx.get(f"{fake.base_url}/api-key", headers=bob).json()
        alice_info = httpx.get(f"{fake.base_url}/api-key", headers=alice).json()
        assert (bob_info["name"], bob_info["redacted_api_key"]) == ("bob-key", "xai-...3210")
        assert alice_info["name"] == "playground-test-key"
        assert [r.key_name for r in fake.requests] == ["bob-key", "playground-test-key"]


# --- fault injection -------------------------------------------------------------------------

STREAM_CHAT = {**CHAT, "stream": True}


def test_event_builders() -> None:
    chunks = [json.loads(d) for d in sse_data("".join(text_events(["a", "b"])))[:-1]]
    assert [c["choices"][0]["delta"].get("content") for c in chunks] == ["a", "b", None]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    bare = [json.loads(d) for d in sse_data("".join(text_events(["a"], finish=False, done=False)))]
    assert bare == [{"model": "grok-4.3", "choices": [{"index": 0, "delta": {"content": "a"}}]}]
    texts = [
        json.loads(d)["choices"][0]["text"]
        for d in sse_data("".join(completion_events(["x", "y"])))[:-1]
    ]
    assert texts == ["x", "y"]
    assert json.loads(sse_data(error_event("Overloaded"))[0])["error"]["message"] == "Overloaded"
    with pytest.raises(ValueError):
        json.loads(sse_data(MALFORMED_EVENT)[0])


@pytest.mark.parametrize("stream", [False, True])
def test_slow_first_byte_holds_back_the_status_line(fake: FakeXai, stream: bool) -> None:
    fake.slow_first_byte(1.0, path="/v1/chat/completions")
    auth = {"Authorization": f"Bearer {fake.api_key}"}
    body = STREAM_CHAT if stream else CHAT
    with pytest.raises(httpx.ReadTimeout):  # not even the headers within 0.3 s
        httpx.post(f"{fake.base_url}/chat/completions", json=body, headers=auth, timeout=0.3)
    r = httpx.post(f"{fake.base_url}/chat/completions", json=body, headers=auth, timeout=10)
    assert r.status_code == 200  # used up once: the next answer is the usual one
    assert ("[DONE]" in r.text) == stream


def test_slow_first_byte_then_the_queued_fault(client: httpx.Client, fake: FakeXai) -> None:
    fake.slow_first_byte(0.2)
    fake.fail_next(503)
    assert client.get("/models").status_code == 503
    assert client.get("/models").status_code == 200


def test_stall_forever_sends_the_first_events_then_nothing(fake: FakeXai) -> None:
    events = text_events(["a", "b", "c"])
    fake.stall_stream(events, after=2)
    auth = {"Authorization": f"Bearer {fake.api_key}"}
    received = b""
    with (
        pytest.raises(httpx.ReadTimeout),
        httpx.stream(
            "POST", f"{fake.base_url}/chat/completions", json=STREAM_CHAT, headers=auth, timeout=0.5
        ) as r,
    ):
        for piece in r.iter_bytes():
            received += piece
    assert received == "".join(events[:2]).encode()
    assert fake.stream_times == []  # it never finished


def test_stall_for_some_seconds_then_the_rest(client: httpx.Client, fake: FakeXai) -> None:
    events = text_events(["a", "b"])
    fake.stall_stream(events, after=1, seconds=0.3)
    with (  # the silence is longer than a 0.1 s read timeout
        pytest.raises(httpx.ReadTimeout),
        client.stream("POST", "/chat/completions", json=STREAM_CHAT, timeout=0.1) as r,
    ):
        r.read()
    fake.stall_stream(events, after=1, seconds=0.3)
    with client.stream("POST", "/chat/completions", json=STREAM_CHAT) as r:
        assert r.read() == "".join(events).encode()


def test_cut_stream(client: httpx.Client, fake: FakeXai) -> None:
    events = text_events(["a", "b", "c"])
    fake.cut_stream(events, after=1)
    received = b""
    with (
        pytest.raises(httpx.RemoteProtocolError),
        client.stream("POST", "/chat/completions", json=STREAM_CHAT) as r,
    ):
        for piece in r.iter_bytes():
            received += piece
    assert received == events[0].encode()


@pytest.mark.parametrize("chunked", [False, True])
def test_oversize_next_is_valid_json_of_the_given_size(
    client: httpx.Client, fake: FakeXai, chunked: bool
) -> None:
    fake.oversize_next(200_000, path="/v1/models", chunked=chunked)
    r = client.get("/models")
    assert len(r.content) == 200_000 and r.json()["data"] == []
    assert ("content-length" in r.headers) != chunked
    assert client.get("/models").json()["data"]  # once only


def test_oversize_next_is_made_while_sent(client: httpx.Client, fake: FakeXai) -> None:
    fake.oversize_next(50 * 2**30)  # 50 GB: only what is read gets made
    with client.stream("GET", "/models") as r:
        assert r.headers["content-length"] == str(50 * 2**30)
        first = next(r.iter_raw())
    assert first.startswith(OVERSIZE_PREFIX)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("<html><body>Sign in</body></html>", "text/html"), ("busy", "text/plain")],
)
def test_answer_next_with_a_content_type(
    client: httpx.Client, fake: FakeXai, body: str, content_type: str
) -> None:
    fake.answer_next(body, content_type, path="/v1/models")
    r = client.get("/models")
    assert r.status_code == 200 and r.text == body
    assert r.headers["content-type"] == content_type


def test_answer_next_json_for_a_stream_request(client: httpx.Client, fake: FakeXai) -> None:
    fake.answer_next(load_json("chat_completion.json"), path="/v1/chat/completions")
    r = client.post("/chat/completions", json=STREAM_CHAT)
    assert r.headers["content-type"] == "application/json"
    assert r.json()["choices"][0]["message"]["content"] == "Olá!"
