"""Every endpoint round-trips against recorded payloads; requests carry exactly what was set."""

from __future__ import annotations

import json

import httpx
import numpy as np
import pytest

from tests.xai_core.conftest import API_KEY, BASE_URL, fixture_json
from xai_core import (
    ApiKeyInfo,
    EmbeddingModel,
    LanguageModel,
    Model,
    XaiClient,
)

ROUTES = {
    ("GET", "/v1/api-key"): "api_key.json",
    ("GET", "/v1/models"): "models.json",
    ("GET", "/v1/models/grok-3-mini"): "model_grok-3-mini.json",
    ("GET", "/v1/language-models"): "language_models.json",
    ("GET", "/v1/language-models/grok-3-mini"): "language_model_grok-3-mini.json",
    ("GET", "/v1/embedding-models"): "embedding_models.json",
    ("GET", "/v1/embedding-models/v1"): "embedding_model_v1.json",
    ("POST", "/v1/chat/completions"): "chat_completion.json",
    ("POST", "/v1/completions"): "completion.json",
    ("POST", "/v1/embeddings"): "embeddings_float.json",
}


def route(request: httpx.Request) -> httpx.Response:
    name = ROUTES.get((request.method, request.url.path))
    if name is None:
        return httpx.Response(404, json={"code": "Not found", "error": "no route"})
    return httpx.Response(200, json=fixture_json(name))


def test_api_key_details(serve):
    info = serve(route).client().get_api_key()
    assert isinstance(info, ApiKeyInfo)
    assert info.name == "playground-test-key"
    assert info.redacted_api_key == "xai-...b7Qx"
    assert info.acls == ["api-key:model:*", "api-key:endpoint:*"]
    assert info.usable


def test_list_models_reads_data(serve):
    models = serve(route).client().list_models()
    assert all(isinstance(m, Model) for m in models)
    assert [m.id for m in models][:2] == ["grok-4.3", "grok-4.20-0309-reasoning"]
    assert models[0].owned_by == "xai"


def test_get_model(serve):
    assert serve(route).client().get_model("grok-3-mini").id == "grok-3-mini"


def test_language_models_read_models_key_and_keep_optional_fields_optional(serve):
    models = {m.id: m for m in serve(route).client().list_language_models()}
    assert isinstance(models["grok-3-mini"], LanguageModel)
    mini = models["grok-3-mini"]
    assert mini.prompt_text_token_price == 3000
    assert mini.max_prompt_length == 131072
    assert mini.input_modalities == ["text"]
    build = models["grok-build-0.1"]
    assert build.max_prompt_length is None
    # xAI's spec requires the cached price on /v1/language-models; an older answer without it
    # still parses, the price unknown
    older = fixture_json("language_models.json")["models"][3]
    del older["cached_prompt_text_token_price"]
    assert LanguageModel.model_validate(older).prices.cached_input is None


def test_get_language_model(serve):
    model = serve(route).client().get_language_model("grok-3-mini")
    assert model.completion_text_token_price == 5000


def test_embedding_models(serve):
    recorder = serve(route)
    models = recorder.client().list_embedding_models()
    assert [type(m) for m in models] == [EmbeddingModel]
    assert recorder.client().get_embedding_model("v1").id == "v1"


def test_empty_embedding_model_list(serve):
    recorder = serve(lambda r: httpx.Response(200, json={"models": []}))
    assert recorder.client().list_embedding_models() == []


def test_model_ids_are_escaped_in_paths(serve):
    recorder = serve(lambda r: httpx.Response(200, json={"id": "a/b"}))
    recorder.client().get_model("a/b")
    assert recorder.requests[0].url.raw_path == b"/v1/models/a%2Fb"


def test_chat_completion_parses_xai_usage(serve):
    recorder = serve(route)
    reply = recorder.client().chat(
        model="grok-4-fast", messages=[{"role": "user", "content": "Olá"}]
    )
    assert reply.model == "grok-4-fast-reasoning"  # the resolved name
    assert reply.content == "Olá!"
    assert reply.choices[0].finish_reason == "stop"
    usage = reply.usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.cached_tokens) == (165, 156)
    assert (usage.completion_tokens, usage.reasoning_tokens) == (2, 125)
    assert usage.output_tokens == 127  # reasoning counted once, on top of completion
    assert usage.cost_in_usd_ticks == 731000
    assert reply.system_fingerprint == "fp_3d7ed3b779"


def test_only_parameters_that_were_set_are_sent(serve):
    recorder = serve(route)
    messages = [{"role": "user", "content": "hi"}]
    recorder.client().chat(model="m", messages=messages, temperature=0.0, seed=7, stop=None)
    assert recorder.last_body == {
        "model": "m",
        "messages": messages,
        "temperature": 0.0,
        "seed": 7,
    }


def test_every_chat_parameter_is_forwarded(serve):
    recorder = serve(route)
    params = {
        "frequency_penalty": 0.5,
        "logit_bias": {"42": -100.0},
        "logprobs": True,
        "max_tokens": 10,
        "max_completion_tokens": 20,
        "n": 2,
        "presence_penalty": -0.5,
        "reasoning_effort": "low",
        "response_format": {"type": "json_object"},
        "seed": 1,
        "stop": ["\n\n"],
        "stream_options": {"include_usage": True},
        "temperature": 1.2,
        "tool_choice": "auto",
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
        "top_logprobs": 3,
        "top_p": 0.9,
        "user": "u-1",
    }
    recorder.client().chat(model="m", messages=[], **params)
    assert recorder.last_body == {"model": "m", "messages": [], **params}


def test_every_completion_parameter_is_forwarded(serve):
    recorder = serve(route)
    params = {
        "best_of": 3,
        "echo": True,
        "frequency_penalty": 0.1,
        "logit_bias": {"7": 2.0},
        "logprobs": 2,
        "max_tokens": 5,
        "n": 2,
        "presence_penalty": 0.2,
        "seed": 3,
        "stop": "END",
        "stream_options": {"include_usage": True},
        "suffix": "!",
        "temperature": 0.7,
        "top_p": 0.5,
        "user": "u",
    }
    completion = recorder.client().complete(model="m", prompt="The", **params)
    assert recorder.last_body == {"model": "m", "prompt": "The", **params}
    assert completion.text == " the quick brown fox"
    logprobs = completion.choices[0].logprobs
    assert logprobs is not None
    assert logprobs.tokens == [" the", " quick", " brown", " fox"]
    assert logprobs.top_logprobs is not None
    assert logprobs.top_logprobs[1] == {" quick": -1.25, " lazy": -1.75}


def test_unknown_parameter_is_a_type_error_and_sends_nothing(serve):
    recorder = serve(route)
    with pytest.raises(TypeError, match="temprature"):
        recorder.client().chat(model="m", messages=[], temprature=1.0)  # type: ignore[call-arg]
    assert recorder.requests == []


def test_extra_body_reaches_the_server(serve):
    recorder = serve(route)
    recorder.client().chat(model="m", messages=[], extra_body={"search_parameters": {"mode": "on"}})
    assert recorder.last_body["search_parameters"] == {"mode": "on"}


def test_embeddings_float(serve):
    recorder = serve(route)
    result = recorder.client().embed(model="v1", input=["a", "b"], dimensions=4)
    assert recorder.last_body == {"model": "v1", "input": ["a", "b"], "dimensions": 4}
    vectors = result.vectors()
    assert vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors[0], [0.5, -0.25, 0.125, 1.0])
    assert result.usage is not None and result.usage.prompt_tokens == 7


def test_embeddings_base64_decode_to_the_same_float32_vectors(serve):
    floats = serve(route).client().embed(model="v1", input=["a", "b"]).vectors()
    recorder = serve(lambda r: httpx.Response(200, json=fixture_json("embeddings_base64.json")))
    decoded = recorder.client().embed(model="v1", input=["a", "b"], encoding_format="base64")
    assert recorder.last_body["encoding_format"] == "base64"
    assert decoded.vectors().dtype == np.float32
    np.testing.assert_array_equal(decoded.vectors(), floats)


def test_embeddings_are_returned_in_input_order(serve):
    payload = fixture_json("embeddings_float.json")
    payload["data"].reverse()
    result = serve(lambda r: httpx.Response(200, json=payload)).client().embed(model="v", input="x")
    np.testing.assert_array_equal(result.vectors()[1], [-1.0, 0.75, 0.0, -0.0625])


def test_unknown_response_fields_are_kept(serve):
    payload = fixture_json("chat_completion.json")
    payload["brand_new_field"] = {"x": 1}
    reply = serve(lambda r: httpx.Response(200, json=payload)).client().chat(model="m", messages=[])
    assert reply.model_extra == {"brand_new_field": {"x": 1}}


def test_reasoning_is_also_read_from_the_vllm_name(serve):
    payload = fixture_json("chat_completion.json")
    payload["choices"][0]["message"]["reasoning"] = "thought"
    reply = serve(lambda r: httpx.Response(200, json=payload)).client().chat(model="m", messages=[])
    assert reply.choices[0].message.reasoning_content == "thought"


def test_the_key_is_sent_per_request_and_never_kept_on_the_shared_http_client(serve):
    recorder = serve(route)
    client = recorder.client()
    client.list_models()
    assert recorder.requests[0].headers["authorization"] == f"Bearer {API_KEY}"
    shared = client._http
    assert "authorization" not in shared.headers
    other = XaiClient(api_key="other-key", base_url=BASE_URL, http_client=shared)
    other.list_models()
    assert recorder.requests[1].headers["authorization"] == "Bearer other-key"
    assert API_KEY not in repr(client)


def test_configuration_comes_from_the_environment_when_not_given():
    env = {"XAI_API_KEY": "env-key", "XAI_BASE_URL": "http://127.0.0.1:9/v1/"}
    client = XaiClient(env=env)
    assert client.base_url == "http://127.0.0.1:9/v1"
    assert client.has_api_key
    assert XaiClient(env={}).base_url == "https://api.x.ai/v1"
    assert not XaiClient(env={}).has_api_key
    assert XaiClient(api_key="given", base_url="http://h/v1", env=env).base_url == "http://h/v1"


def test_wire_format_is_json(serve):
    recorder = serve(route)
    recorder.client().chat(model="m", messages=[{"role": "user", "content": "é"}])
    assert recorder.requests[0].headers["content-type"] == "application/json"
    assert json.loads(recorder.requests[0].content)["messages"][0]["content"] == "é"
