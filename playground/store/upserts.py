"""The store's upserts, built once per dialect (pure): SQLAlchemy's construction of an
``INSERT ... ON CONFLICT`` costs more than running it, so each is built on first use and then
executed with a dict of its values (both SQLite and PostgreSQL offer ``on_conflict_do_*``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from playground.store import schema

_ITEMS = schema.items


def _insert(dialect: str, table: Table) -> Any:
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


@cache
def workspace_insert(dialect: str) -> Any:
    """INSERT a workspace (``id``, ``created_at``) unless it exists."""
    return _insert(dialect, schema.workspaces).on_conflict_do_nothing(index_elements=["id"])


@cache
def item_upsert(dialect: str, keep_title: bool) -> Any:
    """INSERT an item, or UPDATE the one with its id when it is of the same workspace and kind
    (its title too unless ``keep_title``), RETURNING its id (no row when nothing was written:
    psycopg reports a rowcount of -1 for an upsert that changed nothing)."""
    insert = _insert(dialect, _ITEMS)
    new = insert.excluded
    titles = {} if keep_title else {"title": new.title, "title_key": new.title_key}
    return insert.on_conflict_do_update(
        index_elements=["id"],
        set_={**titles, "updated_at": new.updated_at, "text_key": new.text_key, "body": new.body},
        where=(_ITEMS.c.workspace_id == new.workspace_id) & (_ITEMS.c.kind == new.kind),
    ).returning(_ITEMS.c.id)


@cache
def draft_upsert(dialect: str) -> Any:
    """INSERT a draft (``workspace_id``, ``name``, ``updated_at``, ``body``) or replace it."""
    insert = _insert(dialect, schema.drafts)
    return insert.on_conflict_do_update(
        index_elements=["workspace_id", "name"],
        set_={"updated_at": insert.excluded.updated_at, "body": insert.excluded.body},
    )
