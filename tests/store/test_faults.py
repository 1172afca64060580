"""Faults of the database itself: not a database, a schema newer than the code, locked, read-only,
unreachable. Permanent problems are StoreError with a message naming the file; passing ones are
StoreUnavailable. Nothing is ever overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from playground.store import Store, StoreError, StoreUnavailable
from playground.store.engine import make_engine
from tests.store.postgres import PostgresCluster, free_port


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = "these are my notes, not a database\n" * 100
    path.write_text(content)
    with pytest.raises(StoreError, match="is not a database") as raised:
        Store(f"sqlite:///{path}")
    assert not isinstance(raised.value, StoreUnavailable)
    assert str(path) in str(raised.value)
    assert path.read_text() == content  # untouched


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder") as raised:
        Store(f"sqlite:///{tmp_path}")
    assert str(tmp_path) in str(raised.value)
    assert not isinstance(raised.value, StoreUnavailable)


def test_a_schema_newer_than_the_code(db_url: str) -> None:
    Store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this app") as raised:
        Store(db_url)
    message = str(raised.value)
    assert not isinstance(raised.value, StoreUnavailable)
    assert "9999" in message and "0001" in message
    if db_url.startswith("sqlite"):
        assert db_url.removeprefix("sqlite:///") in message


def test_unsupported_and_unreadable_urls() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://someone@localhost/db")
    with pytest.raises(StoreError):
        Store("not a url")


def test_a_locked_sqlite_file_is_unavailable_for_writes(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    store = Store(f"sqlite:///{path}?timeout=0.2")
    store.put_item("ws", "a", "prompt", title="Before", body={})
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="locked") as raised:
            store.put_item("ws", "b", "prompt", title="During", body={})
        assert str(path) in str(raised.value)
        item = store.get_item("ws", "a")  # WAL: reading still works
        assert item is not None and item.title == "Before"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.put_item("ws", "b", "prompt", title="After", body={})
    assert [row.title for row in store.list_items("ws", "prompt")] == ["After", "Before"]
    store.close()


def test_a_read_only_sqlite_file_is_unavailable_for_writes(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    Store(f"sqlite:///{path}").close()
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        assert read_only.list_items("ws", "prompt") == []
        with pytest.raises(StoreUnavailable, match="readonly") as raised:
            read_only.put_item("ws", "a", "prompt", title="x", body={})
        assert str(path) in str(raised.value)
    finally:
        read_only.close()


def test_unreachable_postgresql_is_unavailable_and_hides_the_password() -> None:
    url = f"postgresql+psycopg://app:s3cret-pass@127.0.0.1:{free_port()}/postgres"
    with pytest.raises(StoreUnavailable) as raised:
        Store(url)
    message = str(raised.value)
    assert "127.0.0.1" in message and "s3cret-pass" not in message and "***" in message


def test_the_postgresql_driver_is_chosen_for_a_bare_url() -> None:
    engine = make_engine("postgresql://app@127.0.0.1:1/postgres")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


@pytest.mark.database
def test_a_read_only_postgresql_database_is_unavailable(postgres: PostgresCluster) -> None:
    url = postgres.new_database()
    store = Store(url)
    store.put_item("ws", "a", "prompt", title="Before", body={})
    name = url.rsplit("/", 1)[1]
    admin = create_engine(postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    admin.dispose()
    store.close()  # new connections pick the setting up
    with pytest.raises(StoreUnavailable, match="read-only"):
        store.put_item("ws", "b", "prompt", title="x", body={})
    assert [row.title for row in store.list_items("ws", "prompt")] == ["Before"]
    store.close()


def test_another_applications_sqlite_file_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    theirs = sqlite3.connect(path)
    theirs.execute("CREATE TABLE items (name TEXT)")
    theirs.execute("INSERT INTO items VALUES ('their data')")
    theirs.commit()
    theirs.close()
    with pytest.raises(StoreError, match="another application") as raised:
        Store(f"sqlite:///{path}")
    assert not isinstance(raised.value, StoreUnavailable) and str(path) in str(raised.value)
    theirs = sqlite3.connect(path)
    tables = {row[0] for row in theirs.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"items"}  # nothing of ours was left behind: the upgrade rolled back
    assert theirs.execute("SELECT name FROM items").fetchall() == [("their data",)]
    theirs.close()
