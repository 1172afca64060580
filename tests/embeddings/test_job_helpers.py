"""The embedding job's small pure helpers: the cache a connection may read, the job's key, the
requests in flight, what is cached, and the progress and summary lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.connection import BACKEND_LOCAL, BACKEND_XAI, Connection
from playground.embeddings.compute.jobs import (
    LOCAL_IN_FLIGHT,
    REMOTE_IN_FLIGHT,
    EmbeddingCache,
    EmbeddingJobResult,
    JobProgress,
    cache_namespace,
    cached_count,
    connection_namespace,
    dataset_digest,
    in_flight_for,
    progress_text,
    summary_text,
    text_hash,
)
from playground.embeddings.data.files import Dataset

URL = "https://api.example.test/v1"


def test_each_api_key_on_a_shared_server_reads_a_cache_of_its_own() -> None:
    alice = Connection(BACKEND_XAI, URL, api_key="xai-alice-0123456789")
    bob = Connection(BACKEND_XAI, URL, api_key="xai-bob-9876543210")
    names = {connection_namespace(c, URL, "m", None) for c in (alice, bob)}
    assert len(names) == 2
    assert connection_namespace(alice, URL, "m", None) != connection_namespace(alice, URL, "m", 64)


def test_the_local_backend_cache_does_not_depend_on_its_changing_key() -> None:
    first = Connection(BACKEND_LOCAL, URL, api_key="started-once")
    second = Connection(BACKEND_LOCAL, URL, api_key="started-again")
    assert connection_namespace(first, URL, "m", None) == cache_namespace(URL, "m", None)
    assert connection_namespace(second, URL, "m", None) == cache_namespace(URL, "m", None)


def test_the_dataset_digest_follows_texts_and_labels() -> None:
    plain = Dataset(["a", "b"])
    assert dataset_digest(plain) == dataset_digest(Dataset(["a", "b"], notes=["a note"]))
    assert dataset_digest(plain) != dataset_digest(Dataset(["b", "a"]))
    assert dataset_digest(plain) != dataset_digest(Dataset(["a", "b"], labels=["x", "y"]))
    assert len(dataset_digest(plain)) == 24


def test_the_local_backend_gets_one_request_at_a_time() -> None:
    assert in_flight_for(BACKEND_LOCAL) == LOCAL_IN_FLIGHT == 1
    assert in_flight_for(BACKEND_XAI) == REMOTE_IN_FLIGHT == 4


def test_cached_count_counts_distinct_texts(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cache.put_many("ns", [text_hash("a")], np.ones((1, 3), np.float32))
    assert cached_count(cache, "ns", ["a", "b", "a", "c"]) == (1, 3)


def test_progress_text_says_cache_hits_and_time_left_when_known() -> None:
    assert progress_text(JobProgress(0, 1000, 0, 0.0, 0)) == "0 / 1,000 distinct texts"
    text = progress_text(JobProgress(600, 1000, 100, 5.0, 0))
    assert text == "600 / 1,000 distinct texts · 100 from cache · about 4 s left"


def test_summary_text_gives_the_cost_or_says_it_is_unknown() -> None:
    known = EmbeddingJobResult(None, 280, 200, 80, 3312, 3_310_000, 0.24)
    assert summary_text(known, "v1") == (
        "280 distinct texts with v1: 200 embedded, 80 from the on-disk cache · 3,312 tokens · "
        "$0.000331 · 0.2 s"
    )
    unknown = EmbeddingJobResult(None, 1, 1, 0, 1, None, 0.0)
    assert "cost unknown (no price listed)" in summary_text(unknown, "v1")
