"""The tables, as SQLAlchemy Core (pure). Migrations in ``migrations/versions`` create them; this
module is what the queries use, and a test checks the two agree.

Small columns come first in ``items`` so a history list never reads the large ``text_key`` and
``body`` (SQLite keeps them in overflow pages)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

ID = String(64)
CASCADE = "CASCADE"

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", ID, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("id", ID, primary_key=True),
    Column("workspace_id", ID, ForeignKey("workspaces.id", ondelete=CASCADE), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("title_key", Text, nullable=False),  # lower-cased title, for search
    Column("version_count", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("text_key", Text, nullable=False),  # lower-cased searchable text
    Column("body", Text, nullable=False),  # JSON
    Index("ix_items_workspace_kind_updated", "workspace_id", "kind", "updated_at"),
)

versions = Table(
    "versions",
    metadata,
    Column("item_id", ID, ForeignKey("items.id", ondelete=CASCADE), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("note", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),  # JSON
)

shares = Table(
    "shares",
    metadata,
    Column("token", ID, primary_key=True),
    Column("item_id", ID, ForeignKey("items.id", ondelete=CASCADE), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),  # JSON
)

drafts = Table(
    "drafts",
    metadata,
    Column("workspace_id", ID, ForeignKey("workspaces.id", ondelete=CASCADE), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),  # JSON
)
