"""``chat_body`` / ``completion_body`` are the exact bodies the client sends (so code shown to the
user from them cannot drift from the request), streaming or not."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.xai_core.conftest import fixture_bytes, fixture_json, sse_response
from xai_core import chat_body, completion_body

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]

CHAT_PARAMS: list[dict[str, Any]] = [
    {},
    {"temperature": 0.0, "seed": 7, "stop": None, "top_p": None},
    {"max_tokens": 10, "reasoning_effort": "low", "logprobs": True, "top_logprobs": 2},
    {"stream_options": {"include_usage": False}, "n": 2},
    {"stream_options": None, "temperature": 1.0},
]

COMPLETION_PARAMS: list[dict[str, Any]] = [
    {},
    {"temperature": 0.7, "echo": None, "suffix": "!", "logprobs": 2},
    {"stream_options": {"include_usage": False}, "max_tokens": 5},
    {"stream_options": None},
]

EXTRA = {"search_parameters": {"mode": "on"}}


def answer(request: httpx.Request) -> httpx.Response:
    chat = request.url.path.endswith("/chat/completions")
    if b'"stream":true' in request.content.replace(b" ", b""):
        name = "chat_stream_reasoning.sse" if chat else "completion_stream.sse"
        return sse_response(fixture_bytes(name))
    return httpx.Response(
        200, json=fixture_json("chat_completion.json" if chat else "completion.json")
    )


@pytest.mark.parametrize("extra_body", [None, EXTRA])
@pytest.mark.parametrize("params", CHAT_PARAMS)
def test_the_chat_bodies_sent_are_chat_body(serve, params, extra_body):
    recorder = serve(answer)
    client = recorder.client()
    client.chat(model="m", messages=MESSAGES, extra_body=extra_body, **params)
    assert recorder.last_body == chat_body(
        "m", MESSAGES, params, stream=False, extra_body=extra_body
    )
    client.stream_chat(model="m", messages=MESSAGES, extra_body=extra_body, **params).until_done()
    assert recorder.last_body == chat_body(
        "m", MESSAGES, params, stream=True, extra_body=extra_body
    )


@pytest.mark.parametrize("prompt", ["The", ["The", "A"]])
@pytest.mark.parametrize("params", COMPLETION_PARAMS)
def test_the_completion_bodies_sent_are_completion_body(serve, params, prompt):
    recorder = serve(answer)
    client = recorder.client()
    client.complete(model="m", prompt=prompt, extra_body=EXTRA, **params)
    assert recorder.last_body == completion_body(
        "m", prompt, params, stream=False, extra_body=EXTRA
    )
    client.stream_complete(model="m", prompt=prompt, extra_body=EXTRA, **params).until_done()
    assert recorder.last_body == completion_body("m", prompt, params, stream=True, extra_body=EXTRA)


def test_chat_body_drops_unset_parameters_and_asks_for_usage_when_streaming():
    params = {"temperature": 0.5, "seed": None}
    assert chat_body("m", MESSAGES, params, stream=False) == {
        "model": "m",
        "messages": MESSAGES,
        "temperature": 0.5,
    }
    assert chat_body("m", MESSAGES, params, stream=True) == {
        "model": "m",
        "messages": MESSAGES,
        "stream": True,
        "temperature": 0.5,
        "stream_options": {"include_usage": True},
    }
    assert params == {"temperature": 0.5, "seed": None}  # the caller's mapping is not changed


def test_given_stream_options_win_and_none_sends_none():
    own = {"include_usage": False}
    assert completion_body("m", "p", {"stream_options": own}, stream=True)["stream_options"] == own
    assert "stream_options" not in completion_body("m", "p", {"stream_options": None}, stream=True)


def test_unknown_parameter_names_are_a_type_error():
    with pytest.raises(TypeError, match="temprature"):
        chat_body("m", MESSAGES, {"temprature": 1.0}, stream=False)
    with pytest.raises(TypeError, match="reasoning_effort"):
        completion_body("m", "p", {"reasoning_effort": "low"}, stream=True)
