"""The one model catalog: the type every page uses, built from each endpoint's entries, and the one
"/language-models, else /models" fallback (against the fake xAI server)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from playground.core.catalog import (
    Catalog,
    ModelInfo,
    describe_model,
    fetch_catalog,
    from_embedding_model,
    from_language_model,
    from_listed_model,
    price_label,
    with_known_tiers,
)
from tests.fake_xai import LOCAL_CATALOG, FakeXai, flat_error, load_json
from xai_core import EmbeddingModel, LanguageModel, Model, ModelPrices, XaiClient


@pytest.fixture
def client(fake_xai: FakeXai) -> Iterator[XaiClient]:
    with XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, max_retries=0) as c:
        yield c


def fixture_model(model_id: str) -> LanguageModel:
    entries = load_json("language_models.json")["models"]
    return LanguageModel.model_validate(next(m for m in entries if m["id"] == model_id))


# --- the type ----------------------------------------------------------------------------------


def test_a_language_model_keeps_the_raw_price_integers_and_its_context() -> None:
    model = from_language_model(fixture_model("grok-3-mini"))
    assert model.kind == "language"
    assert model.prices == ModelPrices(input=3000, cached_input=750, output=5000, image_input=0)
    assert model.context_length == 131_072
    assert not model.prices.has_long_context and model.status is None


def test_images_are_accepted_when_the_input_modalities_say_so() -> None:
    assert from_language_model(fixture_model("grok-4.3")).accepts_images
    assert not from_language_model(fixture_model("grok-3-mini")).accepts_images
    assert not ModelInfo("bare").accepts_images


def test_snapshot_facts_ride_along_with_a_language_entry() -> None:
    model = from_language_model(fixture_model("grok-4.3"), status="current")
    assert model.status == "current"


TIERED = {
    "prompt_text_token_price_long_context": 25000,
    "cached_prompt_text_token_price_long_context": 4000,
    "completion_text_token_price_long_context": 50000,
    "long_context_threshold": 200_000,
}


def test_a_language_model_carries_its_long_context_tier() -> None:
    entry = load_json("language_models.json")["models"][0] | TIERED
    prices = from_language_model(LanguageModel.model_validate(entry)).prices
    assert prices.has_long_context and prices.long_context_threshold == 200_000
    assert prices.for_prompt(200_000) == ModelPrices(25000, 4000, 50000, 12500)
    no_tier = entry | dict.fromkeys(TIERED, 0)  # /v1/language-models' "no tier"
    assert not from_language_model(LanguageModel.model_validate(no_tier)).prices.has_long_context


def test_known_tiers_fill_models_listed_without_one_scaled_to_their_prices() -> None:
    standard = ModelPrices(input=12500, cached_input=2000, output=25000)
    tiered = replace(standard, input_long_context=25000, cached_input_long_context=4000,
                     output_long_context=50000, long_context_threshold=200_000)  # fmt: skip
    known = ModelInfo("grok-4.3", aliases=("grok-4",), prices=tiered)
    repriced = ModelInfo("grok-4", prices=ModelPrices(input=10000, cached_input=1000, output=20000))
    free = ModelInfo("grok-4.3", prices=ModelPrices(input=0, output=0))
    other = ModelInfo("llama", prices=ModelPrices(input=5, output=5))
    filled, still_free, untouched = with_known_tiers([repriced, free, other], [known])
    assert filled.prices.for_prompt(250_000) == ModelPrices(20000, 2000, 40000)  # x2 stays x2
    assert filled.prices.for_prompt(199_999) == filled.prices
    assert still_free == free and untouched == other
    own = ModelInfo("grok-4.3", prices=replace(known.prices, input_long_context=30000))
    assert with_known_tiers([own], [known]) == [own]  # the server's own tier wins


def test_an_embedding_model_has_input_prices_only() -> None:
    entry = EmbeddingModel(id="v1", prompt_text_token_price=1000, prompt_image_token_price=2000)
    model = from_embedding_model(entry)
    assert model.kind == "embedding"
    assert model.prices == ModelPrices(input=1000, image_input=2000)
    assert model.context_length is None


def test_a_listed_model_has_an_id_and_an_owner_but_no_prices_or_modalities() -> None:
    model = from_listed_model(Model(id="llama-3", created=7, owned_by="me"))
    assert (model.id, model.kind, model.owned_by, model.created) == ("llama-3", "listed", "me", 7)
    assert model.prices == ModelPrices() and model.input_modalities == ()


SPEC_MODEL = {  # xAI's OpenAPI example of a /v1/models entry (2026)
    "id": "grok-420-reasoning",
    "aliases": ["grok-420"],
    "context_length": 256000,
    "created": 1768003200,
    "object": "model",
    "owned_by": "xai",
    "prompt_text_token_price": 20000,
    "cached_prompt_text_token_price": 2000,
    "prompt_image_token_price": 0,
    "completion_text_token_price": 80000,
    "prompt_text_token_price_long_context": 40000,
    "completion_text_token_price_long_context": 160000,
    "long_context_threshold": 128000,
    "capabilities": {"reasoning_effort": ["low", "medium", "high", "xhigh"],
                     "default_reasoning_effort": "high"},
}  # fmt: skip


def test_a_listed_model_with_the_2026_fields_has_aliases_prices_tier_and_capabilities() -> None:
    model = from_listed_model(Model.model_validate(SPEC_MODEL))
    assert model.aliases == ("grok-420",) and model.context_length == 256_000
    assert model.prices.input == 20000 and model.prices.long_context_threshold == 128_000
    long = model.prices.for_prompt(128_000)
    assert (long.input, long.cached_input, long.output) == (40000, 2000, 160000)  # cached: no tier
    assert model.reasoning_efforts == ("low", "medium", "high", "xhigh")
    assert model.default_reasoning_effort == "high"


def test_price_label_shows_input_and_output_per_million_or_just_the_id() -> None:
    mini = from_language_model(fixture_model("grok-3-mini"))
    assert price_label(mini) == "grok-3-mini · $0.30 / $0.50 per 1M"
    assert price_label(ModelInfo("mystery", prices=ModelPrices(input=1))) == "mystery"


def test_a_catalog_is_priced_only_when_some_price_is_not_zero() -> None:
    free = ModelInfo("free", prices=ModelPrices(0, 0, 0))
    paid = ModelInfo("paid", prices=ModelPrices(input=1, output=0))
    assert not Catalog((free,), (), has_prices=True).priced
    assert Catalog((free, paid), (), has_prices=True).priced
    assert not Catalog((ModelInfo("listed", kind="listed"),), (), has_prices=False).priced


# --- the one fallback --------------------------------------------------------------------------


def test_xai_lists_priced_language_models_and_embeddings_on_request(client: XaiClient) -> None:
    catalog = fetch_catalog(client, embeddings=True)
    assert catalog.has_prices and catalog.priced
    assert "grok-3-mini" in [m.id for m in catalog.language]
    assert {m.kind for m in catalog.language} == {"language"}
    assert [m.id for m in catalog.embedding] == ["v1"]


def test_language_models_alone_do_not_ask_for_embeddings(
    client: XaiClient, fake_xai: FakeXai
) -> None:
    catalog = fetch_catalog(client)
    assert catalog.has_prices and catalog.embedding == ()
    assert [r.path for r in fake_xai.requests] == ["/v1/language-models"]


def _unpriced_models() -> dict[str, object]:
    """``/v1/models`` as an OpenAI-compatible server without prices lists it (ids only)."""
    listing = load_json("models.json")
    keep = ("id", "aliases", "created", "object", "owned_by")
    return {**listing, "data": [{k: m[k] for k in keep if k in m} for m in listing["data"]]}


@pytest.mark.parametrize(("status", "error"), [(404, "Not Found"), (403, "Forbidden")])
def test_server_without_language_models_falls_back_to_models(
    client: XaiClient, fake_xai: FakeXai, status: int, error: str
) -> None:
    fake_xai.fail_next(status, flat_error(error, "no route"), path="/v1/language-models")
    fake_xai.answer_next(_unpriced_models(), path="/v1/models")
    catalog = fetch_catalog(client, embeddings=True)
    assert not catalog.has_prices and not catalog.priced
    assert {m.kind for m in catalog.language} == {"listed"}
    assert "grok-2-image-1212" in [m.id for m in catalog.language]
    assert catalog.embedding == ()
    assert [r.path for r in fake_xai.requests] == ["/v1/language-models", "/v1/models"]


def test_models_list_with_prices_is_a_priced_catalog(client: XaiClient, fake_xai: FakeXai) -> None:
    """xAI's 2026 ``/v1/models`` carries prices: a fallback to it still compares prices."""
    fake_xai.fail_next(404, flat_error("Not Found", "no route"), path="/v1/language-models")
    catalog = fetch_catalog(client)
    assert catalog.has_prices and catalog.priced
    grok = next(m for m in catalog.language if m.id == "grok-4.3")
    assert grok.prices.input and grok.prices.long_context_threshold


def test_other_errors_are_not_hidden_by_the_fallback(client: XaiClient, fake_xai: FakeXai) -> None:
    fake_xai.fail_next(500, flat_error("Internal", "boom"), path="/v1/language-models")
    with pytest.raises(Exception, match="boom"):
        fetch_catalog(client)
    assert "/v1/models" not in [r.path for r in fake_xai.requests]


def test_missing_embedding_models_are_an_empty_list(client: XaiClient, fake_xai: FakeXai) -> None:
    fake_xai.fail_next(403, flat_error("Forbidden", "no"), path="/v1/embedding-models")
    catalog = fetch_catalog(client, embeddings=True)
    assert catalog.has_prices and catalog.embedding == ()


def test_zero_prices_are_not_priced(client: XaiClient, fake_xai: FakeXai) -> None:
    free = {"id": "free", "prompt_text_token_price": 0, "completion_text_token_price": 0}
    fake_xai.fail_next(200, {"models": [free]}, path="/v1/language-models")
    catalog = fetch_catalog(client, embeddings=True)
    assert catalog.has_prices and not catalog.priced


def test_describe_uses_the_endpoint_that_listed_the_model(
    client: XaiClient, fake_xai: FakeXai
) -> None:
    catalog = fetch_catalog(client, embeddings=True)
    mini = next(m for m in catalog.language if m.id == "grok-3-mini")
    assert describe_model(client, mini).id == "grok-3-mini"
    assert describe_model(client, catalog.embedding[0]).id == "v1"
    assert describe_model(client, ModelInfo("grok-3-mini", kind="listed")).id == "grok-3-mini"
    paths = [r.path for r in fake_xai.requests]
    assert "/v1/language-models/grok-3-mini" in paths and "/v1/embedding-models/v1" in paths
    assert "/v1/models/grok-3-mini" in paths


# --- what the server says a model is for and can do -----------------------------------------------


def test_a_local_catalog_carries_purpose_description_and_capabilities(
    client: XaiClient, fake_xai: FakeXai
) -> None:
    fake_xai.set_catalog(LOCAL_CATALOG)
    catalog = fetch_catalog(client, embeddings=True)
    chat, base = catalog.language  # the embedding model is not a text model
    assert (chat.id, chat.purpose, base.purpose) == ("qwen2.5-coder-0.5b-instruct", "chat", "base")
    assert chat.description is not None and "can be wrong" in chat.description
    assert chat.reasoning_efforts == () and chat.takes_tools is False
    assert chat.context_length == 4096
    [embedding] = catalog.embedding
    assert (embedding.id, embedding.purpose) == ("all-minilm-l6-v2", "embedding")


def test_the_models_fallback_leaves_embedding_models_out_and_keeps_what_they_say(
    client: XaiClient, fake_xai: FakeXai
) -> None:
    fake_xai.set_catalog(LOCAL_CATALOG)
    fake_xai.fail_next(404, flat_error("Not Found", "no route"), path="/v1/language-models")
    catalog = fetch_catalog(client)
    assert [m.id for m in catalog.language] == ["qwen2.5-coder-0.5b-instruct", "gemma-3-270m"]
    assert catalog.language[0].takes_tools is False
    assert catalog.language[0].context_length == 4096


def test_a_server_that_says_nothing_leaves_capabilities_unknown() -> None:
    model = from_language_model(fixture_model("grok-4.3"))
    assert model.purpose is None and model.description is None
    assert model.reasoning_efforts is None and model.takes_tools is None
    listed = from_listed_model(
        Model.model_validate(
            {"id": "m", "capabilities": {"reasoning_effort": ["low"], "tools": True}}
        )
    )
    assert listed.reasoning_efforts == ("low",) and listed.takes_tools is True
