"""The workspace store: items (conversations, prompts, presets, maps), their versions, share
snapshots and widget drafts, always read and written with a workspace id (pure: no Streamlit).

No method lists or opens another workspace's items: every query filters on the workspace id, and
``open_shared`` returns only the snapshot a share token names."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from alembic.util import CommandError
from sqlalchemy import Connection, Row, delete, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from playground.store import schema
from playground.store.codec import (
    LIKE_ESCAPE,
    MAX_ID,
    check_id,
    check_kind,
    dump,
    like_pattern,
    load,
    now,
    utc,
)
from playground.store.config import display_url, new_item_id, where
from playground.store.engine import make_engine, migrate, writer
from playground.store.errors import StoreError, translate
from playground.store.records import Item, ItemSummary, Shared, Version
from playground.store.upserts import draft_upsert, item_upsert, workspace_insert

MAX_DRAFT_NAME = 200
_ITEMS = schema.items
_FAULTS = (SQLAlchemyError, OSError, CommandError)


class Store:
    """A connected, migrated workspace store (see the module docstring)."""

    def __init__(self, url: str) -> None:
        """Connect to ``url`` and migrate its schema; StoreError (e.g. not a database, schema
        newer than this app) or StoreUnavailable (unreachable, locked, read-only)."""
        self._url = url
        self._where = where(url)
        try:
            self._engine = make_engine(url)
        except StoreError:
            raise
        except (*_FAULTS, ValueError) as error:
            raise translate(error, self._where) from error
        try:
            migrate(self._engine, self._where)
        except StoreError:
            self._engine.dispose()
            raise
        except _FAULTS as error:
            self._engine.dispose()
            raise translate(error, self._where) from error
        self._writer = writer(self._engine)
        self._dialect = self._engine.dialect.name

    @property
    def display_url(self) -> str:
        """The database URL with its password redacted."""
        return display_url(self._url)

    @property
    def where(self) -> str:
        """How messages name this database (``the file ...`` or the redacted URL)."""
        return self._where

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as connection:
                yield connection
        except _FAULTS as error:
            raise translate(error, self._where) from error

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._writer.begin() as connection:
                yield connection
        except _FAULTS as error:
            raise translate(error, self._where) from error

    def _ensure_workspace(self, connection: Connection, workspace: str, when: datetime) -> None:
        check_id(workspace, "a workspace id")
        connection.execute(workspace_insert(self._dialect), {"id": workspace, "created_at": when})

    def _owned(
        self, connection: Connection, workspace: str, item_id: str, lock: bool = False
    ) -> Row[Any] | None:
        query = select(_ITEMS).where(_ITEMS.c.id == item_id, _ITEMS.c.workspace_id == workspace)
        if lock and self._dialect == "postgresql":
            query = query.with_for_update()
        return connection.execute(query).first()

    def _require(self, connection: Connection, workspace: str, item_id: str) -> Row[Any]:
        row = self._owned(connection, workspace, item_id, lock=True)
        if row is None:
            raise KeyError(f"no item {item_id!r} in this workspace")
        return row

    # -- items ------------------------------------------------------------------------------

    def put_item(
        self,
        workspace: str,
        item_id: str,
        kind: str,
        *,
        title: str,
        body: dict[str, Any],
        text: str = "",
        keep_title: bool = False,
    ) -> None:
        """Create or replace an item; ``text`` is what search looks in besides the title.
        ``keep_title``: an item that exists keeps its title (one the user gave it by a rename),
        ``title`` is only a new item's. KeyError when ``item_id`` belongs to another workspace
        (or is an item of another kind)."""
        check_id(item_id, "an item id")
        check_kind(kind)
        when = now()
        values = {
            "id": item_id,
            "workspace_id": workspace,
            "kind": kind,
            "title": title,
            "title_key": title.lower(),
            "version_count": 0,
            "created_at": when,
            "updated_at": when,
            "text_key": text.lower(),
            "body": dump(body),
        }
        statement = item_upsert(self._dialect, keep_title)
        with self._write() as connection:
            self._ensure_workspace(connection, workspace, when)
            # RETURNING, not rowcount: psycopg reports -1 for an upsert that changed nothing
            if connection.execute(statement, values).first() is None:
                raise KeyError(f"item {item_id!r} belongs to another workspace or kind")

    def get_item(self, workspace: str, item_id: str) -> Item | None:
        """The item, or None when this workspace has no such item."""
        with self._read() as connection:
            row = self._owned(connection, workspace, item_id)
        if row is None:
            return None
        return Item(
            id=row.id,
            kind=row.kind,
            title=row.title,
            body=load(row.body),
            created_at=utc(row.created_at),
            updated_at=utc(row.updated_at),
        )

    def list_items(
        self, workspace: str, kind: str, search: str = "", limit: int = 200
    ) -> list[ItemSummary]:
        """This workspace's items of ``kind``, newest update first; ``search`` matches the title
        or the text (case-insensitive, as a plain substring)."""
        check_kind(kind)
        columns = (
            _ITEMS.c.id,
            _ITEMS.c.kind,
            _ITEMS.c.title,
            _ITEMS.c.created_at,
            _ITEMS.c.updated_at,
            _ITEMS.c.version_count,
        )
        query = select(*columns).where(_ITEMS.c.workspace_id == workspace, _ITEMS.c.kind == kind)
        if search.strip():
            pattern = like_pattern(search.strip())
            query = query.where(
                or_(
                    _ITEMS.c.title_key.like(pattern, escape=LIKE_ESCAPE),
                    _ITEMS.c.text_key.like(pattern, escape=LIKE_ESCAPE),
                )
            )
        query = query.order_by(_ITEMS.c.updated_at.desc(), _ITEMS.c.id.desc())
        with self._read() as connection:
            rows = connection.execute(query.limit(max(0, limit))).all()
        return [
            ItemSummary(
                id=row.id,
                kind=row.kind,
                title=row.title,
                created_at=utc(row.created_at),
                updated_at=utc(row.updated_at),
                versions=row.version_count,
            )
            for row in rows
        ]

    def rename_item(self, workspace: str, item_id: str, title: str) -> None:
        """Give an item a new title (its body and update time stay). KeyError when not here."""
        with self._write() as connection:
            done = connection.execute(
                update(_ITEMS)
                .where(_ITEMS.c.id == item_id, _ITEMS.c.workspace_id == workspace)
                .values(title=title, title_key=title.lower())
                .returning(_ITEMS.c.id)
            )
            if done.first() is None:
                raise KeyError(f"no item {item_id!r} in this workspace")

    def duplicate_item(self, workspace: str, item_id: str, title: str | None = None) -> str:
        """A copy of the item (body, text; not its versions or shares) under a new id, which it
        returns; the title defaults to ``"<title> (copy)"``. KeyError when not here."""
        when = now()
        copy_id = new_item_id()
        with self._write() as connection:
            row = self._require(connection, workspace, item_id)
            chosen = title if title is not None else f"{row.title} (copy)"
            connection.execute(
                _ITEMS.insert().values(
                    id=copy_id,
                    workspace_id=workspace,
                    kind=row.kind,
                    title=chosen,
                    title_key=chosen.lower(),
                    version_count=0,
                    created_at=when,
                    updated_at=when,
                    text_key=row.text_key,
                    body=row.body,
                )
            )
        return copy_id

    def delete_item(self, workspace: str, item_id: str) -> None:
        """Delete the item with its versions and share links (nothing happens when not here)."""
        with self._write() as connection:
            if self._owned(connection, workspace, item_id, lock=True) is None:
                return
            connection.execute(delete(schema.shares).where(schema.shares.c.item_id == item_id))
            connection.execute(delete(schema.versions).where(schema.versions.c.item_id == item_id))
            connection.execute(delete(_ITEMS).where(_ITEMS.c.id == item_id))

    # -- versions ---------------------------------------------------------------------------

    def add_version(
        self, workspace: str, item_id: str, body: dict[str, Any], note: str = ""
    ) -> int:
        """Save ``body`` as the item's next version unless it equals the latest one; the number
        (1-based) of the new or latest version. KeyError when the item is not here."""
        raw = dump(body)
        versions = schema.versions
        with self._write() as connection:
            self._require(connection, workspace, item_id)
            latest = connection.execute(
                select(versions.c.number, versions.c.body)
                .where(versions.c.item_id == item_id)
                .order_by(versions.c.number.desc())
                .limit(1)
            ).first()
            if latest is not None and load(latest.body) == body:
                return int(latest.number)
            number = (int(latest.number) if latest is not None else 0) + 1
            connection.execute(
                versions.insert().values(
                    item_id=item_id, number=number, note=note, created_at=now(), body=raw
                )
            )
            connection.execute(
                update(_ITEMS).where(_ITEMS.c.id == item_id).values(version_count=number)
            )
        return number

    def list_versions(self, workspace: str, item_id: str) -> list[Version]:
        """The item's versions, oldest first (empty when the item is not here)."""
        versions = schema.versions
        query = (
            select(versions.c.number, versions.c.body, versions.c.note, versions.c.created_at)
            .join(_ITEMS, _ITEMS.c.id == versions.c.item_id)
            .where(versions.c.item_id == item_id, _ITEMS.c.workspace_id == workspace)
            .order_by(versions.c.number)
        )
        with self._read() as connection:
            rows = connection.execute(query).all()
        return [
            Version(
                number=row.number,
                body=load(row.body),
                note=row.note,
                created_at=utc(row.created_at),
            )
            for row in rows
        ]

    # -- sharing ----------------------------------------------------------------------------

    def share_item(self, workspace: str, item_id: str) -> str:
        """A new share token for a snapshot of the item as it is now. KeyError when not here."""
        token = secrets.token_urlsafe(24)
        with self._write() as connection:
            row = self._require(connection, workspace, item_id)
            connection.execute(
                schema.shares.insert().values(
                    token=token,
                    item_id=item_id,
                    kind=row.kind,
                    title=row.title,
                    created_at=now(),
                    body=row.body,
                )
            )
        return token

    def open_shared(self, token: str) -> Shared | None:
        """The snapshot a share token names; None for an unknown or deleted one."""
        if not isinstance(token, str) or not token or len(token) > MAX_ID:
            return None
        shares = schema.shares
        with self._read() as connection:
            row = connection.execute(select(shares).where(shares.c.token == token)).first()
        if row is None:
            return None
        return Shared(
            token=row.token,
            kind=row.kind,
            title=row.title,
            body=load(row.body),
            created_at=utc(row.created_at),
        )

    # -- drafts -----------------------------------------------------------------------------

    def save_draft(self, workspace: str, name: str, values: dict[str, Any]) -> None:
        """Keep a set of widget values under ``name`` (replacing what was there)."""
        if not name or len(name) > MAX_DRAFT_NAME:
            raise ValueError(f"a draft name must have 1 to {MAX_DRAFT_NAME} characters")
        when = now()
        raw = dump(values)
        statement = draft_upsert(self._dialect)
        with self._write() as connection:
            self._ensure_workspace(connection, workspace, when)
            connection.execute(
                statement,
                {"workspace_id": workspace, "name": name, "updated_at": when, "body": raw},
            )

    def load_draft(self, workspace: str, name: str) -> dict[str, Any] | None:
        """The values kept under ``name``, or None."""
        drafts = schema.drafts
        query = select(drafts.c.body).where(
            drafts.c.workspace_id == workspace, drafts.c.name == name
        )
        with self._read() as connection:
            raw = connection.execute(query).scalar()
        return None if raw is None else load(raw)

    def close(self) -> None:
        """Close every pooled connection (the store can still be used; it reconnects)."""
        self._engine.dispose()
