"""Bad input on every page: invalid JSON in every JSON editor, empty and oversized prompts, bad
files. Each gets a clear message naming the field and the problem, nothing is sent to the
server, and nothing typed or loaded before is lost."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from local_backend.launcher import LocalBackendProcess
from tests import apptest as helpers
from tests.apptest import texts
from tests.fake_xai import FakeXai

CHAT, COMPLETIONS, EMBEDDINGS = (
    "playground/chat/page.py",
    "playground/completions/page.py",
    "playground/embeddings/page.py",
)


def open_page(page: str) -> AppTest:
    return helpers.open_page(page, timeout=120)


def button(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def generation_requests(fake: FakeXai) -> list[object]:
    """What was sent to generate (counting a prompt's tokens is not)."""
    return [r.body for r in fake.requests if r.method == "POST" and r.path != "/v1/tokenize-text"]


def shown(at: AppTest) -> str:
    """Every error, warning, caption and notice on the page, as one text."""
    return " | ".join(texts(at.error, at.warning, at.caption, at.info, at.success))


# --- every JSON editor ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JsonEditor:
    """One JSON editor: how to open it, type into it, and try to use what was typed."""

    name: str
    page: str
    key: str  # the text area's key
    submit: Callable[[AppTest], None]
    prepare: Callable[[AppTest], None] = lambda at: None


def send_chat_message(at: AppTest) -> None:
    at.chat_input[0].set_value("keep this message").run()


def choose_json_schema(at: AppTest) -> None:
    at.selectbox(key="chat_response_format").set_value("json_schema").run()


def run_completion(at: AppTest) -> None:
    """Try to run: with a parameter in error the Run button is disabled and says why."""
    at.text_area(key="completions_prompt").input("Once upon a time").run()
    run = next(b for b in at.button if b.label == "Run")
    assert run.disabled
    assert "Fix the parameters marked in red in the sidebar to run." in shown(at)


EDITORS = {
    "tools": JsonEditor("tools", CHAT, "chat_tools", send_chat_message),
    "json schema": JsonEditor(
        "JSON schema", CHAT, "chat_json_schema", send_chat_message, choose_json_schema
    ),
    "chat import": JsonEditor(
        "the pasted JSON", CHAT, "chat_import_text", lambda at: button(at, "Import")
    ),
    "logit_bias": JsonEditor("logit_bias", COMPLETIONS, "completions_p_logit_bias", run_completion),
    "presets import": JsonEditor(
        "presets",
        COMPLETIONS,
        "completions_preset_paste",
        lambda at: button(at, "Import pasted JSON"),
    ),
}

# (editor, text typed, words the message must contain)
BAD_JSON = [
    ("tools", '[{"type": "function",', ["tools", "line 1, column 22"]),
    ("tools", '"get_weather"', ["tools", "expected a list of tool definitions"]),
    ("tools", '[{"type": "function"}]', ["tools", 'tool 1 has no "function" object']),
    ("tools", '[{"function": {"name": "f", "parameters": []}}]', ['"parameters" must be']),
    ("json schema", '{"type": "object",,}', ["JSON schema", "line 1, column 19"]),
    ("json schema", "[1, 2]", ["JSON schema", "expected an object"]),
    ("json schema", '{"name": "x", "schema": 3}', ["JSON schema", '"schema" must be an object']),
    ("chat import", '{"messages": [}', ["the pasted JSON", "line 1, column 15"]),
    ("chat import", '{"messages": {}}', ["the pasted JSON", '"messages" list']),
    ("chat import", '[{"role": "wizard", "content": "x"}]', ["message 1", "unknown role"]),
    ("logit_bias", '{"42": ', ["logit_bias", "not valid JSON"]),
    ("logit_bias", "[42]", ["logit_bias", "must be a JSON object"]),
    ("logit_bias", '{"the": 5}', ["logit_bias", "token ids"]),
    ("presets import", '{"presets": ', ["Nothing imported", "JSON for presets", "column 13"]),
    ("presets import", '["Deterministic"]', ["Nothing imported", "presets", "JSON object"]),
    ("presets import", '{"Hot": {"temperature": 9}}', ["Nothing imported", "'Hot'", "temperature"]),
]


@pytest.mark.parametrize(
    ("editor_name", "typed", "words"),
    BAD_JSON,
    ids=[f"{editor}: {typed}" for editor, typed, _ in BAD_JSON],
)
def test_invalid_json_in_every_editor_is_named_and_nothing_is_sent(
    env_fake: FakeXai, editor_name: str, typed: str, words: list[str]
) -> None:
    editor = EDITORS[editor_name]
    at = open_page(editor.page)
    editor.prepare(at)
    preset_names = (
        list(at.selectbox(key="completions_preset_choice").options)
        if (editor.page == COMPLETIONS)
        else []
    )
    at.text_area(key=editor.key).input(typed).run()
    sent_before = len(generation_requests(env_fake))

    editor.submit(at)

    assert not at.exception, [e.value for e in at.exception]
    errors = " | ".join(texts(at.error))
    for word in words:
        assert word in errors, errors
    assert len(generation_requests(env_fake)) == sent_before  # nothing went to the server
    assert at.text_area(key=editor.key).value == typed  # what was typed is still there
    if editor.submit is send_chat_message:
        assert "Not sent" in errors
        assert [m.markdown[0].value for m in at.chat_message] == ["keep this message"]
    if editor.page == COMPLETIONS:
        assert at.text_area(key="completions_prompt").value in ("", "Once upon a time")
        assert list(at.selectbox(key="completions_preset_choice").options) == preset_names


def test_a_bad_chat_import_keeps_the_conversation_and_its_settings(env_fake: FakeXai) -> None:
    at = open_page(CHAT)
    at.sidebar.text_area(key="chat_system_prompt").input("Be brief.")
    at.chat_input[0].set_value("keep me").run()
    before = len(env_fake.requests)
    at.sidebar.text_area(key="chat_import_text").input('{"messages": "not a list"}')
    button(at, "Import")
    assert not at.exception
    assert any("Could not import the pasted JSON" in t for t in texts(at.error))
    assert at.chat_message[0].markdown[0].value == "keep me"
    assert at.sidebar.text_area(key="chat_system_prompt").value == "Be brief."
    assert len(env_fake.requests) == before


@pytest.mark.parametrize(
    ("uploader", "submit", "data", "words"),
    [
        ("chat_import_file", "Import", b"\xff\xfe{not json", ["Could not import chat.json"]),
        ("completions_preset_file", None, b"\xff\xfe\x00bad", ["not UTF-8"]),
        ("completions_preset_file", None, b'{"presets": []}', ["Nothing imported"]),
    ],
)
def test_a_bad_json_file_is_refused_with_a_clear_message(
    env_fake: FakeXai, uploader: str, submit: str | None, data: bytes, words: list[str]
) -> None:
    at = open_page(CHAT if uploader.startswith("chat") else COMPLETIONS)
    widget = next(u for u in at.get("file_uploader") if u.proto.id.endswith(uploader))
    widget.upload("chat.json" if submit else "presets.json", data, "application/json")
    at.run()
    if submit:
        button(at, submit)
    assert not at.exception, [e.value for e in at.exception]
    errors = " | ".join(texts(at.error))
    for word in words:
        assert word in errors, errors
    assert not generation_requests(env_fake)


# --- empty input ----------------------------------------------------------------------------------


def test_an_empty_chat_message_is_not_sent(env_fake: FakeXai) -> None:
    at = open_page(CHAT)
    at.chat_input[0].set_value("   \n ").run()
    assert not at.exception
    assert not generation_requests(env_fake)
    assert not at.chat_message
    assert "Nothing sent: the message is empty." in shown(at)


def test_editing_a_message_to_empty_sends_nothing_and_keeps_the_conversation(
    env_fake: FakeXai,
) -> None:
    at = open_page(CHAT)
    at.chat_input[0].set_value("first").run()
    before = [m.markdown[0].value for m in at.chat_message]
    sent = len(generation_requests(env_fake))
    at.button(key="chat_edit_button_0").click().run()
    at.text_area(key="chat_edit_0").input("  ")
    at.button(key="chat_resend_0").click().run()
    assert not at.exception
    assert "Nothing sent: the message is empty" in shown(at)
    assert len(generation_requests(env_fake)) == sent
    at.button(key="chat_cancel_0").click().run()
    assert [m.markdown[0].value for m in at.chat_message] == before  # reply and message kept


def test_an_empty_completion_prompt_cannot_run(env_fake: FakeXai) -> None:
    at = open_page(COMPLETIONS)
    at.text_area(key="completions_prompt").input("").run()
    run = next(b for b in at.button if b.label == "Run")
    assert run.disabled
    assert "Write a prompt to run." in shown(at)
    assert not at.exception
    assert not generation_requests(env_fake)


@pytest.fixture
def embeddings_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    cache = tmp_path / "embeddings-cache"
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(cache))
    return cache


def test_an_empty_embeddings_list_says_so(env_fake: FakeXai, embeddings_cache: Path) -> None:
    at = open_page(EMBEDDINGS)
    at.radio(key="emb_source").set_value("Paste lines").run()
    at.text_area(key="emb_paste").input(" \n\n  \t").run()
    assert not at.exception
    assert "The list is empty" in shown(at)
    assert not [b for b in at.button if b.key == "emb_embed"]
    assert not [r for r in env_fake.requests if r.path == "/v1/embeddings"]


# --- bad files on the Embeddings page keep what was loaded ----------------------------------------

GOOD_CSV = (
    b"text,topic\nThe cat sat on the mat.,animals\nStocks fell today.,money\nRain again.,weather\n"
)
BAD_FILES = [
    ("latin.csv", "text\ncafé\n".encode("latin-1"), "latin.csv is not UTF-8 text"),
    ("broken.jsonl", b'{"text": "fine"}\n{"text": \n', "Line 2 of broken.jsonl is not valid JSON"),
    ("header.csv", b"text,topic\n", "header.csv has no rows"),
    ("cut.parquet", b"PAR1\x00\x01", "could not be read as Parquet"),
    ("numbers.jsonl", b'{"a": 1}\n{"a": 2.5}\n', "There are no texts to embed in numbers.jsonl"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_a_bad_file_says_what_is_wrong_and_keeps_the_loaded_data(
    env_fake: FakeXai, embeddings_cache: Path, name: str, data: bytes, message: str
) -> None:
    at = open_page(EMBEDDINGS)
    at.radio(key="emb_source").set_value("Upload a file").run()
    uploader = at.get("file_uploader")[0]
    uploader.upload("good.csv", GOOD_CSV, "text/csv")
    at.run()
    at.button(key="emb_embed").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "3 embedded" in shown(at)

    at.get("file_uploader")[0].upload(name, data, "application/octet-stream")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = re.sub(r"\\(.)", r"\1", " | ".join(texts(at.error)))  # shown with markdown escaped
    assert message in errors, errors
    assert "Still showing the previous data (3 texts)." in shown(at)
    assert "3 embedded" in shown(at)  # the embedded data and its summary are still there


# --- oversized input against the real local backend ----------------------------------------------

HUGE = "word " * 400_000  # 2 MB of text


def test_an_oversized_chat_message_gets_a_clear_message_and_is_kept(
    env_local: LocalBackendProcess,
) -> None:
    at = open_page(CHAT)
    at.chat_input[0].set_value(HUGE).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " | ".join(texts(at.error))
    assert "characters" in errors and "context" in errors, errors
    assert at.chat_message[0].markdown[0].value.startswith("word word")  # the message is kept
    assert len(at.chat_message[0].markdown[0].value) >= len(HUGE.strip())


def test_an_oversized_completion_prompt_gets_a_clear_message_and_is_kept(
    env_local: LocalBackendProcess,
) -> None:
    at = open_page(COMPLETIONS)
    at.text_area(key="completions_prompt").input(HUGE).run()
    button(at, "Run")
    assert not at.exception, [e.value for e in at.exception]
    errors = " | ".join(texts(at.error))
    assert "characters" in errors and "context" in errors, errors
    assert at.text_area(key="completions_prompt").value == HUGE
