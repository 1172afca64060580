"""Connecting (SQLite or PostgreSQL) and migrating the schema with Alembic, in code (pure).

SQLite: WAL, a 5 s busy timeout, foreign keys on, ``synchronous=NORMAL`` (durable across app
crashes; a power cut may lose the last commits, never corrupt the file). The driver's own
transaction handling is off: reads run in ``BEGIN`` (a WAL snapshot, never blocking), writes in
``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead of failing on a stale snapshot.
PostgreSQL: psycopg 3, a 5 s connect timeout, and a session advisory lock around the upgrade so
replicas starting together migrate one at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from playground.store.config import sqlite_file
from playground.store.errors import StoreError, StoreUnavailable, first_line, translate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 5
#: The PostgreSQL advisory lock key held while migrating (any constant; "xaipg" in ASCII).
ADVISORY_LOCK_KEY = 0x7861_6970_67
#: Execution option naming how an SQLite transaction begins (see ``_sqlite_begin``).
BEGIN_OPTION = "sqlite_begin"
BEGIN_MODES = {"DEFERRED": "BEGIN DEFERRED", "IMMEDIATE": "BEGIN IMMEDIATE"}


def _sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.isolation_level = None  # we say BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(BEGIN_MODES[mode])


def make_engine(url: str) -> Engine:
    """An engine for ``url`` set up as the module docstring says (makes an SQLite file's folder)."""
    parsed: URL = make_url(url)
    backend = parsed.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "sqlite":
        path = sqlite_file(url)
        if path is not None and path.is_dir():
            raise StoreError(f"the file {path} is a folder, not a database")
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        if "timeout" not in parsed.query:
            connect_args["timeout"] = BUSY_TIMEOUT_S
        engine = create_engine(parsed, connect_args=connect_args)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        return create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)
    raise StoreError(
        f"unsupported database {parsed.drivername!r}: use sqlite:///path or "
        "postgresql+psycopg://user@host:port/db"
    )


def writer(engine: Engine) -> Engine:
    """``engine`` whose transactions take SQLite's write lock at once (no effect elsewhere)."""
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _check_known(current: set[str], script: ScriptDirectory, where: str) -> None:
    known = {revision.revision for revision in script.walk_revisions()}
    unknown = sorted(current - known)
    if unknown:
        head = ", ".join(sorted(script.get_heads()))
        raise StoreError(
            f"{where} has a schema newer than this app (revision {', '.join(unknown)}; this app "
            f"knows up to {head}): run a newer version of the app, or choose another database "
            "with PLAYGROUND_DB_URL"
        )


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def _upgrade(connection: Connection, where: str) -> None:
    try:
        command.upgrade(_alembic_config(connection), "head")
    except SQLAlchemyError as error:
        translated = translate(error, where)
        if isinstance(translated, StoreUnavailable):
            raise translated from error
        raise StoreError(
            f"{where} could not be set up for this app ({first_line(error)}): is it another "
            "application's database? Choose another with PLAYGROUND_DB_URL"
        ) from error


def migrate(engine: Engine, where: str) -> None:
    """Bring the schema to the newest revision; StoreError when it is newer than this code."""
    script = ScriptDirectory(str(MIGRATIONS))
    heads = set(script.get_heads())
    with engine.connect() as connection:  # a plain read first: nothing to lock when up to date
        current = _current(connection)
    _check_known(current, script, where)
    if current == heads:
        return
    postgres = engine.dialect.name == "postgresql"
    with writer(engine).connect() as connection:
        if postgres:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
        try:
            with connection.begin():
                current = _current(connection)  # another process may have migrated meanwhile
                _check_known(current, script, where)
                if current != heads:
                    _upgrade(connection, where)
        finally:
            if postgres:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                connection.commit()
