"""Alembic environment: runs on the connection ``playground.store.engine.migrate`` passes in
(``config.attributes["connection"]``); there is no alembic.ini and no logging setup here."""

from __future__ import annotations

from alembic import context

from playground.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # ALTER on SQLite = copy the table
)
with context.begin_transaction():
    context.run_migrations()
