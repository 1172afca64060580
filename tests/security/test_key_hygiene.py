"""The API key, typed in the sidebar or set by the operator, never shows anywhere the app
produces: any element of any page, the exports and downloads, "View code" (python, openai SDK,
curl), error messages (a wrong key, a 500 and a stream error that echo the key) or the logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import new_app, texts
from tests.fake_xai import FakeXai, sse_event
from tests.security.conftest import OPERATOR_KEY, TYPED_KEY

WRONG_KEY = "xai-wrong-6a1f9e3c7b2d-nope-W3W3"


@dataclass
class Setup:
    fake: FakeXai
    key: str  # the key the session uses
    typed: bool


@pytest.fixture(params=["typed", "operator"])
def setup(
    request: pytest.FixtureRequest, hygiene_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Setup]:
    hygiene_fake.clear()
    monkeypatch.setenv("XAI_BASE_URL", hygiene_fake.base_url)
    typed = request.param == "typed"
    if not typed:
        monkeypatch.setenv("XAI_API_KEY", OPERATOR_KEY)
    yield Setup(hygiene_fake, TYPED_KEY if typed else OPERATOR_KEY, typed)
    hygiene_fake.clear()


def everything(at: AppTest) -> str:
    """Every element of the page as its protobuf text: bodies, values, specs, tables, labels."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return "\n".join(parts)


def assert_clean(at: AppTest, *secrets: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown = everything(at)
    for secret in secrets:
        assert secret not in shown


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def start(setup: Setup) -> AppTest:
    at = new_app().run()
    if setup.typed:
        at.sidebar.text_input(key="api_key").input(setup.key).run()
    assert any("Connected as" in t for t in texts(at.sidebar.success)), texts(at.sidebar.error)
    return at


def test_no_page_export_or_snippet_holds_the_key(
    setup: Setup, downloads: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    at = start(setup)
    at.chat_input[0].set_value("hello there").run()
    assert_clean(at, setup.key)
    button(at, "View code").click().run()
    code = "\n".join(c.value for c in at.code)
    assert "client.chat.completions.create" in code and "curl" in code  # all three tabs
    assert setup.key not in code and "XAI_API_KEY" in code
    assert_clean(at, setup.key)

    at.switch_page("playground/completions/page.py").run()
    at.text_area(key="completions_prompt").input("Once upon a time").run()
    button(at, "Run").click().run()
    at.sidebar.text_input(key="completions_preset_name").input("mine").run()
    button(at, "Save preset").click().run()
    button(at, "View code").click().run()
    code = "\n".join(c.value for c in at.code)
    assert "client.completions.create" in code and setup.key not in code
    assert_clean(at, setup.key)

    at.switch_page("playground/models/page.py").run()
    for tab in at.tabs:
        assert tab.label  # every tab is drawn on the run (Streamlit renders them all)
    assert_clean(at, setup.key)

    at.switch_page("playground/embeddings/page.py").run()
    at.button(key="emb_embed").click().run()
    assert_clean(at, setup.key)

    assert len(downloads) >= 5, "chat JSON/Markdown, presets, models CSVs were offered"
    for data in downloads.values():
        assert setup.key.encode() not in data
    assert b"hello there" in b"".join(downloads.values())  # the chat export was seen
    assert setup.key not in caplog.text
    assert len(setup.fake.requests) > 5 and {r.auth for r in setup.fake.requests} == {"valid"}


def test_errors_that_echo_the_key_never_show_it(setup: Setup) -> None:
    at = start(setup)
    key = setup.key
    echo = {"code": "Internal error", "error": f"upstream rejected bad key {key} (Bearer {key})"}
    setup.fake.fail_next(500, echo, path="/v1/chat/completions", times=None)
    at.chat_input[0].set_value("first").run()
    errors = " ".join(texts(at.error))
    assert "upstream rejected bad key" in errors  # the server's words are shown ...
    assert_clean(at, key)  # ... without the key
    setup.fake.clear()

    stream_error = {"error": {"message": f"key {key} is over quota", "type": "server_error"}}
    setup.fake.set_stream_script([sse_event(stream_error)])
    at.chat_input[0].set_value("second").run()
    assert "is over quota" in " ".join(texts(at.error))
    assert_clean(at, key)

    setup.fake.fail_next(500, echo, path="/v1/api-key", times=None)
    button(at, "Check again").click().run()
    assert any("upstream rejected bad key" in t for t in texts(at.sidebar.error))
    assert_clean(at, key)
    setup.fake.clear()

    at.switch_page("playground/models/page.py").run()
    setup.fake.fail_next(500, echo, times=None)
    button(at, "Refresh").click().run()
    assert_clean(at, key)


def test_a_wrong_typed_key_is_never_shown(
    hygiene_fake: FakeXai, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hygiene_fake.clear()
    monkeypatch.setenv("XAI_BASE_URL", hygiene_fake.base_url)
    monkeypatch.setenv("XAI_API_KEY", OPERATOR_KEY)
    at = new_app().run()
    at.sidebar.text_input(key="api_key").input(WRONG_KEY).run()
    assert any("Incorrect API key" in t for t in texts(at.sidebar.error))
    assert_clean(at, WRONG_KEY, OPERATOR_KEY)
    at.switch_page("playground/models/page.py").run()
    assert_clean(at, WRONG_KEY, OPERATOR_KEY)
    assert WRONG_KEY not in caplog.text and OPERATOR_KEY not in caplog.text


def test_the_typed_key_is_not_kept_in_the_field(
    hygiene_fake: FakeXai, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once entered, the field is emptied: the key stays in the session, not in the widget (so
    the browser is never sent it back); "Forget the typed key" drops it."""
    hygiene_fake.clear()
    monkeypatch.setenv("XAI_BASE_URL", hygiene_fake.base_url)
    setup = Setup(hygiene_fake, TYPED_KEY, typed=True)
    at = start(setup)
    field = at.sidebar.text_input(key="api_key")
    assert field.value == ""
    assert "Using the key you typed (xai-…T7T7)" in str(field.proto.placeholder)
    assert_clean(at, setup.key)
    button(at, "Forget the typed key").click().run()
    assert any("Enter an xAI API key" in t for t in texts(at.sidebar.info))
    placeholder = str(at.sidebar.text_input(key="api_key").proto.placeholder)
    assert placeholder == "Paste an xAI API key"  # an instruction, not what looks like a key
