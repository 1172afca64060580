"""The workspace store: conversations, prompts, presets and maps of one browser's workspace, their
versions, share snapshots and kept widget values, in SQLite (default) or PostgreSQL (pure: no
Streamlit). ``Store`` raises on faults; ``SafeStore`` (what the app uses) never does."""

from __future__ import annotations

from playground.store.config import KINDS, database_url, new_item_id, new_workspace_id
from playground.store.errors import StoreError, StoreUnavailable
from playground.store.records import Item, ItemSummary, Shared, Version
from playground.store.safe import SafeStore, flush_all
from playground.store.store import Store

__all__ = [
    "KINDS",
    "Item",
    "ItemSummary",
    "SafeStore",
    "Shared",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Version",
    "database_url",
    "flush_all",
    "new_item_id",
    "new_workspace_id",
]
