"""The Completions page's history panel (open, rename, duplicate, delete, search; another
workspace sees nothing), a prompt's share link (a read-only copy with its latest run, and Fork),
and a prompt's last runs coming back in a new session opened by ``?p=``."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.store import Store
from tests import apptest
from tests.apptest import texts, workspace_session
from tests.completions.test_page import htmls
from tests.completions.test_prompt_store import button, open_id, session, type_prompt
from tests.fake_xai import FakeXai

PAGE = "playground/completions/page.py"
HISTORY = "completions_history"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    monkeypatch.setenv("PLAYGROUND_DB_URL", url)
    return Store(url)


def titles(at: AppTest) -> list[str]:
    return [line.split(" · ")[0] for line in apptest.listed(at, HISTORY)]


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def prompt_of(at: AppTest) -> str:
    return str(at.text_area(key="completions_prompt").value)


def shared_session(workspace: str, token: str) -> AppTest:
    return workspace_session(workspace, PAGE, share=token)


@pytest.mark.usefixtures("env_fake")
def test_history_opens_renames_duplicates_deletes_and_searches(store: Store) -> None:
    at = session()
    type_prompt(at, "about cats", temperature=0.3)
    cats = open_id(at)
    click(at, f"{HISTORY}_new")
    assert prompt_of(at) == "" and "p" not in at.query_params
    type_prompt(at, "about dogs", temperature=0.9)
    assert titles(at) == ["about dogs", "about cats"]

    history = apptest.history_list(at, HISTORY)
    assert history is not None
    history.set_value(cats).run()  # open: the form gets the prompt and its parameters
    assert open_id(at) == cats and prompt_of(at) == "about cats"
    assert at.sidebar.number_input(key="completions_p_temperature").value == 0.3

    at.sidebar.text_input(key=f"{HISTORY}_title_{cats}").input("Cats, renamed").run()
    click(at, f"{HISTORY}_rename")
    assert store.get_item("ws-a", cats).title == "Cats, renamed"  # type: ignore[union-attr]
    type_prompt(at, "about cats and kittens")  # saving goes on and keeps the new title
    assert store.get_item("ws-a", cats).title == "Cats, renamed"  # type: ignore[union-attr]

    click(at, f"{HISTORY}_duplicate")  # the copy opens
    copy = open_id(at)
    assert copy != cats and prompt_of(at) == "about cats and kittens"
    assert store.get_item("ws-a", copy).title == "Cats, renamed (copy)"  # type: ignore[union-attr]

    at.sidebar.text_input(key=f"{HISTORY}_search").input("KITTEN").run()  # the prompt's text
    assert titles(at) == ["Cats, renamed (copy)", "Cats, renamed"]
    at.sidebar.text_input(key=f"{HISTORY}_search").input("dogs").run()  # the title
    assert titles(at) == ["about dogs"]
    at.sidebar.text_input(key=f"{HISTORY}_search").input("no such words").run()
    assert titles(at) == [] and "Nothing matches." in texts(at.sidebar.caption)
    at.sidebar.text_input(key=f"{HISTORY}_search").input("").run()

    click(at, f"{HISTORY}_delete")  # asks first
    click(at, f"{HISTORY}_delete_no")
    assert store.get_item("ws-a", copy) is not None
    click(at, f"{HISTORY}_delete")
    click(at, f"{HISTORY}_delete_yes")
    assert store.get_item("ws-a", copy) is None
    assert prompt_of(at) == "" and "p" not in at.query_params
    assert len(titles(at)) == 2

    stranger = session(workspace="ws-b")
    assert titles(stranger) == []


def test_the_last_run_comes_back_in_a_new_session(env_fake: FakeXai, store: Store) -> None:
    at = session()
    type_prompt(at, "Once upon a time")
    button(at, "Run").click().run()
    button(at, "Run").click().run()
    prompt_id = open_id(at)
    shown = " ".join(htmls(at))
    assert " the quick brown fox" in shown
    stats = [c for c in texts(at.caption) if "finish: length" in c]
    assert stats
    item = store.get_item("ws-a", prompt_id)
    assert item is not None and len(item.body["runs"]) == 2  # the latest first
    assert [v.number for v in store.list_versions("ws-a", prompt_id)] == [1]  # runs: no version

    again = session(prompt_id=prompt_id)  # a reload
    assert prompt_of(again) == "Once upon a time"
    assert " the quick brown fox" in " ".join(htmls(again))
    assert [c for c in texts(again.caption) if "finish: length" in c] == stats
    again.run()
    assert len(store.get_item("ws-a", prompt_id).body["runs"]) == 2  # type: ignore[union-attr]

    click(again, f"{HISTORY}_new")  # a new prompt has no runs
    assert " the quick brown fox" not in " ".join(htmls(again))


def test_a_share_link_opens_a_read_only_copy_that_forks(env_fake: FakeXai, store: Store) -> None:
    alice = session()
    type_prompt(alice, "Dear diary,\ntoday was <b>calm</b>.", temperature=0.4)
    alice.text_input(key="completions_suffix").input(" The end.").run()
    button(alice, "Run").click().run()
    prompt_id = open_id(alice)
    token = apptest.share_token(alice, HISTORY)

    bob = shared_session("ws-b", token)
    shown = texts(bob.code)
    assert "Dear diary,\ntoday was <b>calm</b>." in shown and " The end." in shown
    assert any('"temperature": 0.4' in c for c in shown)
    assert any("read-only copy" in c for c in texts(bob.caption))
    assert " the quick brown fox" in " ".join(htmls(bob))  # the latest run's output
    assert bob.text_area.len == 0  # no form: nothing to change
    assert [b.label for b in bob.main.button] == ["Fork into my workspace"]
    assert titles(bob) == []

    bob.main.button[0].click().run()
    assert not bob.exception
    forked = open_id(bob)
    assert forked != prompt_id and "share" not in bob.query_params
    assert prompt_of(bob) == "Dear diary,\ntoday was <b>calm</b>."
    assert bob.sidebar.number_input(key="completions_p_temperature").value == 0.4
    assert " the quick brown fox" in " ".join(htmls(bob))
    assert [i.id for i in store.list_items("ws-b", "prompt")] == [forked]
    assert [i.id for i in store.list_items("ws-a", "prompt")] == [prompt_id]

    unknown = shared_session("ws-b", "no-such-token")
    assert "This shared link was not found." in texts(unknown.info)
    assert "Dear diary" not in " ".join(texts(unknown.main.markdown, unknown.code))
