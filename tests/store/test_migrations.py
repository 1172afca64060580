"""The schema: Alembic's revisions build exactly what playground/store/schema.py describes, once;
the history list has its index; SQLite runs in WAL with a busy timeout and foreign keys."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from playground.store import Store
from playground.store.engine import ADVISORY_LOCK_KEY, MIGRATIONS, make_engine
from playground.store.schema import metadata
from tests.store.postgres import PostgresCluster


def test_migrations_match_the_schema_module(store: Store, db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
        tables = set(inspect(connection).get_table_names())
        indexes = {
            index["name"]: index["column_names"]
            for index in inspect(connection).get_indexes("items")
        }
        head = MigrationContext.configure(connection).get_current_heads()
    engine.dispose()
    assert differences == []
    assert {"workspaces", "items", "versions", "shares", "drafts", "alembic_version"} <= tables
    assert indexes["ix_items_workspace_kind_updated"] == ["workspace_id", "kind", "updated_at"]
    assert set(head) == set(ScriptDirectory(str(MIGRATIONS)).get_heads())


def test_opening_again_does_not_migrate_again(db_url: str) -> None:
    Store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO workspaces (id, created_at) VALUES ('w', CURRENT_TIMESTAMP)")
        )
    engine.dispose()
    store = Store(db_url)  # would fail on "table exists" if it ran 0001 again
    store.save_draft("w", "widgets", {"kept": True})
    assert store.load_draft("w", "widgets") == {"kept": True}
    store.close()


def test_sqlite_settings(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "workspace.db"  # folders are made
    store = Store(f"sqlite:///{path}")
    store.close()
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    engine.dispose()
    assert path.is_file()


def test_foreign_keys_hold_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    Store(url).close()
    engine = make_engine(url)
    with engine.connect() as connection:
        try:
            connection.exec_driver_sql(
                "INSERT INTO versions (item_id, number, note, created_at, body) "
                "VALUES ('no-such-item', 1, '', CURRENT_TIMESTAMP, '{}')"
            )
            raised = False
        except Exception as error:
            raised = "FOREIGN KEY" in str(error)
    engine.dispose()
    assert raised


@pytest.mark.database
def test_postgresql_migrates_behind_an_advisory_lock(postgres: PostgresCluster) -> None:
    url = postgres.new_database()
    holder = create_engine(url)  # a replica that is migrating right now
    opened: list[Store] = []
    with holder.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        starting = threading.Thread(target=lambda: opened.append(Store(url)))
        starting.start()
        starting.join(timeout=1.5)
        assert starting.is_alive() and opened == []  # it waits for the lock
        assert "items" not in inspect(connection).get_table_names()
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
        connection.commit()
    starting.join(timeout=60)
    holder.dispose()
    assert len(opened) == 1
    opened[0].put_item("ws", "a", "map", title="Map", body={})
    assert [row.title for row in opened[0].list_items("ws", "map")] == ["Map"]
    opened[0].close()
