"""Other servers' spellings read into the client's shapes: chat-style logprobs on completions,
``reasoning`` beside ``reasoning_content``, tool calls streamed in fragments."""

from __future__ import annotations

import math

import pytest

from xai_core import (
    ChatCompletionChunk,
    ChatMessage,
    CompletionChunk,
    CompletionLogprobs,
)
from xai_core._accumulators import ChatAccumulator, CompletionAccumulator
from xai_core._compat import completion_logprobs_from_chat, merged_reasoning


def entry(token: str, logprob: float, *alternatives: tuple[str, float]) -> dict:
    return {
        "id": 1,
        "token": token,
        "logprob": logprob,
        "bytes": list(token.encode()),
        "top_logprobs": [
            {"id": 2, "token": t, "logprob": lp, "bytes": list(t.encode())}
            for t, lp in alternatives
        ],
    }


CHAT_STYLE = {
    "content": [
        entry(" Paris", -0.5, (" Paris", -0.5), (" the", -1.5)),
        entry(".", -0.1, (".", -0.1), (",", -2.0)),
    ]
}


def test_chat_style_logprobs_become_the_completions_format():
    converted = completion_logprobs_from_chat(CHAT_STYLE)
    assert converted == {
        "tokens": [" Paris", "."],
        "token_logprobs": [-0.5, -0.1],
        "top_logprobs": [{" Paris": -0.5, " the": -1.5}, {".": -0.1, ",": -2.0}],
        "text_offset": [0, 6],
    }


def test_the_empty_completions_lists_llamacpp_sends_beside_content_are_replaced():
    payload = {"tokens": [], "token_logprobs": [], "top_logprobs": [], **CHAT_STYLE}
    logprobs = CompletionLogprobs.model_validate(payload)
    assert logprobs.tokens == [" Paris", "."]
    assert logprobs.offsets_from_text_start
    assert "content" not in (logprobs.model_extra or {})  # not kept twice


def test_completions_format_is_left_alone():
    payload = {"tokens": ["a"], "token_logprobs": [-1.0], "text_offset": [7], "content": []}
    assert completion_logprobs_from_chat(payload) is None
    logprobs = CompletionLogprobs.model_validate(payload)
    assert logprobs.text_offset == [7]
    assert not logprobs.offsets_from_text_start


@pytest.mark.parametrize("payload", [None, [], "x", {}, {"content": None}, {"content": "text"}])
def test_nothing_to_convert(payload):
    assert completion_logprobs_from_chat(payload) is None


def test_post_sampling_probabilities_become_logprobs():
    payload = {
        "content": [
            {
                "token": "a",
                "prob": 0.5,
                "top_probs": [{"token": "a", "prob": 0.5}, {"token": "b", "prob": 0.0}],
            }
        ]
    }
    converted = completion_logprobs_from_chat(payload)
    assert converted is not None
    assert converted["token_logprobs"] == [pytest.approx(math.log(0.5))]
    assert converted["top_logprobs"] == [{"a": pytest.approx(math.log(0.5))}]  # p = 0: no logprob


def test_a_token_listed_twice_keeps_its_likeliest_value_and_junk_is_skipped():
    payload = {"content": ["junk", entry("x", -0.2, ("x", -0.2), ("x", -3.0), ("y", -4.0))]}
    converted = completion_logprobs_from_chat(payload)
    assert converted is not None
    assert converted["tokens"] == ["x"]
    assert converted["top_logprobs"] == [{"x": -0.2, "y": -4.0}]


def stream_chunk(text: str, logprobs: dict | None) -> CompletionChunk:
    choice = {"index": 0, "text": text, "finish_reason": None, "logprobs": logprobs}
    return CompletionChunk.model_validate({"choices": [choice]})


def test_streamed_chat_style_logprobs_add_up_with_offsets_across_chunks():
    accumulator = CompletionAccumulator()
    accumulator.add(stream_chunk(" Paris", {"content": [entry(" Paris", -0.5)]}))
    accumulator.add(stream_chunk(".", {"content": [entry(".", -0.1)]}))
    accumulator.add(stream_chunk(" It", {"content": [entry(" It", -2.0)]}))
    logprobs = accumulator.result().choices[0].logprobs
    assert logprobs is not None
    assert logprobs.tokens == [" Paris", ".", " It"]
    assert logprobs.text_offset == [0, 6, 7]
    assert logprobs.offsets_from_text_start


def test_completions_format_offsets_are_kept_as_the_server_gave_them():
    accumulator = CompletionAccumulator()
    accumulator.add(
        stream_chunk("a", {"tokens": ["a"], "token_logprobs": [-1], "text_offset": [9]})
    )
    accumulator.add(
        stream_chunk("b", {"tokens": ["b"], "token_logprobs": [-1], "text_offset": [10]})
    )
    logprobs = accumulator.result().choices[0].logprobs
    assert logprobs is not None
    assert logprobs.text_offset == [9, 10]
    assert not logprobs.offsets_from_text_start


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"reasoning": "think"}, "think"),
        ({"reasoning_content": "think"}, "think"),
        ({"reasoning_content": "think", "reasoning": "think"}, "think"),
        ({"reasoning_content": None, "reasoning": "think"}, "think"),
        ({"reasoning_content": "", "reasoning": "think"}, "think"),
        ({"reasoning": None}, None),
        ({}, None),
    ],
)
def test_both_reasoning_names_give_one_reasoning_text(message, expected):
    parsed = ChatMessage.model_validate({"role": "assistant", "content": "hi", **message})
    assert parsed.reasoning_content == expected
    assert "reasoning" not in parsed.model_dump(exclude_none=True)


def test_a_reasoning_object_of_another_shape_is_kept_as_it_came():
    data = {"content": "hi", "reasoning": {"effort": "low"}}
    assert merged_reasoning(data) is data
    assert ChatMessage.model_validate(data).model_extra == {"reasoning": {"effort": "low"}}


def chat_chunk(delta: dict, finish: str | None = None) -> ChatCompletionChunk:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return ChatCompletionChunk.model_validate({"choices": [choice]})


def test_a_stream_sending_both_reasoning_names_counts_the_reasoning_once():
    accumulator = ChatAccumulator()
    for piece in ("Let me ", "think."):
        accumulator.add(chat_chunk({"reasoning_content": piece, "reasoning": piece}))
    accumulator.add(chat_chunk({"reasoning": None, "content": "Hi"}, "stop"))
    message = accumulator.result().choices[0].message
    assert message.reasoning_content == "Let me think."
    assert message.content == "Hi"
    assert accumulator.generated_pieces == 3


def test_tool_call_fragments_join_and_a_repeated_name_is_not_doubled():
    accumulator = ChatAccumulator()
    first = {"index": 0, "id": "c1", "type": "function"}
    accumulator.add(chat_chunk({"tool_calls": [first | {"function": {"name": "get_weather"}}]}))
    for piece in ('{"ci', 'ty": "Lis', 'bon"}'):
        call = {"index": 0, "function": {"name": "get_weather", "arguments": piece}}
        accumulator.add(chat_chunk({"tool_calls": [call]}))
    accumulator.add(chat_chunk({}, "tool_calls"))
    (call,) = accumulator.result().choices[0].message.tool_calls or []
    assert call.id == "c1"
    assert call.function.name == "get_weather"
    assert call.function.arguments == '{"city": "Lisbon"}'
