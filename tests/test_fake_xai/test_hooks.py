"""The fake's test hooks: queued failures, stream scripts, recorded requests, extra keys."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.fake_xai import FakeXai, load_json, load_sse, sse_event
from tests.test_fake_xai.conftest import CHAT, sse_data


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
