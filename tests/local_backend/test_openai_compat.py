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


# ------------------------------------------------------------------ the Responses API

CHAT = "qwen2.5-coder-0.5b-instruct"  # instruction-tuned: answers "Paris" (docs/local-models.md)


def test_responses_create(sdk):
    response = sdk.responses.create(
        model=CHAT,
        input="What is the capital of France? Answer with one word.",
        instructions="Answer briefly.",
        temperature=0,
        max_output_tokens=16,
    )
    assert "paris" in response.output_text.lower()
    assert response.status == "completed" and response.model == CHAT
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens


def test_responses_stream(sdk):
    stream = sdk.responses.create(
        model=CHAT,
        input="Name a colour. One word.",
        temperature=0,
        max_output_tokens=8,
        stream=True,
    )
    events = list(stream)
    kinds = [event.type for event in events]
    assert kinds[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert kinds[-1] in ("response.completed", "response.incomplete")
    assert [event.sequence_number for event in events] == list(range(len(events)))
    text = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    assert text.strip() and text == events[-1].response.output_text


def test_responses_previous_response_id_remembers_the_first_turn(sdk):
    first = sdk.responses.create(
        model=CHAT,
        input="My name is Zoltan. Reply with OK.",
        temperature=0,
        max_output_tokens=8,
    )
    second = sdk.responses.create(
        model=CHAT,
        input=[{"role": "user", "content": "What is my name? Answer with one word."}],
        previous_response_id=first.id,
        temperature=0,
        max_output_tokens=8,
    )
    assert "zoltan" in second.output_text.lower()
    assert second.previous_response_id == first.id
    assert second.usage.input_tokens > first.usage.input_tokens  # the first turn was in the prompt
    assert sdk.responses.retrieve(second.id).output_text == second.output_text
    assert [item.type for item in sdk.responses.input_items.list(second.id).data] == ["message"]
    sdk.responses.delete(first.id)
    with pytest.raises(openai.NotFoundError):
        sdk.responses.retrieve(first.id)


def test_responses_server_side_tools_need_xai(sdk):
    with pytest.raises(openai.BadRequestError) as raised:
        sdk.responses.create(model=CHAT, input="news?", tools=[{"type": "web_search"}])
    # xAI's flat error body: the SDK's message is only "Error code: 400"; the text is in the body
    assert "xAI's servers" in raised.value.response.json()["error"]
