"""AppTest smoke tests: every page renders, and the sidebar tells the server's word on the key."""

from __future__ import annotations

import pytest

from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai
from tests.shell.status_line import status_line

WRONG_KEY = "wrong-key-123456"
PAGES = [
    ("playground/chat/page.py", "Chat"),
    ("playground/completions/page.py", "Completions"),
    ("playground/embeddings/page.py", "Embeddings"),
    ("playground/models/page.py", "Models & pricing"),
]


@pytest.mark.parametrize(("page", "title"), PAGES, ids=[p for p, _ in PAGES])
def test_page_renders(env_fake: FakeXai, page: str, title: str) -> None:
    at = new_app().run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert title in texts(at.title)
    # The router (app.py) still draws the connection panel on the page switched to.
    assert any("playground-test-key" in t for t in texts(at.sidebar.success))


def test_sidebar_names_the_key(env_fake: FakeXai) -> None:
    at = new_app().run()
    assert not at.exception
    assert status_line(at) == "xAI · key ok"  # the one line shown; its settings say more:
    assert any("Connected as playground-test-key" in t for t in texts(at.sidebar.success))
    assert [r.path for r in env_fake.requests].count("/v1/api-key") == 1


def test_wrong_typed_key_shows_server_message(env_fake: FakeXai) -> None:
    at = new_app().run()
    at.sidebar.text_input(key="api_key").input(WRONG_KEY).run()
    assert not at.exception
    errors = texts(at.sidebar.error)
    assert any("Incorrect API key" in t for t in errors), errors
    assert status_line(at) == "xAI · key refused"
    assert not any("playground-test-key" in t for t in texts(at.success))
    rendered = texts(at.error, at.markdown, at.caption, at.success, at.info, at.warning, at.title)
    assert all(WRONG_KEY not in t for t in rendered)
    assert any(r.path == "/v1/api-key" and r.auth == "invalid" for r in env_fake.requests)


def test_no_key_asks_for_one(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai) -> None:
    monkeypatch.setenv("XAI_BASE_URL", fake_xai.base_url)
    monkeypatch.delenv("XAI_API_KEY", raising=False)
    at = new_app().run()
    assert not at.exception
    infos = texts(at.sidebar.info)
    assert any("Enter an xAI API key" in t for t in infos), infos
    assert status_line(at) == "xAI · no key"
    assert not at.sidebar.success
    assert all(r.path != "/v1/api-key" for r in fake_xai.requests)


def test_custom_backend_connects(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai) -> None:
    monkeypatch.delenv("XAI_BASE_URL", raising=False)
    monkeypatch.setenv("XAI_API_KEY", fake_xai.api_key)
    at = new_app().run()
    at.sidebar.radio(key="backend").set_value("custom").run()
    at.sidebar.text_input(key="custom_base_url").input(fake_xai.base_url).run()
    assert not at.exception
    # the operator's XAI_API_KEY never goes to a URL typed in the sidebar
    assert {r.auth for r in fake_xai.requests} == {"missing"}
    assert texts(at.sidebar.error), "the fake server should refuse a request without a key"
    assert status_line(at) == "Custom · key refused"
    at.sidebar.text_input(key="api_key").input(fake_xai.api_key).run()
    successes = texts(at.sidebar.success)
    assert any("Connected" in t for t in successes), (successes, texts(at.sidebar.error))
    assert status_line(at) == "Custom · key ok"


def test_models_page_lists_language_models(env_fake: FakeXai) -> None:
    at = new_app().run()
    at.switch_page("playground/models/page.py").run()
    assert not at.exception
    language, embedding = at.dataframe[:2]  # then the models only /v1/models lists
    models = language.value["model"].tolist()
    assert "grok-3-mini" in models, models
    assert embedding.value["model"].tolist() == ["v1"]
    assert any(r.path == "/v1/language-models" for r in env_fake.requests)
