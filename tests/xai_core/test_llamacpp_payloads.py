"""The client on answers recorded from llama.cpp's own HTTP server (tests/fixtures/llamacpp_*,
written by ``python -m tests.compat.record_llamacpp``); tests/compat runs the same against the
live server."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.xai_core.conftest import (
    fixture_bytes,
    fixture_json,
    split_events,
    sse_body,
    sse_response,
)
from xai_core import AuthenticationError, ChatCompletionChunk, Completion

MODEL = "gemma-3-270m"


def recorded(name: str, status: int = 200) -> Any:
    """A handler answering every request with the recorded fixture ``name``."""
    if name.endswith(".sse"):
        return lambda request: sse_response(fixture_bytes(name), chunk_size=7)
    return lambda request: httpx.Response(status, json=fixture_json(name))


def recorded_events(name: str) -> list[dict[str, Any]]:
    """The JSON events of a recorded stream, ``[DONE]`` left out."""
    datas = [
        event.decode().removeprefix("data: ").strip() for event in split_events(fixture_bytes(name))
    ]
    return [json.loads(data) for data in datas if data and data != "[DONE]"]


def test_the_two_shaped_model_list_gives_each_model_once(serve):
    payload = fixture_json("llamacpp_models.json")
    assert {"models", "data"} <= payload.keys()  # Ollama's and OpenAI's shapes in one object
    models = serve(recorded("llamacpp_models.json")).client().list_models()
    assert [m.id for m in models] == [MODEL]
    assert models[0].owned_by == "llamacpp"


def test_chat_style_completion_logprobs_read_as_the_completions_format(serve):
    raw = fixture_json("llamacpp_completion_logprobs.json")["choices"][0]["logprobs"]
    assert raw["content"], "llama.cpp answers completions' logprobs in the chat format"
    completion = (
        serve(recorded("llamacpp_completion_logprobs.json"))
        .client()
        .complete(model=MODEL, prompt="The capital of France is", logprobs=2)
    )
    choice = completion.choices[0]
    logprobs = choice.logprobs
    assert logprobs is not None
    assert logprobs.tokens == [entry["token"] for entry in raw["content"]]
    assert "".join(logprobs.tokens) == choice.text
    assert logprobs.token_logprobs == [entry["logprob"] for entry in raw["content"]]
    first = raw["content"][0]["top_logprobs"]
    assert logprobs.top_logprobs is not None
    assert logprobs.top_logprobs[0] == {alt["token"]: alt["logprob"] for alt in first}
    assert logprobs.text_offset[0] == 0 and logprobs.offsets_from_text_start


def test_a_streamed_chat_style_completion_adds_up_to_the_same_tokens(serve):
    client = serve(recorded("llamacpp_completion_logprobs_stream.sse")).client()
    with client.stream_complete(model=MODEL, prompt="The capital of France is", logprobs=2) as s:
        result = s.until_done()
    whole = Completion.model_validate(fixture_json("llamacpp_completion_logprobs.json"))
    choice, expected = result.choices[0], whole.choices[0]
    assert s.done and s.error is None
    assert choice.text == expected.text
    assert choice.logprobs is not None and expected.logprobs is not None
    assert choice.logprobs.tokens == expected.logprobs.tokens
    assert choice.logprobs.top_logprobs == expected.logprobs.top_logprobs
    lengths = [len(token) for token in choice.logprobs.tokens]
    assert choice.logprobs.text_offset == [sum(lengths[:i]) for i in range(len(lengths))]


def test_a_recorded_chat_stream_accumulates_text_and_usage(serve):
    client = serve(recorded("llamacpp_chat_stream.sse")).client()
    with client.stream_chat(model=MODEL, messages=[{"role": "user", "content": "Hi"}]) as s:
        pieces = list(s.text_stream())
    result = s.result
    assert len(pieces) > 1 and result.content == "".join(pieces)
    assert result.choices[0].finish_reason in ("stop", "length")
    assert result.usage is not None and result.usage.completion_tokens > 0


def test_a_recorded_tool_call_stream_joins_the_argument_fragments(serve):
    fragments = [
        call["function"]["arguments"]
        for event in recorded_events("llamacpp_chat_stream_tools.sse")
        for choice in event.get("choices", [])
        for call in choice.get("delta", {}).get("tool_calls") or []
        if call.get("function", {}).get("arguments")
    ]
    assert len(fragments) > 1, "llama.cpp streams a call's arguments in pieces"
    client = serve(recorded("llamacpp_chat_stream_tools.sse")).client()
    result = client.stream_chat(model=MODEL, messages=[{"role": "user", "content": "?"}])
    (call,) = result.until_done().choices[0].message.tool_calls or []
    assert call.function.name == "get_weather"
    assert call.function.arguments == "".join(fragments)
    assert isinstance(json.loads(call.function.arguments), dict)


@pytest.mark.parametrize("name", ["reasoning_content", "reasoning", "both"])
def test_reasoning_in_llamacpps_chunk_shape_is_read_under_either_name_once(serve, name):
    template = recorded_events("llamacpp_chat_stream.sse")[
        1
    ]  # a content chunk as llama.cpp sends it

    def chunk(delta: dict[str, Any]) -> dict[str, Any]:
        choice = {**template["choices"][0], "delta": delta}
        return {**template, "choices": [choice]}

    def reasoning(text: str) -> dict[str, Any]:
        names = ["reasoning_content", "reasoning"] if name == "both" else [name]
        return {field: text for field in names}

    events = [chunk(reasoning("The sea")), chunk(reasoning(" is wide.")), chunk({"content": "Hi"})]
    for event in events:
        ChatCompletionChunk.model_validate(event)  # the shape is the recorded one
    client = serve(lambda request: sse_response(sse_body(events))).client()
    with client.stream_chat(model=MODEL, messages=[{"role": "user", "content": "?"}]) as s:
        assert list(s.text_stream()) == ["Hi"]
    message = s.result.choices[0].message
    assert message.reasoning_content == "The sea is wide."
    assert message.content == "Hi"


def test_a_wrong_key_is_an_authentication_error_in_the_servers_words(serve):
    payload = fixture_json("llamacpp_error_invalid_key.json")
    assert payload["error"]["type"] == "authentication_error"
    client = serve(recorded("llamacpp_error_invalid_key.json", status=401)).client(max_retries=0)
    with pytest.raises(AuthenticationError) as caught:
        client.chat(model=MODEL, messages=[{"role": "user", "content": "Hi"}])
    assert str(caught.value) == "Invalid API Key"
    assert caught.value.status_code == 401
