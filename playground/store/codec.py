"""Small helpers of the store: timestamps, JSON bodies, argument checks, LIKE patterns (pure)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from playground.store.config import KINDS

MAX_ID = 64
LIKE_ESCAPE = "\\"


def now() -> datetime:
    """The current time, UTC."""
    return datetime.now(UTC)


def utc(value: datetime) -> datetime:
    """SQLite gives naive datetimes (stored as UTC), PostgreSQL aware ones: both become UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def dump(body: dict[str, Any]) -> str:
    """``body`` as compact JSON; TypeError when it is not a dict of JSON values."""
    if not isinstance(body, dict):
        raise TypeError(f"a body is a dict (a JSON object), not {type(body).__name__}")
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def load(raw: str) -> dict[str, Any]:
    """A stored body back as a dict."""
    body = json.loads(raw)
    return body if isinstance(body, dict) else {}


def check_id(value: str, what: str) -> None:
    """ValueError unless ``value`` is a non-empty string of at most MAX_ID characters."""
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise ValueError(f"{what} must be a non-empty string of at most {MAX_ID} characters")


def check_kind(kind: str) -> None:
    """ValueError unless ``kind`` is one of KINDS."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")


def like_pattern(search: str) -> str:
    """A lower-cased ``LIKE`` pattern matching ``search`` anywhere, its wildcards escaped."""
    escaped = search.lower()
    for special in (LIKE_ESCAPE, "%", "_"):
        escaped = escaped.replace(special, LIKE_ESCAPE + special)
    return f"%{escaped}%"
