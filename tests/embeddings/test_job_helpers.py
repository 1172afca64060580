"""The embedding job's small pure helpers: the job's key, the requests in flight, and the progress
and summary lines (the cache's own: tests/embeddings/test_cache.py)."""

from __future__ import annotations

from playground.core.connection import BACKEND_LOCAL, BACKEND_XAI
from playground.embeddings.compute.jobs import (
    LOCAL_IN_FLIGHT,
    REMOTE_IN_FLIGHT,
    EmbeddingJobResult,
    JobProgress,
    dataset_digest,
    in_flight_for,
    progress_text,
    summary_text,
)
from playground.embeddings.data.files import Dataset


def test_the_dataset_digest_follows_texts_and_labels() -> None:
    plain = Dataset(["a", "b"])
    assert dataset_digest(plain) == dataset_digest(Dataset(["a", "b"], notes=["a note"]))
    assert dataset_digest(plain) != dataset_digest(Dataset(["b", "a"]))
    assert dataset_digest(plain) != dataset_digest(Dataset(["a", "b"], labels=["x", "y"]))
    assert len(dataset_digest(plain)) == 24


def test_the_local_backend_gets_one_request_at_a_time() -> None:
    assert in_flight_for(BACKEND_LOCAL) == LOCAL_IN_FLIGHT == 1
    assert in_flight_for(BACKEND_XAI) == REMOTE_IN_FLIGHT == 4


def test_progress_text_says_cache_hits_and_time_left_when_known() -> None:
    assert progress_text(JobProgress(0, 1000, 0, 0.0, 0)) == "0 / 1,000 distinct texts"
    text = progress_text(JobProgress(600, 1000, 100, 5.0, 0))
    assert text == "600 / 1,000 distinct texts · 100 from cache · about 4 s left"


def test_summary_text_gives_the_cost_or_says_it_is_unknown() -> None:
    known = EmbeddingJobResult(None, 280, 200, 80, 3312, 3_310_000, 0.24)
    assert summary_text(known, "v1") == (
        "280 distinct texts with v1: 200 embedded, 80 from the on-disk cache · 3,312 tokens · "
        "≈ $0.000331 estimated · 0.2 s"
    )
    unknown = EmbeddingJobResult(None, 1, 1, 0, 1, None, 0.0)
    assert "cost unknown (no price listed)" in summary_text(unknown, "v1")
