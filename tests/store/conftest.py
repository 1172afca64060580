"""Store fixtures: a database URL for each test, on SQLite and (marked ``database``) on a real
PostgreSQL that this file starts once per session on 127.0.0.1 and a free port.

Without PostgreSQL (``scripts/ensure-postgres`` installs it) those tests skip, except with
``REQUIRE_DATABASE_TESTS=1`` (CI), where a missing server fails them."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.store import Store
from tests.store.postgres import PostgresCluster, postgres_bin

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.database)]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """The session's PostgreSQL cluster (stopped and deleted afterwards)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        message = (
            "PostgreSQL not found in /usr/lib/postgresql/*/bin "
            "(run scripts/ensure-postgres, or `apt-get install -y postgresql`)"
        )
        if os.environ.get("REQUIRE_DATABASE_TESTS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    cluster = PostgresCluster(bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(RuntimeError):  # a test may have left it stopped
            cluster.stop()
        cluster.remove()


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresCluster) -> str:
    """``postgresql+psycopg://app@127.0.0.1:PORT/postgres`` of the session's cluster."""
    return postgres.url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of its own for the test: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A Store on ``db_url``, closed afterwards."""
    opened = Store(db_url)
    try:
        yield opened
    finally:
        opened.close()
