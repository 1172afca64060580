"""The load script's store checks (bench/load_store_checks.py) catch a lost or changed turn, an
item listed in the wrong workspace, a conversation another workspace opens, and items saved
under a workspace no session has; and pass a store that holds exactly what was sent."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playground.store import Store, new_item_id

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from load_store_checks import (
    SessionRecord,
    StoreCheck,
    check_sessions,
    items_by_workspace,
)

ANSWER = "Olá! How can I help?"
A, B = "a" * 32, "b" * 32


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "workspace.db"


@pytest.fixture
def store(database: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{database}")
    yield opened
    opened.close()


def save(store: Store, workspace: str, item_id: str, turns: list[tuple[str, str]]) -> None:
    body = {"turns": [{"role": role, "content": content} for role, content in turns]}
    store.put_item(workspace, item_id, "conversation", title="t", body=body)


def chat(*sent: str) -> list[tuple[str, str]]:
    return [pair for text in sent for pair in (("user", text), ("assistant", ANSWER))]


def run(store: Store, database: Path, *sessions: SessionRecord) -> StoreCheck:
    return check_sessions(store, sessions, ANSWER, items_by_workspace(database))


def two_sessions(store: Store) -> tuple[SessionRecord, SessionRecord]:
    first, second = new_item_id(), new_item_id()
    save(store, A, first, chat("a1", "a2"))
    save(store, B, second, chat("b1"))
    return SessionRecord("one", A, first, ("a1", "a2")), SessionRecord("two", B, second, ("b1",))


def test_a_store_holding_exactly_what_was_sent_passes(store: Store, database: Path) -> None:
    check = run(store, database, *two_sessions(store))
    assert check.failures == []
    assert (check.turns_saved, check.turns_sent) == (6, 6)
    assert "6 of 6" in check.lines[0]
    assert any("items of one" in line and "1 conversation" in line for line in check.lines)


@pytest.mark.parametrize(
    ("turns", "why"),
    [
        (chat("a1"), "2 turns saved, expected 4"),  # the last turn lost
        (chat("a1", "a2")[:-1], "3 turns saved, expected 4"),  # no answer saved
        ([*chat("a1"), ("user", "a2"), ("assistant", ANSWER[:5])], "turn 4 is assistant"),
        (chat("a2", "a1"), "turn 1 is user 'a2'"),  # out of order
    ],
)
def test_a_lost_or_changed_turn_fails(
    store: Store, database: Path, turns: list[tuple[str, str]], why: str
) -> None:
    one, two = two_sessions(store)
    save(store, A, str(one.conversation), turns)
    check = run(store, database, one, two)
    assert len(check.failures) == 1 and why in check.failures[0], check.failures
    assert check.turns_saved < check.turns_sent


def test_a_missing_conversation_or_cookie_fails(store: Store, database: Path) -> None:
    one, two = two_sessions(store)
    gone = SessionRecord("one", A, new_item_id(), one.sent)
    no_url = SessionRecord("two", B, None, two.sent)
    failures = run(store, database, gone, no_url).failures
    assert any("not in its workspace" in f for f in failures)
    assert any("names no conversation" in f for f in failures)
    no_cookie = SessionRecord("one", None, one.conversation, one.sent)
    assert any("no workspace cookie" in f for f in run(store, database, no_cookie, two).failures)


def test_an_item_not_its_own_in_a_workspace_fails(store: Store, database: Path) -> None:
    one, two = two_sessions(store)
    save(store, A, new_item_id(), chat("stray"))
    store.put_item(B, new_item_id(), "prompt", title="p", body={})
    failures = run(store, database, one, two).failures
    assert any("one's workspace lists 1 conversation" in f for f in failures)
    assert any("two's workspace lists 1 prompt" in f for f in failures)


def test_shared_workspaces_and_strangers_fail(store: Store, database: Path) -> None:
    one, two = two_sessions(store)
    same = SessionRecord("two", A, two.conversation, two.sent)
    assert any("share one workspace" in f for f in run(store, database, one, same).failures)
    save(store, "c" * 32, new_item_id(), chat("x"))
    assert any("no session has" in f for f in run(store, database, one, two).failures)


def test_items_by_workspace_counts_every_item(store: Store, database: Path) -> None:
    two_sessions(store)
    save(store, A, new_item_id(), [])
    assert items_by_workspace(database) == Counter({A: 2, B: 1})


class LeakyStore:
    """A store whose get_item ignores the workspace (the bug the check is there to catch)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_item(self, workspace: str, item_id: str) -> object:
        return self.store.get_item(A, item_id) or self.store.get_item(B, item_id)

    def list_items(self, workspace: str, kind: str, limit: int) -> object:
        return self.store.list_items(workspace, kind, limit=limit)


def test_a_conversation_another_workspace_opens_fails(store: Store, database: Path) -> None:
    one, two = two_sessions(store)
    leaky: Any = LeakyStore(store)
    failures = check_sessions(leaky, [one, two], ANSWER, items_by_workspace(database)).failures
    assert "one's workspace opens two's conversation" in failures
    assert "two's workspace opens one's conversation" in failures
