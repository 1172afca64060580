"""The first schema: workspaces, items, versions, shares, drafts.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ID = sa.String(64)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table and the history list's index."""
    op.create_table(
        "workspaces",
        sa.Column("id", ID, primary_key=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "items",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "workspace_id",
            ID,
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_key", sa.Text, nullable=False),
        sa.Column("version_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("text_key", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_items_workspace_kind_updated", "items", ["workspace_id", "kind", "updated_at"]
    )
    op.create_table(
        "versions",
        sa.Column("item_id", ID, sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "shares",
        sa.Column("token", ID, primary_key=True),
        sa.Column("item_id", ID, sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_shares_item_id", "shares", ["item_id"])
    op.create_table(
        "drafts",
        sa.Column(
            "workspace_id",
            ID,
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop every table."""
    for table in ("drafts", "shares", "versions", "items", "workspaces"):
        op.drop_table(table)
