"""The fake's fault injection: slow first bytes, stalls, cuts, oversized and odd answers."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.fake_xai import (
    MALFORMED_EVENT,
    OVERSIZE_PREFIX,
    FakeXai,
    completion_events,
    error_event,
    load_json,
    text_events,
)
from tests.test_fake_xai.conftest import CHAT, STREAM_CHAT, sse_data


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
