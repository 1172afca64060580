"""Streams: typed chunks over SSE, the accumulated result, timings, and every edge case recorded."""

from __future__ import annotations

import itertools
import json

import httpx
import pytest

from tests.xai_core.conftest import ByteChunks, fixture_bytes, split_events, sse_body, sse_response
from xai_core import (
    APIConnectionError,
    APIStreamError,
    BadRequestError,
    ChatCompletionChunk,
    InvalidResponseError,
    RateLimitError,
)
from xai_core._streaming import ChatAccumulator, Stream

USER = [{"role": "user", "content": "Olá"}]


def stream_of(name: str, *, chunk_size: int | None = None):
    return lambda request: sse_response(fixture_bytes(name), chunk_size=chunk_size)


def test_reasoning_stream_accumulates_reasoning_content_and_usage(serve):
    recorder = serve(stream_of("chat_stream_reasoning.sse"))
    with recorder.client().stream_chat(model="grok-code-fast-1", messages=USER) as stream:
        chunks = list(stream)
    assert len(chunks) == 7
    result = stream.result
    message = result.choices[0].message
    assert message.reasoning_content == "First, think."
    assert message.content == "Olá!"
    assert message.role == "assistant"
    assert result.choices[0].finish_reason == "stop"
    assert result.model == "grok-code-fast-1"
    assert result.usage is not None
    assert result.usage.reasoning_tokens == 198
    assert result.usage.cost_in_usd_ticks == 3080400
    assert stream.done and not stream.stopped and stream.error is None


def test_usage_is_requested_by_default_and_stream_is_set(serve):
    recorder = serve(stream_of("chat_stream_reasoning.sse"))
    recorder.client().stream_chat(model="m", messages=USER, temperature=0.5).until_done()
    body = json.loads(recorder.requests[0].content)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["temperature"] == 0.5
    assert recorder.requests[0].headers["accept"] == "text/event-stream"


def test_caller_can_opt_out_of_the_usage_chunk(serve):
    recorder = serve(stream_of("chat_stream_reasoning.sse"))
    recorder.client().stream_chat(
        model="m", messages=USER, stream_options={"include_usage": False}
    ).until_done()
    assert json.loads(recorder.requests[0].content)["stream_options"] == {"include_usage": False}


def test_text_stream_yields_only_answer_text(serve):
    stream = (
        serve(stream_of("chat_stream_reasoning.sse")).client().stream_chat(model="m", messages=USER)
    )
    assert list(stream.text_stream()) == ["Olá", "!"]
    assert stream.result.choices[0].message.reasoning_content == "First, think."


def test_hidden_reasoning_empty_deltas_are_harmless(serve):
    stream = (
        serve(stream_of("chat_stream_hidden_reasoning.sse"))
        .client()
        .stream_chat(model="m", messages=USER)
    )
    assert "".join(stream.text_stream()) == "Hi there"
    result = stream.result
    assert result.choices[0].message.reasoning_content is None
    assert result.usage is not None and result.usage.reasoning_tokens == 40


def test_whole_tool_call_xai_style(serve):
    stream = (
        serve(stream_of("chat_stream_tool_call_whole.sse"))
        .client()
        .stream_chat(
            model="m",
            messages=USER,
            tools=[{"type": "function", "function": {"name": "get_weather"}}],
        )
    )
    result = stream.until_done()
    choice = result.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls is not None
    [call] = choice.message.tool_calls
    assert (call.id, call.type, call.function.name) == ("call_1", "function", "get_weather")
    assert json.loads(call.function.arguments or "") == {"city": "Lisbon"}


def test_fragmented_tool_call_llama_cpp_style(serve):
    result = (
        serve(stream_of("chat_stream_tool_call_fragments.sse"))
        .client()
        .stream_chat(model="m", messages=USER)
        .until_done()
    )
    [call] = result.choices[0].message.tool_calls or []
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments or "") == {"city": "Lisbon"}
    assert result.choices[0].message.content is None
    # OpenAI-style usage without reasoning details: output is just completion tokens
    assert result.usage is not None and result.usage.output_tokens == 21


@pytest.mark.parametrize("chunk_size", [1, 7, 64, None])
def test_events_split_across_network_chunks_parse_the_same(serve, chunk_size):
    stream = serve(stream_of("chat_stream_reasoning.sse", chunk_size=chunk_size)).client()
    result = stream.stream_chat(model="m", messages=USER).until_done()
    assert result.choices[0].message.content == "Olá!"
    assert result.choices[0].message.reasoning_content == "First, think."


@pytest.mark.parametrize("chunk_size", [1, 5, None])
def test_edge_stream_keepalive_crlf_u2028_and_no_trailing_newline(serve, chunk_size):
    stream = (
        serve(stream_of("chat_stream_edge.sse", chunk_size=chunk_size))
        .client()
        .stream_chat(model="m", messages=USER)
    )
    text = "".join(stream.text_stream())
    assert text == "Line\u2028break and para\u2029graph!"
    assert stream.done  # finished with a finish reason even though [DONE] was cut short
    assert stream.error is None


def test_error_object_mid_stream_raises_and_keeps_the_partial_text(serve):
    stream = (
        serve(stream_of("chat_stream_error_midstream.sse"))
        .client()
        .stream_chat(model="m", messages=USER)
    )
    received = []
    with pytest.raises(APIStreamError) as caught:
        for text in stream.text_stream():
            received.append(text)
    assert str(caught.value) == "Model overloaded, please retry"
    assert caught.value.code == "overloaded"
    assert received == ["Partial", " answer"]
    assert stream.result.choices[0].message.content == "Partial answer"
    assert stream.error is caught.value
    assert not stream.done


BROKEN_STREAMS = [
    pytest.param(
        sse_body([{"choices": [{"index": 0, "delta": {"content": "x"}}]}], done=False)
        + b'event: error\ndata: {"code":"c","error":"boom"}\n\n',
        APIStreamError,
        "boom",
        "x",
        id="an event named error is an error",
    ),
    pytest.param(
        b'data: {"choices":[{"index":0,"delta":{"content":"half"}}]}\n\n',
        APIConnectionError,
        "before the reply was complete",
        "half",
        id="ending without done or finish reason is reported",
    ),
    pytest.param(
        b'data: {"choices":[{"index":0,"delta":{"content":"ok"}}]}\n\ndata: {not json\n\n',
        InvalidResponseError,
        "malformed",
        "ok",
        id="a malformed chunk is an invalid response",
    ),
]


@pytest.mark.parametrize(("body", "error", "message", "partial"), BROKEN_STREAMS)
def test_a_broken_stream_raises_and_keeps_the_partial_text(serve, body, error, message, partial):
    stream = serve(lambda r: sse_response(body)).client().stream_chat(model="m", messages=USER)
    with pytest.raises(error, match=message):
        stream.until_done()
    assert stream.result.content == partial


def test_connection_dropped_mid_stream_keeps_the_partial_text(serve):
    first_four = split_events(fixture_bytes("chat_stream_reasoning.sse"))[:4]
    body = ByteChunks(first_four, fail_with=httpx.RemoteProtocolError("peer closed"))
    recorder = serve(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)
    )
    stream = recorder.client().stream_chat(model="m", messages=USER)
    with pytest.raises(APIConnectionError, match="dropped"):
        stream.until_done()
    assert stream.result.choices[0].message.content == "Olá"
    assert stream.result.choices[0].message.reasoning_content == "First, think."
    assert len(recorder.requests) == 1  # a stream that delivered content is never retried


def test_wrong_content_type_is_an_invalid_response(serve):
    stream = (
        serve(lambda r: httpx.Response(200, json={"hello": 1}))
        .client()
        .stream_chat(model="m", messages=USER)
    )
    with pytest.raises(InvalidResponseError, match="event stream"):
        stream.until_done()


def test_stopping_early_closes_the_connection(serve):
    body = ByteChunks(
        [e + b"\n\n" for e in fixture_bytes("chat_stream_reasoning.sse").split(b"\n\n")]
    )
    recorder = serve(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)
    )
    stream = recorder.client().stream_chat(model="m", messages=USER)
    for text in stream.text_stream():
        assert text == "Olá"
        break
    stream.close()
    assert body.closed
    assert body.delivered < len(body.pieces)
    assert stream.stopped and not stream.done
    assert stream.result.content == "Olá"


def test_context_manager_closes_on_exit(serve):
    body = ByteChunks([fixture_bytes("chat_stream_reasoning.sse")])
    recorder = serve(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)
    )
    with recorder.client().stream_chat(model="m", messages=USER) as stream:
        next(iter(stream))
    assert body.closed and stream.stopped


def test_http_errors_surface_on_iteration_and_are_retried_before_content(serve):
    answers = iter(
        [
            httpx.Response(429, json={"code": "x", "error": "slow down"}),
            sse_response(fixture_bytes("chat_stream_reasoning.sse")),
        ]
    )
    recorder = serve(lambda r: next(answers))
    result = recorder.client().stream_chat(model="m", messages=USER).until_done()
    assert result.content == "Olá!"
    assert len(recorder.requests) == 2


def test_http_error_on_stream_open_is_the_mapped_error(serve):
    recorder = serve(lambda r: httpx.Response(400, json={"code": "c", "error": "stop not allowed"}))
    stream = recorder.client().stream_chat(model="m", messages=USER, stop=["x"])
    with pytest.raises(BadRequestError, match="stop not allowed"):
        stream.until_done()
    assert isinstance(stream.error, BadRequestError)


def test_rate_limit_after_retries_on_stream(serve):
    recorder = serve(lambda r: httpx.Response(429, json={"code": "c", "error": "limit"}))
    with pytest.raises(RateLimitError):
        recorder.client(max_retries=1).stream_chat(model="m", messages=USER).until_done()
    assert len(recorder.requests) == 2


def test_time_to_first_token_and_tokens_per_second_from_a_fake_clock(serve):
    response = sse_response(fixture_bytes("chat_stream_reasoning.sse"))
    ticks = itertools.count(start=10.0, step=0.5)  # each clock read advances 0.5 s
    stream = Stream(
        lambda: response,
        ChatCompletionChunk,
        ChatAccumulator(),
        clock=lambda: next(ticks),
    )
    stream.until_done()
    stats = stream.stats
    assert stats.time_to_first_token_s == pytest.approx(0.5)
    # first token at the 2nd clock read, last (content "!") at the 6th: 4 reads x 0.5 s
    assert stats.generated_tokens == 2 + 198
    assert stats.tokens_per_second == pytest.approx(200 / 2.0)
    assert stats.elapsed_s is not None and stats.elapsed_s > stats.time_to_first_token_s


def test_completion_stream_accumulates_text_and_usage(serve):
    recorder = serve(stream_of("completion_stream.sse"))
    stream = recorder.client().stream_complete(model="m", prompt="Say", max_tokens=4)
    assert "".join(stream.text_stream()) == " the quick brown fox"
    assert stream.result.choices[0].finish_reason == "length"
    assert stream.result.usage is not None and stream.result.usage.completion_tokens == 4
    body = json.loads(recorder.requests[0].content)
    assert body == {
        "model": "m",
        "prompt": "Say",
        "stream": True,
        "max_tokens": 4,
        "stream_options": {"include_usage": True},
    }


def test_n_choices_accumulate_separately(serve):
    events = [
        {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "A"}}]},
        {"choices": [{"index": 1, "delta": {"role": "assistant", "content": "B"}}]},
        {"choices": [{"index": 1, "delta": {"content": "b"}, "finish_reason": "stop"}]},
        {"choices": [{"index": 0, "delta": {"content": "a"}, "finish_reason": "length"}]},
    ]
    body = (
        b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"
    )
    stream = serve(lambda r: sse_response(body)).client().stream_chat(model="m", messages=USER, n=2)
    assert list(stream.text_stream()) == ["A", "a"]
    result = stream.result
    assert [c.message.content for c in result.choices] == ["Aa", "Bb"]
    assert [c.finish_reason for c in result.choices] == ["length", "stop"]


def logprob(token: str, value: float) -> dict:
    return {"content": [{"token": token, "logprob": value, "top_logprobs": []}]}


def test_chat_logprobs_accumulate(serve):
    events = [
        {
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": "Hi"},
                    "logprobs": {"content": [{"token": "Hi", "logprob": -0.1, "top_logprobs": []}]},
                }
            ]
        },
        {
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": "!"},
                    "finish_reason": "stop",
                    "logprobs": {"content": [{"token": "!", "logprob": -0.2, "top_logprobs": []}]},
                }
            ]
        },
    ]
    body = (
        b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + b"data: [DONE]\n\n"
    )
    result = (
        serve(lambda r: sse_response(body))
        .client()
        .stream_chat(model="m", messages=USER, logprobs=True)
        .until_done()
    )
    logprobs = result.choices[0].logprobs
    assert logprobs is not None and [t.token for t in logprobs.content or []] == ["Hi", "!"]


def test_no_rate_is_claimed_for_a_reply_that_arrived_all_at_once(serve):
    response = sse_response(fixture_bytes("chat_stream_reasoning.sse"))
    ticks = itertools.count(start=10.0, step=0.001)  # the whole reply within a few milliseconds
    stream = Stream(
        lambda: response, ChatCompletionChunk, ChatAccumulator(), clock=lambda: next(ticks)
    )
    stream.until_done()
    assert stream.stats.time_to_first_token_s is not None
    assert stream.stats.tokens_per_second is None
