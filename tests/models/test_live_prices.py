"""Live model listing against the fake xAI server: prices when the server has them, else /models."""

from __future__ import annotations

import pytest

from playground.models.data.live_prices import describe_model, fetch_live_catalog
from tests.fake_xai import FakeXai, flat_error
from xai_core import XaiClient


@pytest.fixture
def client(fake_xai: FakeXai):
    with XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url, max_retries=0) as c:
        yield c


def test_xai_lists_priced_language_and_embedding_models(client):
    catalog = fetch_live_catalog(client)
    assert catalog.has_prices and catalog.priced
    assert "grok-3-mini" in [m.id for m in catalog.language]
    assert [m.id for m in catalog.embedding] == ["v1"]


def test_server_without_language_models_lists_models_without_prices(client, fake_xai):
    fake_xai.fail_next(404, flat_error("Not Found", "no route"), path="/v1/language-models")
    catalog = fetch_live_catalog(client)
    assert not catalog.has_prices and not catalog.priced
    assert {m.kind for m in catalog.language} == {"listed"}
    assert "grok-2-image-1212" in [m.id for m in catalog.language]
    assert catalog.embedding == ()


def test_missing_embedding_models_are_an_empty_list(client, fake_xai):
    fake_xai.fail_next(403, flat_error("Forbidden", "no"), path="/v1/embedding-models")
    catalog = fetch_live_catalog(client)
    assert catalog.has_prices and catalog.embedding == ()


def test_zero_prices_are_not_priced(client, fake_xai):
    free = {"id": "free", "prompt_text_token_price": 0, "completion_text_token_price": 0}
    body = {"models": [free]}
    fake_xai.fail_next(200, body, path="/v1/language-models")
    catalog = fetch_live_catalog(client)
    assert catalog.has_prices and not catalog.priced


def test_describe_uses_the_endpoint_that_listed_the_model(client, fake_xai):
    catalog = fetch_live_catalog(client)
    mini = next(m for m in catalog.language if m.id == "grok-3-mini")
    assert describe_model(client, mini).id == "grok-3-mini"
    assert describe_model(client, catalog.embedding[0]).id == "v1"
    paths = [r.path for r in fake_xai.requests]
    assert "/v1/language-models/grok-3-mini" in paths and "/v1/embedding-models/v1" in paths
