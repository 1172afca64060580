"""The client against llama.cpp's own HTTP server (live): its model list, completions with
logprobs (streamed and not), chat streaming, and a wrong key. (Gemma 3 270M makes no structured
tool call; tests/xai_core/test_llamacpp_payloads.py checks a tool call in llama.cpp's shape.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.compat.llamacpp_server import CHAT, COMPLETION, LlamaCppServer
from xai_core import AuthenticationError, CompletionLogprobs, XaiClient


@pytest.fixture
def client(llamacpp: LlamaCppServer) -> Iterator[XaiClient]:
    with XaiClient(api_key=llamacpp.api_key, base_url=llamacpp.base_url, env={}) as client:
        yield client


def assert_token_view_data(logprobs: CompletionLogprobs | None, text: str, top: int) -> None:
    """Everything the Completions page's token view reads: one entry per token, in order."""
    assert logprobs is not None
    n = len(logprobs.tokens)
    assert n > 0
    assert "".join(logprobs.tokens) == text
    assert len(logprobs.token_logprobs) == len(logprobs.text_offset) == n
    assert all(lp is not None and lp <= 0 for lp in logprobs.token_logprobs)
    tops = logprobs.top_logprobs or []
    assert len(tops) == n
    assert all(alternatives and 1 <= len(alternatives) <= top for alternatives in tops)
    starts = [0] + [sum(len(t) for t in logprobs.tokens[:i]) for i in range(1, n)]
    assert logprobs.text_offset == starts


def test_the_model_list_has_each_model_once(client: XaiClient, llamacpp: LlamaCppServer) -> None:
    models = client.list_models()
    assert [m.id for m in models] == [llamacpp.model]


def test_a_completion_with_logprobs_comes_in_the_completions_format(client: XaiClient) -> None:
    completion = client.complete(**COMPLETION)
    choice = completion.choices[0]
    assert choice.text
    assert_token_view_data(choice.logprobs, choice.text, COMPLETION["logprobs"])


def test_a_streamed_completion_with_logprobs_adds_up_the_same(client: XaiClient) -> None:
    whole = client.complete(**COMPLETION)
    with client.stream_complete(**COMPLETION) as stream:
        result = stream.until_done()
    choice = result.choices[0]
    assert stream.done and stream.error is None
    assert choice.text == whole.text  # temperature 0
    assert_token_view_data(choice.logprobs, choice.text, COMPLETION["logprobs"])
    assert choice.logprobs is not None and whole.choices[0].logprobs is not None
    assert choice.logprobs.tokens == whole.choices[0].logprobs.tokens


def test_chat_streams_text_and_usage(client: XaiClient) -> None:
    with client.stream_chat(**CHAT) as stream:
        pieces = list(stream.text_stream())
    result = stream.result
    assert len(pieces) > 1
    assert result.content == "".join(pieces)
    assert result.choices[0].finish_reason in ("stop", "length")
    assert result.usage is not None and result.usage.completion_tokens > 0
    assert stream.stats.time_to_first_token_s is not None


@pytest.mark.parametrize("key", ["not-the-key", ""])
def test_a_wrong_or_missing_key_is_an_authentication_error(
    llamacpp: LlamaCppServer, key: str
) -> None:
    client = XaiClient(api_key=key, base_url=llamacpp.base_url, env={}, max_retries=0)
    with client, pytest.raises(AuthenticationError) as caught:
        client.chat(**CHAT)
    assert caught.value.status_code == 401
    assert str(caught.value) == "Invalid API Key"
    assert llamacpp.api_key not in str(caught.value)
