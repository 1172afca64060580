"""Kept widget values as a JSON document (pure, no Streamlit): what may be stored, its digest,
and how one tab's changes join what other tabs of the same workspace stored.

Values are grouped by *scope*: ``"app"`` for the widgets the router draws on every page (the
sidebar), else the page's URL path. The stored document is
``{"version": 1, "scopes": {scope: {widget key: value}}}``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "DOCUMENT_VERSION",
    "NEVER_KEPT",
    "SCOPE_APP",
    "Scopes",
    "digest",
    "from_document",
    "json_value",
    "merge_scopes",
    "storable_scopes",
    "strip_userinfo",
    "to_document",
]

DOCUMENT_VERSION = 1
#: The scope of the widgets drawn by the router on every page.
SCOPE_APP = "app"
#: Keys never kept, in memory or in the store: the API key field and the typed key.
NEVER_KEPT = frozenset({"api_key", "_typed_api_key"})

Scopes = dict[str, dict[str, Any]]


class _NotJson:
    """Marks a value that has no JSON form."""


NOT_JSON = _NotJson()


def json_value(value: Any) -> Any:
    """``value`` as JSON (tuples become lists), or :data:`NOT_JSON` when it has no plain JSON form
    (dates, objects, mappings, NaN)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else NOT_JSON
    if isinstance(value, (list, tuple)):
        items = [json_value(item) for item in value]
        return NOT_JSON if any(item is NOT_JSON for item in items) else items
    return NOT_JSON


def strip_userinfo(url: str) -> str:
    """``url`` without a ``user:password@`` part (anything unparsable comes back empty)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return ""
    if "@" not in parts.netloc:
        return url
    netloc = (f"[{host}]" if host and ":" in host else host or "") + (
        f":{port}" if port is not None else ""
    )
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def storable_scopes(scopes: Mapping[str, Mapping[str, Any]], url_keys: Iterable[str]) -> Scopes:
    """What of ``scopes`` may go to the store: JSON values only, never a key of
    :data:`NEVER_KEPT`, and the values under ``url_keys`` without ``user:password@``."""
    urls = frozenset(url_keys)
    stored: Scopes = {}
    for scope, values in scopes.items():
        kept: dict[str, Any] = {}
        for key, value in values.items():
            plain = json_value(value)
            if key in NEVER_KEPT or plain is NOT_JSON:
                continue
            kept[key] = strip_userinfo(plain) if key in urls and isinstance(plain, str) else plain
        stored[scope] = kept
    return stored


def digest(scopes: Mapping[str, Mapping[str, Any]]) -> str:
    """A digest of storable ``scopes`` (the same values give the same digest)."""
    text = json.dumps(scopes, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_document(scopes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The stored document for storable ``scopes``."""
    return {"version": DOCUMENT_VERSION, "scopes": {s: dict(v) for s, v in scopes.items()}}


def from_document(document: Mapping[str, Any] | None) -> Scopes:
    """The scopes of a stored document; empty for nothing, another version or a wrong shape.
    Keys of :data:`NEVER_KEPT` and values with no JSON form are dropped."""
    if not isinstance(document, Mapping) or document.get("version") != DOCUMENT_VERSION:
        return {}
    scopes = document.get("scopes")
    if not isinstance(scopes, Mapping):
        return {}
    found: Scopes = {}
    for scope, values in scopes.items():
        if isinstance(scope, str) and isinstance(values, Mapping):
            found[scope] = {
                key: value
                for key, value in values.items()
                if isinstance(key, str)
                and key not in NEVER_KEPT
                and json_value(value) is not NOT_JSON
            }
    return found


def merge_scopes(
    stored: Mapping[str, Mapping[str, Any]],
    mine: Mapping[str, Mapping[str, Any]],
    changed: Iterable[str],
) -> Scopes:
    """``stored`` (what every tab of the workspace saved) with this tab's ``changed`` scopes
    replaced by ``mine``: two tabs on different pages do not undo each other's work."""
    merged: Scopes = {scope: dict(values) for scope, values in stored.items()}
    for scope in changed:
        if scope in mine:
            merged[scope] = dict(mine[scope])
    return merged
