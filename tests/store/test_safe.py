"""SafeStore: never raises on a fault, keeps the latest pending write per key, writes it when the
database comes back (a locked or read-only SQLite file, a stopped PostgreSQL)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from playground.store import SafeStore, Store
from tests.store.postgres import PostgresCluster


def put(title: str, item_id: str = "c1") -> object:
    return lambda store: store.put_item(
        "ws", item_id, "conversation", title=title, body={"t": title}
    )


def titles(safe: SafeStore) -> list[str]:
    return safe.read(
        lambda store: [row.title for row in store.list_items("ws", "conversation")], []
    )


def test_healthy(tmp_path: Path) -> None:
    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(Store(f"sqlite:///{tmp_path / 'w.db'}"))
        return opened[-1]

    safe = SafeStore(open_store)
    assert opened == []  # lazily
    assert safe.write("c1", put("One")) is True
    assert titles(safe) == ["One"] and safe.problem is None and safe.pending == 0
    assert safe.flush() is True and len(opened) == 1
    safe.close()


def test_a_file_that_is_not_a_database_never_raises(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    path.write_text("not a database\n" * 50)
    safe = SafeStore(lambda: Store(f"sqlite:///{path}"), retry_after=0)
    assert safe.read(lambda store: store.load_draft("ws", "widgets"), {"default": True}) == {
        "default": True
    }
    assert (
        safe.problem is not None and "not a database" in safe.problem and str(path) in safe.problem
    )
    assert safe.write("c1", put("Kept")) is False and safe.pending == 1
    assert safe.flush() is False and safe.pending == 1
    assert path.read_text().startswith("not a database")


def test_locked_then_released_writes_the_latest_per_key(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    safe = SafeStore(lambda: Store(f"sqlite:///{path}?timeout=0.1"), retry_after=0)
    assert safe.write("c1", put("First"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert safe.write("c1", put("Second")) is False
        assert safe.write("c2", put("Other", "c2")) is False
        assert safe.write("c1", put("Third")) is False  # replaces "Second"
        assert safe.pending == 2 and safe.problem is not None and "locked" in safe.problem
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert safe.flush() is True
    assert safe.pending == 0 and safe.problem is None
    assert sorted(titles(safe)) == ["Other", "Third"]


def test_read_only_then_restored(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    Store(f"sqlite:///{path}").close()
    writable = {"now": False}

    def open_store() -> Store:
        if writable["now"]:
            return Store(f"sqlite:///{path}")
        return Store(f"sqlite:///file:{path}?mode=ro&uri=true")

    safe = SafeStore(open_store, retry_after=0)
    assert safe.write("draft", lambda s: s.save_draft("ws", "widgets", {"a": 1})) is False
    assert safe.write("draft", lambda s: s.save_draft("ws", "widgets", {"a": 2})) is False
    assert safe.read(lambda s: s.load_draft("ws", "widgets"), None) is None
    assert safe.problem is not None and "readonly" in safe.problem
    writable["now"] = True
    assert safe.flush() is True and safe.problem is None
    assert safe.read(lambda s: s.load_draft("ws", "widgets"), None) == {"a": 2}
    with Path(path).open("rb"):  # the file is still the same database
        assert Store(f"sqlite:///{path}").load_draft("ws", "widgets") == {"a": 2}


def test_a_read_writes_what_is_pending_first(tmp_path: Path) -> None:
    state = {"fail": True}
    url = f"sqlite:///{tmp_path / 'w.db'}"

    def open_store() -> Store:
        if state["fail"]:
            return Store(f"sqlite:///{tmp_path}")  # a folder: StoreError
        return Store(url)

    safe = SafeStore(open_store, retry_after=0)
    assert safe.write("c1", put("Pending")) is False
    state["fail"] = False
    assert titles(safe) == ["Pending"] and safe.pending == 0


def test_retries_wait_for_retry_after(tmp_path: Path) -> None:
    now = {"t": 0.0}
    calls: list[int] = []

    def open_store() -> Store:
        calls.append(1)
        return Store(f"sqlite:///{tmp_path}")  # always fails

    safe = SafeStore(open_store, retry_after=5, clock=lambda: now["t"])
    assert safe.read(lambda s: 1, 0) == 0 and len(calls) == 1
    assert safe.read(lambda s: 1, 0) == 0 and safe.write("k", put("x")) is False
    assert len(calls) == 1  # not retried within 5 s
    now["t"] = 6
    assert safe.read(lambda s: 1, 0) == 0 and len(calls) == 2
    assert safe.flush() is False and len(calls) == 3  # flush always tries


def test_a_caller_bug_is_raised_not_kept(tmp_path: Path) -> None:
    safe = SafeStore(lambda: Store(f"sqlite:///{tmp_path / 'w.db'}"))
    safe.write("c1", lambda s: s.put_item("mine", "c1", "prompt", title="x", body={}))
    with pytest.raises(KeyError):  # another workspace's id
        safe.write("c1", lambda s: s.put_item("theirs", "c1", "prompt", title="y", body={}))
    assert safe.pending == 0 and safe.problem is None


@pytest.mark.database
def test_a_stopped_postgresql_then_back(postgres: PostgresCluster) -> None:
    url = postgres.new_database()
    safe = SafeStore(lambda: Store(url), retry_after=0)
    assert safe.write("c1", put("Before"))
    postgres.stop()
    try:
        assert safe.write("c1", put("While stopped")) is False
        assert safe.write("c2", put("Also while stopped", "c2")) is False
        assert titles(safe) == [] and safe.problem is not None and safe.pending == 2
    finally:
        postgres.start()
    assert safe.flush() is True and safe.problem is None
    assert sorted(titles(safe)) == ["Also while stopped", "While stopped"]


def test_many_threads_read_and_write(tmp_path: Path) -> None:
    safe = SafeStore(lambda: Store(f"sqlite:///{tmp_path / 'w.db'}"))
    errors: list[BaseException] = []

    def session(n: int) -> None:
        try:
            key = f"c{n}"
            for turn in range(20):
                assert safe.write(key, put(f"s{n} t{turn}", key))
                assert safe.read(lambda s: s.get_item("ws", key), None) is not None
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and safe.problem is None and safe.pending == 0
    assert sorted(titles(safe)) == [f"s{n} t19" for n in range(4)]
