"""Tests for local_backend.engines (llm_format, llm): pure conversions, then the real Gemma 3 270M
through xllamacpp."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from local_backend.engines.llm import LocalLLM
from local_backend.engines.llm_format import (
    LLMError,
    map_request,
    sum_usage,
    to_completion_logprobs,
    to_error,
    trim_chat_logprobs,
    with_banned,
)
from local_backend.registry import GEMMA_3_270M

HELLO = [{"role": "user", "content": "Say hello."}]
PROMPT = "The capital of France is"


def _tok(token: str, lp: float, tops: list[tuple[str, float]]) -> dict[str, Any]:
    item = {"id": 1, "token": token, "bytes": list(token.encode()), "logprob": lp}
    return item | {"top_logprobs": [{"id": 2, "token": t, "logprob": v} for t, v in tops]}


CONTENT = [
    _tok(" the", -1.59, [(" the", -1.59), (" a", -2.29)]),
    _tok(" capital", -0.65, [(" capital", -0.65), (" most", -2.72)]),
    _tok(" France", -1.60, [(" the", -0.93), (" France", -1.60)]),
]


# ---------------------------------------------------------------- pure functions


def test_to_completion_logprobs_shape_and_offsets() -> None:
    out = to_completion_logprobs(CONTENT, start_offset=len(PROMPT))
    assert out["tokens"] == [" the", " capital", " France"]
    assert out["token_logprobs"] == [-1.59, -0.65, -1.60]
    assert out["top_logprobs"][0] == {" the": -1.59, " a": -2.29}
    assert out["text_offset"] == [24, 28, 36]
    assert to_completion_logprobs(CONTENT, 0, top=1)["top_logprobs"][2] == {" the": -0.93}
    assert to_completion_logprobs([], 5) == {
        "tokens": [],
        "token_logprobs": [],
        "top_logprobs": [],
        "text_offset": [],
    }


def test_trim_chat_logprobs_drops_ids_and_extra_alternatives() -> None:
    out = trim_chat_logprobs({"content": CONTENT}, 1)
    assert all("id" not in item for item in out["content"])
    assert [len(item["top_logprobs"]) for item in out["content"]] == [1, 1, 1]
    assert trim_chat_logprobs({"content": CONTENT}, 0)["content"][0]["top_logprobs"] == []


def test_map_request_chat() -> None:
    req = map_request(
        {
            "model": "gemma-3-270m",
            "messages": HELLO,
            "n": 2,
            "stream": True,
            "stream_options": {"include_usage": True},
            "user": "u1",
            "max_completion_tokens": 7,
            "logprobs": True,
            "seed": None,
            "response_format": {"type": "text"},
            "stop": ["\n"],
        },
        "chat",
    )
    assert req == {
        "messages": HELLO,
        "max_tokens": 7,
        "logprobs": True,
        "top_logprobs": 1,
        "stop": ["\n"],
    }
    assert "top_logprobs" not in map_request({"messages": HELLO, "top_logprobs": 3}, "chat")
    rf = {"type": "json_object"}
    assert map_request({"messages": HELLO, "response_format": rf}, "chat")["response_format"] == rf
    with pytest.raises(LLMError) as err:
        map_request({"messages": HELLO, "tools": [{"type": "function"}]}, "chat")
    assert err.value.status == 400
    with pytest.raises(LLMError):
        map_request({"messages": []}, "chat")


def test_map_request_completion() -> None:
    req = map_request(
        {"prompt": [PROMPT], "logprobs": 0, "echo": True, "suffix": "x"}, "completion"
    )
    assert req == {"prompt": PROMPT, "logprobs": 1}
    assert map_request({"prompt": "a", "logprobs": 3}, "completion")["logprobs"] == 3
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    rf = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    assert map_request({"prompt": "a", "response_format": rf}, "completion") == {
        "prompt": "a",
        "json_schema": schema,
    }
    rf = {"type": "json_object"}
    assert map_request({"prompt": "a", "response_format": rf}, "completion")["json_schema"] == {
        "type": "object"
    }
    with pytest.raises(LLMError):
        map_request({"prompt": ["a", "b"]}, "completion")


def test_banned_tokens_join_the_clients_logit_bias_in_llama_cpps_pairs() -> None:
    assert "logit_bias" not in map_request({"prompt": "a"}, "completion")
    assert map_request({"prompt": "a"}, "completion", banned=(7,))["logit_bias"] == [[7, False]]
    assert with_banned({"12": 5.0, "-3": 1}, (7, 8)) == [[12, 5.0], [-3, 1], [7, False], [8, False]]
    assert with_banned([[1, -2.0]], ()) == [[1, -2.0]]
    chat = map_request({"messages": HELLO, "logit_bias": {"5": 1}}, "chat", banned=(9,))
    assert chat["logit_bias"] == [[5, 1], [9, False]]


def test_sum_usage_counts_prompt_once() -> None:
    u = {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}
    summed = sum_usage([u, u, None])
    assert summed["prompt_tokens"] == 5
    assert summed["completion_tokens"] == 6
    assert summed["total_tokens"] == 11


def test_usage_has_xais_details_and_costs_nothing() -> None:
    cached = {
        "prompt_tokens": 5,
        "completion_tokens": 1,
        "prompt_tokens_details": {"cached_tokens": 4},
    }
    summed = sum_usage([cached])
    assert summed["prompt_tokens_details"] == {
        "text_tokens": 5,
        "audio_tokens": 0,
        "image_tokens": 0,
        "cached_tokens": 4,
    }
    assert summed["completion_tokens_details"]["reasoning_tokens"] == 0
    assert summed["num_sources_used"] == 0 and summed["cost_in_usd_ticks"] == 0


def test_to_error_shapes() -> None:
    too_long = {
        "error": {
            "code": 400,
            "message": "request (300 tokens) exceeds the available context size (256 tokens)",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 300,
            "n_ctx": 256,
        }
    }
    err = to_error(too_long)
    assert err.status == 400
    assert err.message.startswith("This model's context is 256 tokens; the prompt has 300")
    assert to_error({"error": {"code": 400, "message": "bad field"}}).status == 400
    assert to_error({"error": {"code": 501, "message": "nope"}}).status == 500
    assert to_error(RuntimeError("boom")).status == 500


# ---------------------------------------------------------------- the real model


@pytest.fixture(scope="module")
def llm() -> Iterator[LocalLLM]:
    entry = replace(GEMMA_3_270M, context_length=1024)
    model = LocalLLM.from_entry(entry, n_parallel=4, threads=2)
    yield model
    model.close()


@pytest.fixture(scope="module")
def small() -> Iterator[LocalLLM]:
    """One slot, 256-token context: for the over-long prompt and stop-by-callback checks."""
    entry = replace(GEMMA_3_270M, context_length=256)
    model = LocalLLM.from_entry(entry, n_parallel=1, threads=2)
    yield model
    model.close()


def _collect(fn: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    chunks: list[dict[str, Any]] = []

    def on_chunk(chunk: dict[str, Any]) -> bool:
        chunks.append(chunk)
        return False

    fn(request, on_chunk)
    return chunks


def test_chat_non_stream(llm: LocalLLM) -> None:
    out = llm.chat({"model": "x", "messages": HELLO, "max_tokens": 8, "echo": True})
    assert out["object"] == "chat.completion"
    assert out["model"] == llm.model_id == "gemma-3-270m"
    assert out["id"].startswith("chatcmpl-")
    assert out["choices"][0]["message"]["role"] == "assistant"
    assert isinstance(out["choices"][0]["message"]["content"], str)
    usage = out["usage"]
    assert usage["prompt_tokens"] > 0 and 1 <= usage["completion_tokens"] <= 8
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert "timings" not in out and "text" not in out["choices"][0]


def test_stream_chat_adds_up_and_ends_with_usage(llm: LocalLLM) -> None:
    request = {"model": "x", "messages": HELLO, "max_tokens": 10, "temperature": 0, "seed": 1}
    full = llm.chat(request)["choices"][0]["message"]["content"]
    chunks = _collect(llm.stream_chat, request | {"stream_options": {"include_usage": True}})
    *body, last = chunks
    assert last["choices"] == [] and last["usage"]["completion_tokens"] >= 1
    assert all(
        c["object"] == "chat.completion.chunk" and c["model"] == llm.model_id for c in chunks
    )
    assert len({c["id"] for c in chunks}) == 1
    assert body[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in body) == full
    assert [c["choices"][0].get("finish_reason") for c in body][-1] in ("stop", "length")
    assert all("finish_reason" not in c["choices"][0] for c in body[:-1])
    assert "usage" not in _collect(llm.stream_chat, request)[-1]  # only when asked


def test_stop_via_callback_returns_early(small: LocalLLM) -> None:
    chunks: list[dict[str, Any]] = []

    def on_chunk(chunk: dict[str, Any]) -> bool:
        chunks.append(chunk)
        return len(chunks) >= 3

    request = {"messages": HELLO, "max_tokens": 200, "stream_options": {"include_usage": True}}
    start = time.monotonic()
    small.stream_chat(request | {"temperature": 1.0, "seed": 3}, on_chunk)
    # One slot only: had the generation gone on, this request would wait for ~200 tokens.
    after = small.chat({"messages": HELLO, "max_tokens": 2})
    assert time.monotonic() - start < 3.0  # 200 tokens take ~4.5 s here
    assert len(chunks) == 3 and after["usage"]["completion_tokens"] >= 1


def test_callback_exception_propagates(llm: LocalLLM) -> None:
    def boom(chunk: dict[str, Any]) -> bool:
        raise RuntimeError("client went away")

    with pytest.raises(RuntimeError, match="client went away"):
        llm.stream_chat({"messages": HELLO, "max_tokens": 50}, boom)


def test_seed_and_temperature_zero_repeat(llm: LocalLLM) -> None:
    request = {"messages": HELLO, "max_tokens": 12, "temperature": 0, "seed": 42}
    first = llm.chat(request)["choices"][0]["message"]["content"]
    assert first == llm.chat(request)["choices"][0]["message"]["content"]


def test_completion_logprobs_in_completions_format(llm: LocalLLM) -> None:
    out = llm.complete({"prompt": PROMPT, "max_tokens": 5, "logprobs": 2, "temperature": 0})
    assert out["object"] == "text_completion" and out["id"].startswith("cmpl-")
    choice = out["choices"][0]
    lp = choice["logprobs"]
    n = len(lp["tokens"])
    assert n == out["usage"]["completion_tokens"]
    assert len(lp["token_logprobs"]) == len(lp["top_logprobs"]) == len(lp["text_offset"]) == n
    assert all(0 < len(top) <= 2 for top in lp["top_logprobs"])
    assert lp["text_offset"][0] == len(PROMPT)
    assert "".join(lp["tokens"]) == choice["text"]


def test_completion_stream_logprobs_and_echo(llm: LocalLLM) -> None:
    request = {"prompt": PROMPT, "max_tokens": 4, "logprobs": 1, "echo": True, "temperature": 0}
    chunks = _collect(llm.stream_complete, request | {"stream_options": {"include_usage": True}})
    text = "".join(c["choices"][0]["text"] for c in chunks[:-1])
    assert text.startswith(PROMPT) and chunks[-1]["choices"] == []
    offsets = [
        o for c in chunks[:-1] for o in c["choices"][0].get("logprobs", {}).get("text_offset", [])
    ]
    assert offsets[0] == len(PROMPT) and offsets == sorted(offsets)
    assert llm.complete(request)["choices"][0]["text"] == text


def test_n2_gives_two_choices(llm: LocalLLM) -> None:
    out = llm.chat({"messages": HELLO, "max_tokens": 4, "n": 2, "seed": 5})
    assert [c["index"] for c in out["choices"]] == [0, 1]
    assert out["usage"]["completion_tokens"] <= 8
    request = {
        "messages": HELLO,
        "max_tokens": 4,
        "n": 2,
        "stream_options": {"include_usage": True},
    }
    chunks = _collect(llm.stream_chat, request)
    assert {c["choices"][0]["index"] for c in chunks[:-1]} == {0, 1}
    assert chunks[-1]["usage"]["completion_tokens"] >= 2


def test_json_object_is_grammar_constrained(llm: LocalLLM) -> None:
    request = {"messages": HELLO, "max_tokens": 12, "response_format": {"type": "json_object"}}
    assert llm.chat(request)["choices"][0]["message"]["content"].lstrip().startswith("{")


def test_prompt_over_context_is_400(small: LocalLLM) -> None:
    long_prompt = "hello " * 400
    for call in (
        lambda: small.complete({"prompt": long_prompt, "max_tokens": 2}),
        lambda: small.stream_chat(
            {"messages": [{"role": "user", "content": long_prompt}]}, lambda c: False
        ),
    ):
        with pytest.raises(LLMError) as err:
            call()
        assert err.value.status == 400
        assert "context is 256 tokens; the prompt has" in err.value.message


def test_two_concurrent_streams(llm: LocalLLM) -> None:
    results: dict[int, list[dict[str, Any]]] = {}

    def run(i: int) -> None:
        request = {"messages": HELLO, "max_tokens": 12, "stream_options": {"include_usage": True}}
        results[i] = _collect(llm.stream_chat, request)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [0, 1]
    for chunks in results.values():
        assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] >= 1


def test_count_tokens(llm: LocalLLM) -> None:
    assert llm.count_tokens(PROMPT) == 5
    assert llm.count_tokens("") == 0


def test_hidden_special_tokens_are_never_written_even_when_asked_for(llm: LocalLLM) -> None:
    """Gemma writes ``<start_of_image>`` out as text (issue 13); it is banned when sampling, so
    even a client's +100 bias on it cannot make it appear."""
    image = llm._tokenize("<start_of_image>")
    assert image is not None and len(image) == 1 and image[0] in llm._banned
    request = {"prompt": "A photo:", "max_tokens": 3, "temperature": 0}
    out = llm.complete(request | {"logit_bias": {str(image[0]): 100}})
    assert "<start_of_image>" not in out["choices"][0]["text"]
    chat = llm.chat({"messages": HELLO, "max_tokens": 3, "logit_bias": {str(image[0]): 100}})
    assert "<start_of_image>" not in chat["choices"][0]["message"]["content"]
