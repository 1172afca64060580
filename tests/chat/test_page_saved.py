"""The chat page and the workspace store: a conversation is saved as the user works and comes back
in a new session (``?c=``), the history panel (rename, duplicate, delete, search), isolation
between workspaces, and a share link's read-only copy with its Fork."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Radio

from playground.store import Store
from tests import apptest
from tests.apptest import texts, workspace_session
from tests.fake_xai import LOCAL_CATALOG, FakeXai

ALICE, BOB = "alice-workspace-id", "bob-workspace-id"
HISTORY = "chat_history"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite workspace store for the app (``PLAYGROUND_DB_URL``)."""
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    monkeypatch.setenv("PLAYGROUND_DB_URL", url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """The same store, opened by the test to look at what the app wrote."""
    opened = Store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def local_fake(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai) -> FakeXai:
    """The local backend's catalog and no xAI configuration (as in test_page_local)."""
    monkeypatch.setenv("LOCAL_BACKEND_URL", fake_xai.base_url)
    monkeypatch.setenv("LOCAL_API_KEY", fake_xai.api_key)
    fake_xai.set_catalog(LOCAL_CATALOG)
    return fake_xai


def chat(workspace: str, **query: str) -> AppTest:
    """A new session (a new tab or a reload) of ``workspace`` on the Chat page, with ``query``."""
    return workspace_session(workspace, history=HISTORY, **query)


def send(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def opened(at: AppTest) -> str:
    """The id the URL names (``?c=``)."""
    value = at.query_params.get("c")
    assert isinstance(value, str) and value, at.query_params
    return value


def messages(at: AppTest) -> list[str]:
    return [" ".join(texts(m.markdown)) for m in at.chat_message]


def history_list(at: AppTest) -> Radio[str] | None:
    return apptest.history_list(at, HISTORY)


def listed(at: AppTest) -> list[str]:
    """The history list's labels (titles with their times)."""
    return apptest.listed(at, HISTORY)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def share(at: AppTest) -> str:
    """Click "Copy link" and return the token of the link shown."""
    return apptest.share_token(at, HISTORY)


@pytest.mark.usefixtures("db_url")
def test_a_conversation_comes_back_in_a_new_session_with_its_stats(env_fake: FakeXai) -> None:
    at = chat(ALICE)
    at.sidebar.text_area(key="chat_system_prompt").input("Be brief.")
    at.sidebar.number_input(key="chat_temperature").set_value(0.3)
    send(at, "Olá")
    item = opened(at)

    again = chat(ALICE, c=item)  # a reload: a new session with the same URL
    assert messages(again)[0] == "Olá" and "Olá!" in messages(again)[1]
    stats = " ".join(texts(again.chat_message[1].caption))
    assert "213 in (192 cached)" in stats and "$0.000308" in stats and "finish: stop" in stats
    assert "First, think." in texts(again.chat_message[1].expander[0].markdown)
    assert again.sidebar.text_area(key="chat_system_prompt").value == "Be brief."
    assert again.sidebar.number_input(key="chat_temperature").value == 0.3
    assert opened(again) == item
    send(again, "more")  # it goes on in the same conversation
    assert opened(again) == item
    assert len(chat(ALICE, c=item).chat_message) == 4


def test_on_the_local_backend_too(local_fake: FakeXai, store: Store) -> None:
    at = send(chat(ALICE), "hi")
    item = store.get_item(ALICE, opened(at))
    assert item is not None and item.title == "hi"
    assert item.body["model"] == "qwen2.5-coder-0.5b-instruct"
    again = chat(ALICE, c=item.id)
    assert messages(again) == messages(at)


def test_an_unchanged_conversation_is_not_written_again(env_fake: FakeXai, store: Store) -> None:
    at = send(chat(ALICE), "hi")
    item = opened(at)
    first = store.list_items(ALICE, "conversation")[0].updated_at
    at.run()
    at.run()
    again = chat(ALICE, c=item)  # opening writes nothing either
    again.run()
    assert store.list_items(ALICE, "conversation")[0].updated_at == first
    next(b for b in again.button if b.label == "Clear conversation").click().run()
    cleared = store.get_item(ALICE, item)  # a clear is saved too; the title stays
    assert cleared is not None and cleared.title == "hi" and cleared.body["turns"] == []


def test_an_empty_new_chat_is_not_saved_and_new_chat_starts_another(
    env_fake: FakeXai, store: Store
) -> None:
    at = chat(ALICE)
    at.run()
    assert store.list_items(ALICE, "conversation") == []
    assert "c" not in at.query_params
    send(at, "first")
    first = opened(at)
    click(at, f"{HISTORY}_new")
    assert at.chat_message.len == 0 and "c" not in at.query_params
    send(at, "second")
    assert opened(at) != first
    assert [i.title for i in store.list_items(ALICE, "conversation")] == ["second", "first"]


def test_history_opens_renames_duplicates_deletes_and_searches(
    env_fake: FakeXai, store: Store
) -> None:
    at = send(chat(ALICE), "about cats")
    cats = opened(at)
    click(at, f"{HISTORY}_new")
    send(at, "about dogs")
    labels = listed(at)
    assert [label.split(" · ")[0] for label in labels] == ["about dogs", "about cats"]

    history = history_list(at)
    assert history is not None
    history.set_value(cats).run()  # open
    assert opened(at) == cats and messages(at)[0] == "about cats"

    at.sidebar.text_input(key=f"{HISTORY}_title_{cats}").input("Cats, renamed").run()
    click(at, f"{HISTORY}_rename")
    assert store.get_item(ALICE, cats).title == "Cats, renamed"  # type: ignore[union-attr]
    send(at, "and kittens?")  # saving goes on and keeps the new title
    assert store.get_item(ALICE, cats).title == "Cats, renamed"  # type: ignore[union-attr]

    click(at, f"{HISTORY}_duplicate")  # the copy opens
    copy = opened(at)
    assert copy != cats and messages(at)[0] == "about cats"
    assert store.get_item(ALICE, copy).title == "Cats, renamed (copy)"  # type: ignore[union-attr]

    at.sidebar.text_input(key=f"{HISTORY}_search").input("kitten").run()
    assert [label.split(" · ")[0] for label in listed(at)] == [
        "Cats, renamed (copy)",
        "Cats, renamed",
    ]
    at.sidebar.text_input(key=f"{HISTORY}_search").input("no such words").run()
    assert listed(at) == [] and "Nothing matches." in texts(at.sidebar.caption)
    at.sidebar.text_input(key=f"{HISTORY}_search").input("").run()

    click(at, f"{HISTORY}_delete")  # asks first
    assert store.get_item(ALICE, copy) is not None
    click(at, f"{HISTORY}_delete_no")
    click(at, f"{HISTORY}_delete")
    click(at, f"{HISTORY}_delete_yes")
    assert store.get_item(ALICE, copy) is None
    assert at.chat_message.len == 0 and "c" not in at.query_params
    assert len(listed(at)) == 2


def test_two_conversations_of_the_same_title_open_each_their_own(env_fake: FakeXai) -> None:
    at = send(chat(ALICE), "same words")
    older = opened(at)
    click(at, f"{HISTORY}_new")
    send(at, "same words")
    assert len(set(listed(at))) == 2  # the browser tells them apart by their lines
    history = history_list(at)
    assert history is not None
    history.set_value(older).run()
    assert opened(at) == older


def test_another_workspace_cannot_open_or_list_it(env_fake: FakeXai, store: Store) -> None:
    item = opened(send(chat(ALICE), "secret plans"))
    bob = chat(BOB, c=item)
    assert bob.chat_message.len == 0
    assert any("not found" in t for t in texts(bob.error))
    assert "secret plans" not in " ".join(texts(bob.error, bob.markdown, bob.caption))
    assert "c" not in bob.query_params
    assert listed(bob) == []
    send(bob, "my own")  # Bob's conversation is his, under a new id
    assert opened(bob) != item
    assert store.get_item(ALICE, item).body["turns"][0]["content"] == "secret plans"  # type: ignore[union-attr]


def test_a_share_link_opens_a_read_only_copy_that_forks(env_fake: FakeXai, store: Store) -> None:
    alice = send(chat(ALICE), "Olá")
    item = opened(alice)
    bob = chat(BOB, share=share(alice))
    assert "Olá" in messages(bob)[0] and "Olá!" in messages(bob)[1]
    assert any("213 in (192 cached)" in t for t in texts(bob.chat_message[1].caption))
    assert any("read-only copy" in t for t in texts(bob.caption))
    assert bob.chat_input.len == 0  # no input, no control that changes it
    assert [b.label for b in bob.main.button] == ["Fork into my workspace"]
    assert listed(bob) == []

    bob.main.button[0].click().run()
    forked = opened(bob)
    assert "share" not in bob.query_params and forked != item
    assert messages(bob)[:2] == messages(alice)[:2]
    assert bob.chat_input.len == 1
    assert [i.id for i in store.list_items(BOB, "conversation")] == [forked]
    assert [i.id for i in store.list_items(ALICE, "conversation")] == [item]
    send(bob, "continued")  # the fork is Bob's; Alice's conversation does not change
    assert len(store.get_item(ALICE, item).body["turns"]) == 2  # type: ignore[union-attr]


@pytest.mark.usefixtures("db_url")
@pytest.mark.parametrize("deleted", [False, True])
def test_an_unknown_or_deleted_share_link_says_not_found_and_nothing_else(
    env_fake: FakeXai, deleted: bool
) -> None:
    alice = send(chat(ALICE), "private")
    token = share(alice)
    if deleted:
        click(alice, f"{HISTORY}_delete")
        click(alice, f"{HISTORY}_delete_yes")
    bob = chat(BOB, share=token if deleted else "no-such-token")
    assert texts(bob.info) == ["This shared link was not found."]
    assert "private" not in " ".join(texts(bob.markdown, bob.caption, bob.subheader))
    assert bob.chat_message.len == 0 and listed(bob) == []
