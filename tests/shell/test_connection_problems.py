"""A connection that cannot be used (a refused key, no key): the Chat page keeps its conversation
and export with the error in place; the pages that cannot work say why and offer "Use Local
(offline)", which switches the session to the local backend."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai
from tests.shell.status_line import status_line

WRONG_KEY = "wrong-key-123456"
PAGES_NEEDING_A_SERVER = ["playground/completions/page.py", "playground/embeddings/page.py"]


def downloaded(at: AppTest, label: str, files: dict[str, bytes]) -> str:
    button = next(b for b in at.sidebar.get("download_button") if b.proto.label == label)
    assert not button.proto.disabled
    return files[button.proto.url.rsplit("/", 1)[-1].split(".")[0]].decode()


def shown_messages(at: AppTest) -> list[str]:
    """Each chat message's last text (a reply's answer comes after its thinking)."""
    return [texts(m.markdown)[-1] for m in at.chat_message]


def use_local_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.main.button if b.key == "_use_local_backend"]


@pytest.fixture
def local_is_the_fake(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai) -> FakeXai:
    """The app's "local backend" is the fake server with its valid key (no model runs here)."""
    monkeypatch.setenv("LOCAL_BACKEND_URL", fake_xai.base_url)
    monkeypatch.setenv("LOCAL_API_KEY", fake_xai.api_key)
    return fake_xai


def test_a_wrong_typed_key_keeps_the_chat_conversation_and_its_export(
    env_fake: FakeXai, downloads: dict[str, bytes]
) -> None:
    at = new_app().run()  # the Chat page
    at.chat_input[0].set_value("Olá").run()
    assert shown_messages(at) == ["Olá", "Olá!"]
    at.sidebar.text_input(key="api_key").input(WRONG_KEY).run()
    assert not at.exception, [e.value for e in at.exception]
    # the error in place, on the page, and under the sidebar's status line
    assert any("Incorrect API key" in t for t in texts(at.main.error)), texts(at.main.error)
    assert any("Incorrect API key" in t for t in texts(at.sidebar.error))
    assert not any("Connect to a server" in t for t in texts(at.info, at.error))
    # the conversation stays in view, and its export holds it
    assert shown_messages(at) == ["Olá", "Olá!"]
    exported = json.loads(downloaded(at, "Export JSON", downloads))
    assert [m["content"] for m in exported["messages"]][-2:] == ["Olá", "Olá!"]
    assert "Olá!" in downloaded(at, "Export Markdown", downloads)
    assert use_local_buttons(at) == ["Use Local (offline)"]
    rendered = " ".join(texts(at.error, at.markdown, at.caption, at.info, at.success))
    assert WRONG_KEY not in rendered


def test_chat_with_no_key_says_so_in_place_and_keeps_the_page(
    monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai
) -> None:
    monkeypatch.setenv("XAI_BASE_URL", fake_xai.base_url)
    at = new_app()
    at.session_state["backend"] = "xai"
    at.run()
    assert not at.exception
    assert any("Enter an xAI API key" in t for t in texts(at.main.info)), texts(at.main.info)
    assert "Export / import" in [e.label for e in at.sidebar.expander]
    assert use_local_buttons(at) == ["Use Local (offline)"]


@pytest.mark.parametrize("page", PAGES_NEEDING_A_SERVER)
def test_a_page_that_needs_a_server_offers_the_local_backend(
    env_fake: FakeXai, local_is_the_fake: FakeXai, page: str
) -> None:
    at = new_app()
    at.session_state["backend"] = "xai"
    at.run()
    at.sidebar.text_input(key="api_key").input(WRONG_KEY).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Incorrect API key" in t for t in texts(at.main.error)), texts(at.main.error)
    assert use_local_buttons(at) == ["Use Local (offline)"]
    next(b for b in at.main.button if b.key == "_use_local_backend").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["backend"] == "local"
    assert at.sidebar.radio(key="backend").value == "local"
    assert not texts(at.main.error) and not use_local_buttons(at)
    assert status_line(at) == "Local (offline) · ready"


def test_no_local_button_when_the_deployment_does_not_offer_it(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "xai,custom")
    at = new_app().run()
    at.sidebar.text_input(key="api_key").input(WRONG_KEY).run()
    at.switch_page("playground/completions/page.py").run()
    assert not at.exception
    assert any("Incorrect API key" in t for t in texts(at.main.error))
    assert use_local_buttons(at) == []


def test_a_key_the_server_refuses_with_401_keeps_the_conversation_too(env_fake: FakeXai) -> None:
    at = new_app().run()
    at.chat_input[0].set_value("Olá").run()
    env_fake.fail_next(401, {"code": "x", "error": "The key was revoked."}, path="/v1/api-key")
    next(b for b in at.sidebar.button if b.key == "_recheck_connection").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert status_line(at) == "xAI · key refused"
    assert any("The key was revoked." in t for t in texts(at.sidebar.error))
    assert any("The key was revoked." in t for t in texts(at.main.error))
    assert shown_messages(at) == ["Olá", "Olá!"]


def test_an_unreachable_server_shows_without_opening_the_settings(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = new_app().run()
    at.chat_input[0].set_value("Olá").run()
    monkeypatch.setenv("XAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    next(b for b in at.sidebar.button if b.key == "_recheck_connection").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert status_line(at) == "xAI · unreachable"
    assert any("Could not reach" in t for t in texts(at.sidebar.error)), texts(at.sidebar.error)
    assert any("Could not reach" in t for t in texts(at.main.error))
    assert shown_messages(at) == ["Olá", "Olá!"]
