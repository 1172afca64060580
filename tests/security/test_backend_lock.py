"""The deployment lock (``PLAYGROUND_BACKENDS``, ``PLAYGROUND_CUSTOM_URL_PREFIXES``) in AppTest:
the sidebar offers only the allowed backends, and a forged session value is not obeyed."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai

INTERNAL_URL = "http://169.254.169.254/latest"


def sidebar_text(at: AppTest) -> list[str]:
    side = at.sidebar
    return texts(side.caption, side.success, side.error, side.info, side.warning, side.markdown)


def test_pinned_to_xai_offers_no_choice_and_no_url_field(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "xai")
    at = new_app().run()
    assert not at.exception
    assert "backend" not in [r.key for r in at.sidebar.radio]  # no backend choice at all
    labels = [t.label for t in at.sidebar.text_input]
    assert "API key" in labels and "Base URL" not in labels
    shown = sidebar_text(at)
    assert "Backend: xAI (set by this deployment)" in shown
    assert any("Connected as playground-test-key" in t for t in shown), shown


def test_the_radio_lists_only_the_allowed_backends(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "xai,custom")
    at = new_app().run()
    assert not at.exception
    assert at.sidebar.radio(key="backend").options == ["xAI", "Custom (OpenAI-compatible)"]
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "local,xai")
    at = new_app().run()
    assert at.sidebar.radio(key="backend").options == ["Local (offline)", "xAI"]


@pytest.mark.parametrize("forged", ["custom", "local", "no-such-backend"])
def test_a_forged_session_backend_falls_back_to_the_allowed_one(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch, forged: str
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "xai")
    at = new_app()
    at.session_state["backend"] = forged
    at.session_state["custom_base_url"] = INTERNAL_URL
    at.run()
    assert not at.exception
    assert at.session_state["backend"] == "xai"
    assert any("Connected as playground-test-key" in t for t in sidebar_text(at))
    at.switch_page("playground/models/page.py").run()
    assert not at.exception
    # every request went to the operator's server (the fake), none tried the forged backend
    assert env_fake.requests and all(r.auth == "valid" for r in env_fake.requests)


def test_a_forged_value_set_after_the_sidebar_ran_is_not_obeyed_by_pages(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages read ``current_connection()``, which enforces the lock itself (not only the UI)."""
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "xai")
    monkeypatch.setenv("LOCAL_BACKEND_URL", "http://127.0.0.1:9/v1")  # would fail if used
    at = new_app().run()
    at.session_state["backend"] = "local"
    at.switch_page("playground/models/page.py").run()
    assert not at.exception
    assert not any("local backend" in t.lower() for t in texts(at.error, at.info))
    assert "Models & pricing" in texts(at.title)
    assert at.dataframe, "the models table comes from the allowed xAI backend"


@pytest.mark.parametrize(
    ("value", "named"), [("xai,custm", "custm"), ("all", "all"), (",", "nothing")]
)
def test_a_wrong_setting_is_a_plain_sidebar_error(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch, value: str, named: str
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", value)
    at = new_app().run()
    assert not at.exception
    errors = texts(at.sidebar.error)
    assert any(e.startswith("PLAYGROUND_BACKENDS must list") and named in e for e in errors), errors
    radios = {r.key: r for r in at.sidebar.radio}
    options = radios["backend"].options if "backend" in radios else ["xAI"]
    assert "Custom (OpenAI-compatible)" not in options  # read restrictively: no free URL


def test_custom_url_outside_the_prefixes_is_refused_without_a_request(
    fake_xai: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "custom")
    monkeypatch.setenv("PLAYGROUND_CUSTOM_URL_PREFIXES", fake_xai.base_url)
    at = new_app()
    at.session_state["custom_base_url"] = INTERNAL_URL
    at.run()
    assert not at.exception
    assert "Backend: Custom (OpenAI-compatible) (set by this deployment)" in sidebar_text(at)
    infos = texts(at.sidebar.info)
    assert any(f"only allows custom base URLs under {fake_xai.base_url}" in t for t in infos), infos
    assert fake_xai.requests == []
    at.sidebar.text_input(key="custom_base_url").input(fake_xai.base_url + "/").run()
    at.sidebar.text_input(key="api_key").input(fake_xai.api_key).run()
    assert not at.exception
    assert any("Connected" in t for t in texts(at.sidebar.success)), sidebar_text(at)
    assert fake_xai.requests[-1].auth == "valid"  # (before the key: one keyless try, refused)


def test_a_custom_only_deployment_starts_on_the_first_allowed_prefix(
    fake_xai: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "custom")
    monkeypatch.setenv("PLAYGROUND_CUSTOM_URL_PREFIXES", f"{fake_xai.base_url},http://h:1/v1")
    at = new_app().run()
    assert not at.exception
    field = at.sidebar.text_input(key="custom_base_url")
    assert field.value == fake_xai.base_url
    assert "under " + fake_xai.base_url in str(field.proto.help)


def _connection_probe() -> None:
    """A page without the sidebar: what ``current_connection()`` decides from session state."""
    import streamlit as st

    from playground.shell.session import current_connection

    connection = current_connection()
    st.text(f"{connection.backend} {connection.base_url}")


def test_current_connection_enforces_the_lock_without_the_sidebar(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "xai")
    at = AppTest.from_function(_connection_probe, default_timeout=30)
    at.session_state["backend"] = "custom"
    at.session_state["custom_base_url"] = INTERNAL_URL
    at.run()
    assert not at.exception
    assert texts(at.text) == [f"xai {env_fake.base_url}"]
    monkeypatch.delenv("PLAYGROUND_BACKENDS")
    at.run()  # the same forged state is obeyed when the deployment allows it
    assert texts(at.text) == [f"custom {INTERNAL_URL}"]


def test_the_embeddings_page_offers_no_local_switch_when_local_is_not_allowed(
    env_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYGROUND_BACKENDS", "xai,custom")
    env_fake.fail_next(404, {"code": "x", "error": "no such route"}, path="/v1/embedding-models")
    at = new_app().run()
    at.switch_page("playground/embeddings/page.py").run()
    assert not at.exception
    assert any("does not list embedding models" in t for t in texts(at.warning))
    assert not [b for b in at.button if b.key == "emb_use_local"]
