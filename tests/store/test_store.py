"""The Store's API on SQLite and on PostgreSQL (``db_url`` is parametrized in conftest.py)."""

from __future__ import annotations

import time
from datetime import UTC

import pytest

from playground.store import KINDS, Item, Store, new_item_id, new_workspace_id

WS = "workspace-one"
OTHER = "workspace-two"
BODY = {"model": "grok-4", "turns": [{"role": "user", "content": "Hi é 😀"}], "n": 1.5, "ok": None}


def put(store: Store, item_id: str, title: str = "A title", text: str = "", ws: str = WS) -> None:
    store.put_item(ws, item_id, "conversation", title=title, body=BODY, text=text)


def test_put_then_get_round_trips_the_body(store: Store) -> None:
    put(store, "c1", "First")
    item = store.get_item(WS, "c1")
    assert isinstance(item, Item)
    assert (item.id, item.kind, item.title, item.body) == ("c1", "conversation", "First", BODY)
    assert item.created_at.tzinfo == UTC and item.updated_at == item.created_at
    assert store.get_item(WS, "missing") is None


def test_put_again_replaces_and_keeps_created_at(store: Store) -> None:
    put(store, "c1", "First")
    first = store.get_item(WS, "c1")
    time.sleep(0.01)
    store.put_item(WS, "c1", "conversation", title="Second", body={"x": [1, 2]})
    item = store.get_item(WS, "c1")
    assert first is not None and item is not None
    assert (item.title, item.body) == ("Second", {"x": [1, 2]})
    assert item.created_at == first.created_at and item.updated_at > first.updated_at


def test_list_is_newest_update_first_per_kind(store: Store) -> None:
    for name in ("a", "b", "c"):
        put(store, name, name.upper())
        time.sleep(0.005)
    store.put_item(WS, "p", "prompt", title="A prompt", body={})
    put(store, "a", "A again")  # updating moves it to the top
    listed = store.list_items(WS, "conversation")
    assert [row.id for row in listed] == ["a", "c", "b"]
    assert listed[0].title == "A again" and listed[0].kind == "conversation"
    assert [row.id for row in store.list_items(WS, "prompt")] == ["p"]
    assert store.list_items(WS, "map") == []
    assert [row.id for row in store.list_items(WS, "conversation", limit=2)] == ["a", "c"]


def test_search_is_case_insensitive_over_title_and_text(store: Store) -> None:
    put(store, "t", "Paris TRIP plans", text="nothing here")
    put(store, "x", "Untitled", text="We talked about the Eiffel tower in PARIS")
    put(store, "n", "Other", text="100% sure_thing")
    assert {row.id for row in store.list_items(WS, "conversation", "paris")} == {"t", "x"}
    assert [row.id for row in store.list_items(WS, "conversation", "trip")] == ["t"]
    assert [row.id for row in store.list_items(WS, "conversation", "eiffel TOWER")] == ["x"]
    assert store.list_items(WS, "conversation", "london") == []
    # LIKE wildcards are plain characters
    assert [row.id for row in store.list_items(WS, "conversation", "0% s")] == ["n"]
    assert [row.id for row in store.list_items(WS, "conversation", "e_t")] == ["n"]
    assert [row.id for row in store.list_items(WS, "conversation", "%")] == ["n"]


def test_search_folds_non_ascii_case(store: Store) -> None:
    put(store, "u", "Ärger im Büro", text="ÉTÉ")
    assert [row.id for row in store.list_items(WS, "conversation", "ärger")] == ["u"]
    assert [row.id for row in store.list_items(WS, "conversation", "été")] == ["u"]


def test_rename_changes_title_and_search(store: Store) -> None:
    put(store, "c1", "Old name")
    store.rename_item(WS, "c1", "New Name")
    item = store.get_item(WS, "c1")
    assert item is not None and item.title == "New Name" and item.body == BODY
    assert [row.id for row in store.list_items(WS, "conversation", "new name")] == ["c1"]
    assert store.list_items(WS, "conversation", "old") == []
    with pytest.raises(KeyError):
        store.rename_item(WS, "missing", "x")


def test_keep_title_keeps_a_renamed_title_and_names_a_new_item(store: Store) -> None:
    store.put_item(WS, "c1", "conversation", title="First words", body=BODY, keep_title=True)
    assert (item := store.get_item(WS, "c1")) is not None and item.title == "First words"
    store.rename_item(WS, "c1", "My name")
    store.put_item(WS, "c1", "conversation", title="First words", body={"n": 2}, keep_title=True)
    item = store.get_item(WS, "c1")
    assert item is not None and item.title == "My name" and item.body == {"n": 2}
    assert [row.id for row in store.list_items(WS, "conversation", "my name")] == ["c1"]
    store.put_item(WS, "c1", "conversation", title="Replaced", body=BODY)
    assert (item := store.get_item(WS, "c1")) is not None and item.title == "Replaced"


def test_duplicate_copies_body_under_a_new_id(store: Store) -> None:
    put(store, "c1", "Chat", text="findme")
    store.add_version(WS, "c1", {"v": 1})
    copy = store.duplicate_item(WS, "c1")
    named = store.duplicate_item(WS, "c1", "Mine")
    got = store.get_item(WS, copy)
    assert got is not None and got.title == "Chat (copy)" and got.body == BODY
    assert copy != "c1" and len(copy) == 32
    assert {row.id for row in store.list_items(WS, "conversation", "FINDME")} == {"c1", copy, named}
    assert store.list_versions(WS, copy) == []
    with pytest.raises(KeyError):
        store.duplicate_item(WS, "missing")


def test_delete_takes_versions_and_shares(store: Store) -> None:
    put(store, "c1")
    store.add_version(WS, "c1", {"v": 1})
    token = store.share_item(WS, "c1")
    store.delete_item(WS, "c1")
    assert store.get_item(WS, "c1") is None
    assert store.list_versions(WS, "c1") == []
    assert store.open_shared(token) is None
    store.delete_item(WS, "c1")  # again: nothing happens
    put(store, "c1", "Reused id")  # the id is free again
    assert store.list_versions(WS, "c1") == []


def test_versions_only_when_the_body_changes(store: Store) -> None:
    store.put_item(WS, "p1", "prompt", title="Prompt", body={"text": "v0"})
    assert store.add_version(WS, "p1", {"text": "one"}, note="first") == 1
    assert store.add_version(WS, "p1", {"text": "one"}) == 1
    assert store.add_version(WS, "p1", {"text": "two"}) == 2
    assert store.add_version(WS, "p1", {"text": "one"}) == 3  # back to an older body is new
    versions = store.list_versions(WS, "p1")
    assert [(v.number, v.body["text"]) for v in versions] == [(1, "one"), (2, "two"), (3, "one")]
    assert versions[0].note == "first" and versions[1].note == ""
    assert versions[0].created_at.tzinfo == UTC
    assert store.list_items(WS, "prompt")[0].versions == 3
    with pytest.raises(KeyError):
        store.add_version(WS, "missing", {})


def test_share_is_a_snapshot(store: Store) -> None:
    put(store, "c1", "Shared chat")
    token = store.share_item(WS, "c1")
    store.put_item(WS, "c1", "conversation", title="Changed later", body={"later": True})
    shared = store.open_shared(token)
    assert shared is not None
    assert (shared.token, shared.kind, shared.title, shared.body) == (
        token,
        "conversation",
        "Shared chat",
        BODY,
    )
    assert len(token) >= 32 and store.share_item(WS, "c1") != token
    assert store.open_shared("no-such-token") is None
    assert store.open_shared("") is None and store.open_shared("x" * 500) is None
    with pytest.raises(KeyError):
        store.share_item(OTHER, "c1")


def test_drafts_are_per_workspace_and_name(store: Store) -> None:
    assert store.load_draft(WS, "widgets") is None
    store.save_draft(WS, "widgets", {"chat.temperature": 0.5, "chat.system": "Be brief."})
    store.save_draft(WS, "widgets", {"chat.temperature": 0.7})
    store.save_draft(WS, "other", {"a": [1, {"b": None}]})
    assert store.load_draft(WS, "widgets") == {"chat.temperature": 0.7}
    assert store.load_draft(WS, "other") == {"a": [1, {"b": None}]}
    assert store.load_draft(OTHER, "widgets") is None


def test_isolation_nothing_crosses_workspaces(store: Store) -> None:
    put(store, "mine", "Secret plans", text="secret", ws=WS)
    store.add_version(WS, "mine", {"v": 1})
    store.save_draft(WS, "widgets", {"k": 1})
    assert store.get_item(OTHER, "mine") is None
    assert store.list_items(OTHER, "conversation") == []
    assert store.list_items(OTHER, "conversation", "secret") == []
    assert store.list_versions(OTHER, "mine") == []
    assert store.load_draft(OTHER, "widgets") is None
    with pytest.raises(KeyError):  # cannot overwrite another workspace's item
        put(store, "mine", "Hijack", ws=OTHER)
    for action in (
        lambda: store.rename_item(OTHER, "mine", "x"),
        lambda: store.duplicate_item(OTHER, "mine"),
        lambda: store.add_version(OTHER, "mine", {"v": 2}),
        lambda: store.share_item(OTHER, "mine"),
    ):
        with pytest.raises(KeyError):
            action()
    store.delete_item(OTHER, "mine")  # does nothing
    item = store.get_item(WS, "mine")
    assert item is not None and item.title == "Secret plans"
    assert [v.number for v in store.list_versions(WS, "mine")] == [1]


def test_an_id_cannot_change_kind(store: Store) -> None:
    put(store, "c1")
    with pytest.raises(KeyError):
        store.put_item(WS, "c1", "prompt", title="x", body={})


def test_bad_arguments(store: Store) -> None:
    with pytest.raises(ValueError, match="kind"):
        store.put_item(WS, "c1", "spreadsheet", title="x", body={})
    with pytest.raises(ValueError, match="kind"):
        store.list_items(WS, "spreadsheet")
    with pytest.raises(ValueError, match="item id"):
        store.put_item(WS, "", "prompt", title="x", body={})
    with pytest.raises(ValueError, match="workspace id"):
        store.put_item("", "c1", "prompt", title="x", body={})
    with pytest.raises(TypeError):
        store.put_item(WS, "c1", "prompt", title="x", body=["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        store.put_item(WS, "c1", "prompt", title="x", body={"x": object()})
    assert store.get_item(WS, "c1") is None


def test_every_kind_and_generated_ids(store: Store) -> None:
    ws = new_workspace_id()
    for kind in KINDS:
        item_id = new_item_id()
        store.put_item(ws, item_id, kind, title=kind, body={"kind": kind})
        assert [row.id for row in store.list_items(ws, kind)] == [item_id]


def test_data_survives_reopening(db_url: str) -> None:
    first = Store(db_url)
    put(first, "c1", "Kept")
    first.save_draft(WS, "widgets", {"a": 1})
    first.close()
    second = Store(db_url)
    try:
        item = second.get_item(WS, "c1")
        assert item is not None and item.title == "Kept"
        assert second.load_draft(WS, "widgets") == {"a": 1}
    finally:
        second.close()
