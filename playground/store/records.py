"""What the store hands back: plain frozen dataclasses (pure). Timestamps are UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ItemSummary:
    """One row of a history list."""

    id: str
    kind: str
    title: str
    created_at: datetime
    updated_at: datetime
    versions: int


@dataclass(frozen=True)
class Item:
    """One item with its body (a JSON document)."""

    id: str
    kind: str
    title: str
    body: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Version:
    """One saved version of an item (numbers start at 1)."""

    number: int
    body: dict[str, Any]
    note: str
    created_at: datetime


@dataclass(frozen=True)
class Shared:
    """The snapshot a share link opens (read-only)."""

    token: str
    kind: str
    title: str
    body: dict[str, Any]
    created_at: datetime
