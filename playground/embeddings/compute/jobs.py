"""Embedding a dataset: batches of ≤ 128 texts, a bounded number in flight, progress with ETA,
cancel between batches, and an on-disk cache so a re-run or a page reload costs nothing.

Pure: no Streamlit. The cache is one SQLite file per (backend base URL, model, dimensions, digest
of the API key) holding float32 vectors keyed by the SHA-256 of each text. The files never contain
an API key. Each finished batch is written at once (from the worker thread), so work done before
a cancel, an error or an interrupted page run is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import numpy.typing as npt

from playground.core.connection import BACKEND_LOCAL, Connection, key_fingerprint
from playground.embeddings.data.files import Dataset
from xai_core import ModelPrices, Usage, XaiClient, XaiError
from xai_core.pricing import cost_in_ticks, ticks_to_usd

__all__ = [
    "LOCAL_IN_FLIGHT",
    "MAX_BATCH",
    "REMOTE_IN_FLIGHT",
    "EmbedBatch",
    "EmbedOptions",
    "EmbeddingCache",
    "EmbeddingJobError",
    "EmbeddingJobResult",
    "JobProgress",
    "Vectors",
    "cache_namespace",
    "cached_count",
    "client_embedder",
    "connection_namespace",
    "dataset_digest",
    "embed_texts",
    "in_flight_for",
    "progress_text",
    "summary_text",
    "text_hash",
]

MAX_BATCH = 128  # xAI's cap on inputs per request
LOCAL_IN_FLIGHT, REMOTE_IN_FLIGHT = 1, 4  # the local model already uses every core
Vectors = npt.NDArray[np.float32]
#: Embeds one batch: returns (len(batch), d) float32 vectors and the usage the server reported.
EmbedBatch = Callable[[list[str]], tuple[Vectors, Usage | None]]


class EmbeddingJobError(Exception):
    """The server's answer cannot be used (wrong count or mixed dimensions)."""


def text_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_namespace(base_url: str, model: str, dimensions: int | None, key_digest: str = "") -> str:
    """A digest naming one (backend, model, dimensions, key) space. The base URL is reduced to
    scheme, host, port and path, so userinfo or a query string (which could carry a secret)
    never takes part. ``key_digest`` (a one-way digest of the API key, never the key) gives each
    key a cache of its own, so one user's texts never show up as another user's cache hits and
    nobody gets vectors the server did not give their key."""
    url = httpx.URL(base_url)
    port = f":{url.port}" if url.port else ""
    clean = f"{url.scheme}://{url.host}{port}{url.path.rstrip('/')}"
    key = json.dumps([clean, model, dimensions, key_digest])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def connection_namespace(
    connection: Connection, base_url: str, model: str, dimensions: int | None
) -> str:
    """The on-disk cache a session on ``connection`` may read: per server, model and dimensions,
    and per API key on shared servers (the local backend's key changes at every start; its cache
    is this machine's own)."""
    digest = "" if connection.backend == BACKEND_LOCAL else key_fingerprint(connection.api_key)
    return cache_namespace(base_url, model, dimensions, digest)


def dataset_digest(dataset: Dataset) -> str:
    """A short digest of the texts and labels: the same data gives the same job."""
    digest = hashlib.sha256()
    for text in dataset.texts:
        digest.update(text_hash(text).encode())
    for label in dataset.labels or []:
        digest.update(label.encode() + b"\0")
    return digest.hexdigest()[:24]


def in_flight_for(backend: str) -> int:
    """Requests to run at once: one on the local backend (its model uses every core), else four."""
    return LOCAL_IN_FLIGHT if backend == BACKEND_LOCAL else REMOTE_IN_FLIGHT


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


@dataclass(frozen=True)
class EmbedOptions:
    """The request options the user chose (``None``: not sent, the server's default)."""

    dimensions: int | None = None
    encoding_format: str | None = None


@dataclass(frozen=True)
class JobProgress:
    """Where a job stands; ``done`` counts distinct texts, cached ones included."""

    done: int
    total: int
    from_cache: int
    elapsed: float
    tokens: int

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the rate of the texts embedded so far; None before the first batch."""
        embedded = self.done - self.from_cache
        if embedded <= 0 or self.elapsed <= 0:
            return None
        return (self.total - self.done) * self.elapsed / embedded


@dataclass
class EmbeddingJobResult:
    """The outcome. ``vectors`` is (len(texts), d) in input order, or None when cancelled."""

    vectors: Vectors | None
    total: int
    embedded: int
    from_cache: int
    tokens: int
    cost_ticks: int | None
    seconds: float
    cancelled: bool = False

    @property
    def cost_usd(self) -> float | None:
        """The cost in US dollars; None when a batch had no usage or the model no price."""
        return ticks_to_usd(self.cost_ticks)


def progress_text(progress: JobProgress) -> str:
    """The line under the progress bar: done / total distinct texts, how many came from the
    cache, and the time left once it can be told."""
    eta = progress.eta_seconds
    left = f" · about {eta:,.0f} s left" if eta is not None else ""
    cached = f" · {progress.from_cache:,} from cache" if progress.from_cache else ""
    return f"{progress.done:,} / {progress.total:,} distinct texts{cached}{left}"


def summary_text(result: EmbeddingJobResult, model: str) -> str:
    """One line on a finished job: counts, tokens, cost and time (``model`` is shown as given)."""
    cost = result.cost_usd
    cost_text = "cost unknown (no price listed)" if cost is None else f"${cost:,.6f}"
    return (
        f"{result.total:,} distinct texts with {model}: {result.embedded:,} embedded, "
        f"{result.from_cache:,} from the on-disk cache · {result.tokens:,} tokens · "
        f"{cost_text} · {result.seconds:,.1f} s"
    )


def client_embedder(
    client: XaiClient,
    model: str,
    dimensions: int | None = None,
    encoding_format: str | None = None,
) -> EmbedBatch:
    """An :data:`EmbedBatch` calling ``POST /embeddings`` through ``client``
    (``dimensions`` and ``encoding_format`` as in :class:`EmbedOptions`)."""

    def embed_batch(batch: list[str]) -> tuple[Vectors, Usage | None]:
        response = client.embed(
            model=model, input=batch, dimensions=dimensions, encoding_format=encoding_format
        )
        return response.vectors(), response.usage

    return embed_batch


def embed_texts(
    texts: Sequence[str],
    embed_batch: EmbedBatch,
    cache: EmbeddingCache,
    namespace: str,
    *,
    batch_size: int = MAX_BATCH,
    max_in_flight: int = 4,
    prices: ModelPrices | None = None,
    on_progress: Callable[[JobProgress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> EmbeddingJobResult:
    """Embed ``texts`` (each distinct text once), reading and filling ``cache``.

    At most ``max_in_flight`` requests run at once. ``should_cancel`` is checked each time a batch
    finishes: no new batch starts, the running ones finish and are cached, and the result comes
    back with ``cancelled=True``. An :class:`XaiError` from a batch is re-raised the same way,
    after the batches already running have been cached."""
    if not 1 <= batch_size <= MAX_BATCH:
        raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
    start = time.perf_counter()
    hashes = [text_hash(t) for t in texts]
    first_text: dict[str, str] = {}
    for digest, text in zip(hashes, texts, strict=True):
        first_text.setdefault(digest, text)
    known = cache.get_many(namespace, list(first_text))
    missing = [d for d in first_text if d not in known]
    batches = [missing[i : i + batch_size] for i in range(0, len(missing), batch_size)]
    total, from_cache = len(first_text), len(known)
    tokens, ticks, cost_known = 0, 0, True
    lock = threading.Lock()

    def report() -> None:
        if on_progress is not None:
            elapsed = time.perf_counter() - start
            on_progress(JobProgress(len(known), total, from_cache, elapsed, tokens))

    def run(batch: list[str]) -> tuple[list[str], Vectors, Usage | None]:
        vectors, usage = embed_batch([first_text[d] for d in batch])
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(batch):
            raise EmbeddingJobError(
                f"The server returned {len(vectors)} embeddings for {len(batch)} texts."
            )
        cache.put_many(namespace, batch, vectors)
        return batch, vectors, usage

    report()
    cancelled = False
    failure: BaseException | None = None
    pending: set[Future[tuple[list[str], Vectors, Usage | None]]] = set()
    queue = iter(batches)
    with ThreadPoolExecutor(max_workers=max(1, max_in_flight)) as pool:
        for batch in queue:
            pending.add(pool.submit(run, batch))
            if len(pending) >= max_in_flight:
                break
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    batch, vectors, usage = future.result()
                except (XaiError, EmbeddingJobError) as exc:
                    failure = failure or exc
                    continue
                with lock:
                    known.update(zip(batch, vectors, strict=True))
                    if usage is not None:
                        tokens += usage.prompt_tokens
                        batch_ticks = cost_in_ticks(usage, prices)
                        if batch_ticks is None:
                            cost_known = False
                        else:
                            ticks += batch_ticks
                    else:
                        cost_known = False
            report()
            if should_cancel is not None and not cancelled and should_cancel():
                cancelled = True
            if failure is None and not cancelled:
                for batch in queue:
                    pending.add(pool.submit(run, batch))
                    if len(pending) >= max_in_flight:
                        break
    if failure is not None:
        raise failure
    seconds = time.perf_counter() - start
    embedded = len(known) - from_cache
    cost = ticks if cost_known else None
    if cancelled and len(known) < total:
        return EmbeddingJobResult(
            None, total, embedded, from_cache, tokens, cost, seconds, cancelled=True
        )
    dims = {len(v) for v in known.values()}
    if len(dims) > 1:
        raise EmbeddingJobError(f"The embeddings have mixed dimensions {sorted(dims)}.")
    vectors_out = (
        np.stack([known[d] for d in hashes]).astype(np.float32, copy=False)
        if hashes
        else np.zeros((0, 0), np.float32)
    )
    return EmbeddingJobResult(vectors_out, total, embedded, from_cache, tokens, cost, seconds)
