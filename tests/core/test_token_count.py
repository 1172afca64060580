"""Token counts: the server's count through /v1/tokenize-text (a mock transport), the labelled
estimate when it cannot count, the cache and what it never holds."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable

import httpx
import pytest

from playground.core.token_count import (
    MESSAGE_FRAMING_TOKENS,
    TokenCount,
    TokenCounter,
    context_line,
    estimate_tokens,
    message_text,
)
from xai_core import XaiClient

KEY = "xai-secret-key-for-token-counts-0123456789"
SERVER = "xai https://api.example/v1"


class Server:
    """A mock tokenize-text route: words (with their leading space) are tokens, unless
    ``answer`` says otherwise; every request is kept."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[dict[str, str]] = []
        self.answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        if self.answer is not None:
            return self.answer(request)
        words = body["text"].split(" ")
        tokens = [w if i == 0 else " " + w for i, w in enumerate(words)]
        return httpx.Response(
            200,
            json={"token_ids": [{"token_id": i, "string_token": t} for i, t in enumerate(tokens)]},
        )

    def client(self) -> XaiClient:
        http = httpx.Client(transport=httpx.MockTransport(self))
        return XaiClient(KEY, base_url="https://api.example/v1", http_client=http, max_retries=0)


def status(code: int) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, json={"code": "x", "error": f"HTTP {code}"})


def test_the_server_count_is_exact_and_cached() -> None:
    server, counter = Server(), TokenCounter()
    count = counter.count_text(server.client(), SERVER, "grok-4.3", "Hello big world")
    assert count == TokenCount(3, True, count.source)
    assert "tokenize-text" in count.source
    assert count.label() == "3 tokens (exact)"
    assert server.requests == [{"text": "Hello big world", "model": "grok-4.3"}]
    again = counter.count_text(server.client(), SERVER, "grok-4.3", "Hello big world")
    assert again == count
    assert len(server.requests) == 1  # from the cache
    counter.count_text(server.client(), SERVER, "grok-3", "Hello big world")
    counter.count_text(
        server.client(), "local http://127.0.0.1:9/v1", "grok-4.3", "Hello big world"
    )
    assert len(server.requests) == 3  # another model, another server: counted again


@pytest.mark.parametrize("code", [404, 405, 501])
def test_a_server_without_the_route_gives_a_labelled_estimate_once(code: int) -> None:
    server, counter = Server(status(code)), TokenCounter()
    count = counter.count_text(server.client(), SERVER, "grok-4.3", "a" * 40)
    assert count == TokenCount(10, False, count.source)
    assert count.label() == "≈ 10 tokens (estimate)"
    assert "does not serve /v1/tokenize-text" in count.source
    for text in ("other text", "more text"):
        assert not counter.count_text(server.client(), SERVER, "grok-3", text).exact
    assert len(server.requests) == 1  # remembered for the session: asked once


def test_an_unknown_model_on_a_tokenizing_server_is_estimated_for_that_model_only() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["model"] == "nope":
            return status(404)(request)
        return httpx.Response(200, json={"token_ids": [{"token_id": 1}]})

    server, counter = Server(answer), TokenCounter()
    assert counter.count_text(server.client(), SERVER, "grok-4.3", "hi").exact
    unknown = counter.count_text(server.client(), SERVER, "nope", "hi")
    assert not unknown.exact and "does not tokenize for nope" in unknown.source
    assert not counter.count_text(server.client(), SERVER, "nope", "hi there").exact
    assert counter.count_text(server.client(), SERVER, "grok-4.3", "hi there").exact
    assert [r["model"] for r in server.requests] == ["grok-4.3", "nope", "grok-4.3"]


def test_a_connection_error_is_estimated_and_asked_again_only_after_a_while() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    now = [0.0]
    server, counter = Server(refuse), TokenCounter(clock=lambda: now[0], retry_after_s=60)
    count = counter.count_text(server.client(), SERVER, "grok-4.3", "Hello world")
    assert not count.exact and "asked again in a minute" in count.source
    assert KEY not in count.source
    for _ in range(5):
        assert not counter.count_text(server.client(), SERVER, "grok-4.3", "Hello world").exact
    assert len(server.requests) == 1  # no retry storm
    now[0] = 61.0
    server.answer = None  # the server is back
    assert counter.count_text(server.client(), SERVER, "grok-4.3", "Hello world").exact
    assert len(server.requests) == 2


@pytest.mark.parametrize("code", [429, 500, 503])
def test_busy_or_failing_servers_are_left_alone_for_a_while(code: int) -> None:
    server, counter = Server(status(code)), TokenCounter(clock=lambda: 0.0)
    assert not counter.count_text(server.client(), SERVER, "m", "one").exact
    assert not counter.count_text(server.client(), SERVER, "m", "two").exact
    assert len(server.requests) == 1


def test_no_model_or_a_huge_text_is_estimated_without_asking() -> None:
    server, counter = Server(), TokenCounter()
    assert "no model" in counter.count_text(server.client(), SERVER, None, "hello").source
    huge = counter.count_text(server.client(), SERVER, "m", "word " * 200_000)
    assert not huge.exact and "characters" in huge.source
    assert counter.count_text(server.client(), SERVER, "m", "") == TokenCount(
        0, True, "counted: the text is empty"
    )
    assert server.requests == []


def test_the_key_is_never_in_the_cache() -> None:
    server, counter = Server(), TokenCounter()
    counter.count_text(server.client(), SERVER, "grok-4.3", f"my key is not {KEY[:3]}")
    counter.count_messages(server.client(), SERVER, "grok-4.3", [{"role": "user", "content": "x"}])
    counter.count_text(Server(status(404)).client(), "other", "m", "y")
    held = pickle.dumps(counter)
    assert KEY.encode() not in held
    assert KEY not in repr(counter)
    assert all(KEY not in part for key in counter.cache_keys() for part in key)
    assert all(len(key[2]) == 64 for key in counter.cache_keys())  # a digest, not the text


def test_the_cache_is_bounded() -> None:
    server, counter = Server(), TokenCounter(max_entries=3)
    for i in range(5):
        counter.count_text(server.client(), SERVER, "m", f"text {i}")
    assert len(counter.cache_keys()) == 3
    counter.count_text(server.client(), SERVER, "m", "text 0")  # evicted: asked again
    assert len(server.requests) == 6


def test_a_conversation_is_its_text_plus_estimated_framing_and_only_new_messages_are_sent() -> None:
    server, counter = Server(), TokenCounter()
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello there"},
    ]
    first = counter.count_messages(server.client(), SERVER, "grok-4.3", messages)
    framing = 2 * MESSAGE_FRAMING_TOKENS
    # "Be brief.\nHello there" splits on spaces into 3 words
    assert first == TokenCount(3 + framing, True, first.source, framing, 0)
    assert first.label() == f"{3 + framing} tokens (exact, {framing} estimated for message framing)"
    assert counter.count_messages(server.client(), SERVER, "grok-4.3", messages) == first
    assert len(server.requests) == 1
    longer = [*messages, {"role": "assistant", "content": "Hi you"}]
    second = counter.count_messages(server.client(), SERVER, "grok-4.3", longer)
    assert server.requests[-1]["text"] == "Hi you"  # only the new message is sent
    assert second.tokens == 3 + 2 + 3 * MESSAGE_FRAMING_TOKENS and second.exact


def test_a_conversation_on_a_server_without_the_route_is_an_estimate() -> None:
    server, counter = Server(status(404)), TokenCounter()
    messages = [{"role": "user", "content": "a" * 40}, {"role": "assistant", "content": "b" * 8}]
    count = counter.count_messages(server.client(), SERVER, "grok-4.3", messages)
    assert not count.exact
    assert count.tokens == estimate_tokens("a" * 40 + "\n" + "b" * 8) + 2 * MESSAGE_FRAMING_TOKENS
    assert count.label().endswith("(estimate)")


def test_message_text_takes_text_parts_and_tool_calls_and_counts_images() -> None:
    message = {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        ],
    }
    assert message_text(message) == ("What is this?", 1)
    call = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}},
    ]}  # fmt: skip
    assert message_text(call) == ('f\n{"x": 1}', 0)


def test_the_estimate_heuristic() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd" * 25) == 25  # ~4 ASCII characters per token
    assert estimate_tokens("日本語") == 3  # 9 UTF-8 bytes / 3


def test_context_lines() -> None:
    exact = TokenCount(1_310, True, "s")
    assert context_line("Prompt", exact, 131_072) == "Prompt: 1,310 of 131,072 tokens · 1% (exact)"
    assert context_line("Prompt", exact, None) == "Prompt: 1,310 tokens (exact)"
    guess = TokenCount(70_000, False, "s")
    assert context_line("Context", guess, 131_072) == (
        "Context: ≈ 70,000 of 131,072 tokens · 53% (estimate)"
    )
    over = context_line("Context", TokenCount(200, True, "s"), 100)
    assert "100%" in over and "over the model's context" in over
