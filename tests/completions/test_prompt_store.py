"""The Completions prompt in the workspace store: saved as the user works, reopened by ``?p=`` in a
new session of the same workspace (not of another), versions made by runs and by "Save version",
diffed as plain text, restored into the form; presets kept in the store."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from playground.store import Store
from tests.apptest import workspace_session
from tests.fake_xai import FakeXai

PAGE = "playground/completions/page.py"


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> str:
    url = f"sqlite:///{tmp_path}/workspace.db"
    monkeypatch.setenv("PLAYGROUND_DB_URL", url)
    return url


def session(workspace: str = "ws-a", prompt_id: str | None = None) -> AppTest:
    """A new browser session of ``workspace`` on the Completions page (``?p=prompt_id``), its
    History open."""
    query = {"p": prompt_id} if prompt_id else {}
    return workspace_session(workspace, PAGE, history="completions_history", **query)


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def type_prompt(at: AppTest, prompt: str, temperature: float | None = None) -> None:
    at.text_area(key="completions_prompt").input(prompt)
    if temperature is not None:
        at.sidebar.number_input(key="completions_p_temperature").set_value(temperature)
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def open_id(at: AppTest) -> str:
    value = at.query_params["p"]
    return value if isinstance(value, str) else value[0]


def versions(db: str, workspace: str, prompt_id: str) -> list[Any]:
    store = Store(db)
    try:
        return store.list_versions(workspace, prompt_id)
    finally:
        store.close()


@pytest.mark.usefixtures("env_fake")
def test_the_prompt_is_saved_as_typed_and_reopens_by_url_in_a_new_session(db: str) -> None:
    at = session()
    assert "p" not in at.query_params  # nothing typed: nothing saved, nothing named
    type_prompt(at, "Write a haiku about rain", temperature=0.4)
    at.text_input(key="completions_suffix").input(" -- end").run()
    prompt_id = open_id(at)

    again = session(prompt_id=prompt_id)
    assert again.text_area(key="completions_prompt").value == "Write a haiku about rain"
    assert again.text_input(key="completions_suffix").value == " -- end"
    assert again.sidebar.number_input(key="completions_p_temperature").value == 0.4
    assert open_id(again) == prompt_id

    stranger = session(workspace="ws-b", prompt_id=prompt_id)
    assert stranger.text_area(key="completions_prompt").value == ""
    assert any("not found" in str(i.value) for i in stranger.info)
    assert "p" not in stranger.query_params


@pytest.mark.usefixtures("env_fake")
def test_a_new_session_without_a_link_goes_on_with_the_prompt_it_brings_back(db: str) -> None:
    """The widget keeper gives a new session the last prompt typed; with no ``?p=`` the page goes
    on with that saved prompt (named in the URL again) instead of saving a second copy."""
    at = session()
    type_prompt(at, "Write a haiku about rain")
    prompt_id = open_id(at)

    again = session()  # a new tab on /completions, no ?p=
    assert again.text_area(key="completions_prompt").value == "Write a haiku about rain"
    assert open_id(again) == prompt_id
    type_prompt(again, "Write a haiku about snow")
    store = Store(db)
    try:
        saved = store.list_items("ws-a", "prompt")
        assert [item.id for item in saved] == [prompt_id]
        item = store.get_item("ws-a", prompt_id)
        assert item is not None and item.body["prompt"] == "Write a haiku about snow"
    finally:
        store.close()


def test_runs_make_versions_that_diff_and_restore(db: str, env_fake: FakeXai) -> None:
    at = session()
    type_prompt(at, "Hello\nworld", temperature=0.2)
    button(at, "Run").click().run()
    button(at, "Run").click().run()  # unchanged: no new version
    prompt_id = open_id(at)
    assert [v.number for v in versions(db, "ws-a", prompt_id)] == [1]

    type_prompt(at, "Hello\nthere", temperature=0.9)
    button(at, "Run").click().run()
    assert not at.exception
    assert [v.number for v in versions(db, "ws-a", prompt_id)] == [1, 2]

    diff = at.code[-1].value
    assert "--- v1 prompt" in diff and "+++ v2 prompt" in diff
    assert "-world" in diff and "+there" in diff and "temperature: 0.2 -> 0.9" in diff

    at.selectbox(key="completions_restore_choice").set_value(1).run()
    button(at, "Restore version 1").click().run()
    assert not at.exception
    assert at.text_area(key="completions_prompt").value == "Hello\nworld"
    assert at.sidebar.number_input(key="completions_p_temperature").value == 0.2


def test_save_version_with_a_note_and_no_duplicate(db: str, env_fake: FakeXai) -> None:
    at = session()
    type_prompt(at, "Once upon a time")
    at.text_input(key="completions_version_note").input("first draft")
    button(at, "Save version").click().run()
    prompt_id = open_id(at)
    saved = versions(db, "ws-a", prompt_id)
    assert [(v.number, v.note) for v in saved] == [(1, "first draft")]
    button(at, "Save version").click().run()
    assert any("No change since version 1" in str(i.value) for i in at.info)
    assert len(versions(db, "ws-a", prompt_id)) == 1


@pytest.mark.usefixtures("env_fake")
def test_a_saved_preset_is_there_in_a_new_session_of_the_workspace(db: str) -> None:
    at = session()
    at.sidebar.number_input(key="completions_p_temperature").set_value(0.3).run()
    at.sidebar.text_input(key="completions_preset_name").input("Mine").run()
    button(at, "Save preset").click().run()
    assert not at.exception

    again = session()
    assert "Mine" in again.sidebar.selectbox(key="completions_preset_choice").options
    other = session(workspace="ws-b")
    assert "Mine" not in other.sidebar.selectbox(key="completions_preset_choice").options
