"""The official openai SDK, pointed at the local backend, works as it would against any server."""

from __future__ import annotations

import pytest

from local_backend.launcher import LocalBackendProcess

openai = pytest.importorskip("openai")

LLM = "gemma-3-270m"


@pytest.fixture(scope="module")
def sdk(local_server: LocalBackendProcess):
    return openai.OpenAI(
        base_url=local_server.base_url, api_key=local_server.api_key, max_retries=0
    )


def test_lists_models(sdk):
    ids = {m.id for m in sdk.models.list()}
    assert ids == {"qwen2.5-coder-0.5b-instruct", LLM, "all-minilm-l6-v2"}


def test_streams_a_chat_completion(sdk):
    stream = sdk.chat.completions.create(
        model=LLM,
        messages=[{"role": "user", "content": "Name a colour."}],
        max_tokens=12,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip()
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0


def test_completion_with_logprobs(sdk):
    completion = sdk.completions.create(model=LLM, prompt="Hello", max_tokens=4, logprobs=2)
    logprobs = completion.choices[0].logprobs
    assert len(logprobs.tokens) == len(logprobs.token_logprobs) > 0
    assert all(len(top) <= 2 for top in logprobs.top_logprobs)


def test_creates_embeddings(sdk):
    result = sdk.embeddings.create(model="all-minilm-l6-v2", input=["a cat", "a dog"])
    assert len(result.data) == 2 and len(result.data[0].embedding) == 384
    assert result.usage.prompt_tokens > 0


def test_sdk_reads_errors(sdk):
    with pytest.raises(openai.NotFoundError):
        sdk.chat.completions.create(model="grok-9", messages=[{"role": "user", "content": "x"}])
