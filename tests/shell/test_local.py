"""With no xAI configuration the app uses the local backend; an xAI key switches to xAI."""

from __future__ import annotations

import pytest

from local_backend.launcher import LocalBackendProcess
from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai
from tests.shell.status_line import status_line


def test_sidebar_says_local_and_lists_the_local_models(env_local: LocalBackendProcess) -> None:
    at = new_app().run()
    assert not at.exception
    assert at.sidebar.radio(key="backend").value == "local"
    assert status_line(at) == "Local (offline) · ready"
    assert "Local (offline)" in texts(at.sidebar.success)
    captions = " ".join(texts(at.sidebar.caption))
    assert "gemma-3-270m" in captions and "all-minilm-l6-v2" in captions
    assert env_local.api_key not in " ".join(texts(at.sidebar.caption, at.sidebar.success))


def test_models_page_lists_the_two_local_models(env_local: LocalBackendProcess) -> None:
    at = new_app().run()
    at.switch_page("playground/models/page.py").run()
    assert not at.exception
    language, embedding = at.dataframe
    local = language.value[language.value["source"] == "local"]  # xAI's snapshot rows follow
    assert local["model"].tolist() == ["qwen2.5-coder-0.5b-instruct", "gemma-3-270m"]
    assert local["input $/1M"].tolist() == [0.0, 0.0]
    assert embedding.value["model"].tolist() == ["all-minilm-l6-v2"]


def test_typing_an_xai_key_switches_to_xai(
    env_local: LocalBackendProcess, fake_xai: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = new_app().run()
    assert at.sidebar.radio(key="backend").value == "local"
    monkeypatch.setenv("XAI_BASE_URL", fake_xai.base_url)  # "xAI" is the fake, not the internet
    at.sidebar.text_input(key="api_key").input(fake_xai.api_key).run()
    assert at.sidebar.radio(key="backend").value == "xai"
    assert status_line(at) == "xAI · key ok"
    assert any("playground-test-key" in t for t in texts(at.sidebar.success))
