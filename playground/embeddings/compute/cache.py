"""The on-disk embeddings cache and the vector space that names it.

Pure: no Streamlit. One SQLite file per vector space holds float32 vectors keyed by the SHA-256 of
each text. A vector space is what determines the vectors: the server's identity, the model id and
its catalog fingerprint (or version), the dimensions, the encoding, and on a shared server a
one-way digest of the API key. The local backend's identity is ``local`` (its URL carries a random
port and its key changes at every start), so its cache hits after a restart. The files never
contain an API key, and a base URL takes part only without userinfo or query string.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import httpx
import numpy as np
import numpy.typing as npt

from playground.core.connection import BACKEND_LOCAL, Connection, key_fingerprint

__all__ = [
    "LOCAL_SERVER",
    "EmbeddingCache",
    "Vectors",
    "cache_namespace",
    "cached_count",
    "connection_namespace",
    "default_cache_dir",
    "server_identity",
    "text_hash",
]

Vectors = npt.NDArray[np.float32]
#: The local backend's identity in the cache: the same models on any port, after any restart.
LOCAL_SERVER = "local"


def text_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def server_identity(backend: str, base_url: str) -> str:
    """``local`` for the local backend; else the base URL reduced to scheme, host, port and path,
    so userinfo or a query string (which could carry a secret) never takes part."""
    if backend == BACKEND_LOCAL:
        return LOCAL_SERVER
    url = httpx.URL(base_url)
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}{url.path.rstrip('/')}"


def cache_namespace(
    server: str,
    model: str,
    dimensions: int | None = None,
    *,
    fingerprint: str | None = None,
    encoding: str | None = None,
    key_digest: str = "",
) -> str:
    """A digest naming one vector space: ``server`` (from :func:`server_identity`), the model id
    and its ``fingerprint`` (the catalog's fingerprint or version, ``None`` when not listed), the
    ``dimensions`` and ``encoding`` asked for, and ``key_digest`` (a one-way digest of the API key,
    never the key), which gives each key on a shared server a cache of its own."""
    key = json.dumps([server, model, fingerprint, dimensions, encoding, key_digest])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def connection_namespace(
    connection: Connection,
    base_url: str,
    model: str,
    *,
    dimensions: int | None = None,
    encoding: str | None = None,
    fingerprint: str | None = None,
) -> str:
    """The cache a session on ``connection`` may read for ``model``: the local backend's is this
    machine's own (no key, no port); a shared server's is per base URL and per API key."""
    local = connection.backend == BACKEND_LOCAL
    return cache_namespace(
        server_identity(connection.backend, base_url),
        model,
        dimensions,
        fingerprint=fingerprint,
        encoding=encoding,
        key_digest="" if local else key_fingerprint(connection.api_key),
    )


def default_cache_dir() -> Path:
    """``EMBEDDINGS_CACHE_DIR``, else ``~/.cache/xai-playground/embeddings``."""
    explicit = os.environ.get("EMBEDDINGS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path.home() / ".cache" / "xai-playground" / "embeddings"


class EmbeddingCache:
    """Vectors on disk, one SQLite file per namespace; safe to use from several threads."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_cache_dir()

    def _connect(self, namespace: str) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.root / f"{namespace}.sqlite", timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB NOT NULL)"
        )
        return conn

    def get_many(self, namespace: str, hashes: Sequence[str]) -> dict[str, Vectors]:
        """The cached vectors among ``hashes`` (missing ones are absent from the result)."""
        found: dict[str, Vectors] = {}
        if not hashes:
            return found
        with closing(self._connect(namespace)) as conn:
            conn.execute("CREATE TEMP TABLE wanted (hash TEXT PRIMARY KEY)")
            conn.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((h,) for h in hashes))
            rows = conn.execute(
                "SELECT v.hash, v.vector FROM vectors v JOIN wanted w ON v.hash = w.hash"
            )
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype="<f4")
        return found

    def put_many(self, namespace: str, hashes: Sequence[str], vectors: Vectors) -> None:
        """Store one float32 vector per hash (replacing older ones)."""
        data = np.ascontiguousarray(vectors, dtype="<f4")
        with closing(self._connect(namespace)) as conn, conn:
            conn.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                ((h, row.tobytes()) for h, row in zip(hashes, data, strict=True)),
            )


def cached_count(cache: EmbeddingCache, namespace: str, texts: Sequence[str]) -> tuple[int, int]:
    """How many of the distinct ``texts`` are cached already, and how many there are."""
    distinct = set(texts)
    return len(cache.get_many(namespace, [text_hash(t) for t in distinct])), len(distinct)
