"""Embedding a dataset: batches of ≤ 128 texts, a bounded number in flight, progress with ETA,
cancel between batches, and the on-disk cache (``cache.py``) so a re-run, a page reload or an app
restart costs nothing.

Pure: no Streamlit. Each finished batch is written to the cache at once (from the worker thread),
so work done before a cancel, an error or an interrupted page run is kept.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from playground.core.connection import BACKEND_LOCAL
from playground.core.money import UNKNOWN, cost_text, free_prices
from playground.embeddings.compute.cache import EmbeddingCache, Vectors, text_hash
from playground.embeddings.data.files import Dataset
from xai_core import ModelPrices, Usage, XaiClient, XaiError
from xai_core.pricing import cost_in_ticks, ticks_to_usd

__all__ = [
    "LOCAL_IN_FLIGHT",
    "MAX_BATCH",
    "REMOTE_IN_FLIGHT",
    "EmbedBatch",
    "EmbedOptions",
    "EmbeddingJobError",
    "EmbeddingJobResult",
    "JobProgress",
    "client_embedder",
    "dataset_digest",
    "embed_texts",
    "in_flight_for",
    "progress_text",
    "summary_text",
]

MAX_BATCH = 128  # xAI's cap on inputs per request
LOCAL_IN_FLIGHT, REMOTE_IN_FLIGHT = 1, 4  # the local model already uses every core
#: Embeds one batch: returns (len(batch), d) float32 vectors and the usage the server reported.
EmbedBatch = Callable[[list[str]], tuple[Vectors, Usage | None]]


class EmbeddingJobError(Exception):
    """The server's answer cannot be used (wrong count or mixed dimensions)."""


def dataset_digest(dataset: Dataset) -> str:
    """A short digest of the texts and labels: the same data gives the same job."""
    digest = hashlib.sha256()
    for text in dataset.texts:
        digest.update(text_hash(text).encode())
    for label in dataset.labels or []:
        digest.update(label.encode() + b"\0")
    digest.update(dataset.supplied.digest.encode() if dataset.supplied else b"")
    return digest.hexdigest()[:24]


def in_flight_for(backend: str) -> int:
    """Requests to run at once: one on the local backend (its model uses every core), else four."""
    return LOCAL_IN_FLIGHT if backend == BACKEND_LOCAL else REMOTE_IN_FLIGHT


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
    billed: bool = False  # every batch's cost was the server's own (cost_in_usd_ticks)
    free: bool = False  # the model's prices are all 0

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
    if result.embedded == 0:
        cost_words = "no cost (nothing sent)"
    elif cost is None:
        cost_words = f"{UNKNOWN} (no price listed)"
    else:
        cost_words = cost_text(cost, billed=result.billed, free=result.free)
    return (
        f"{result.total:,} distinct texts with {model}: {result.embedded:,} embedded, "
        f"{result.from_cache:,} from the on-disk cache · {result.tokens:,} tokens · "
        f"{cost_words} · {result.seconds:,.1f} s"
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
    tokens, ticks, cost_known, billed = 0, 0, True, True
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
                        billed = billed and usage.cost_in_usd_ticks is not None
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
    marks = {"billed": billed and embedded > 0, "free": free_prices(prices)}
    if cancelled and len(known) < total:
        return EmbeddingJobResult(
            None, total, embedded, from_cache, tokens, cost, seconds, cancelled=True, **marks
        )
    dims = {len(v) for v in known.values()}
    if len(dims) > 1:
        raise EmbeddingJobError(f"The embeddings have mixed dimensions {sorted(dims)}.")
    vectors_out = (
        np.stack([known[d] for d in hashes]).astype(np.float32, copy=False)
        if hashes
        else np.zeros((0, 0), np.float32)
    )
    return EmbeddingJobResult(
        vectors_out, total, embedded, from_cache, tokens, cost, seconds, **marks
    )
