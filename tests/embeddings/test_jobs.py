"""Embedding jobs: batching, bounded concurrency, progress, cancel, errors and the disk cache."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from playground.embeddings.compute.cache import EmbeddingCache, cache_namespace, text_hash
from playground.embeddings.compute.jobs import (
    MAX_BATCH,
    EmbedBatch,
    EmbeddingJobError,
    JobProgress,
    client_embedder,
    embed_texts,
    summary_text,
)
from tests.fake_xai import FakeXai, fake_embedding
from xai_core import ModelPrices, RateLimitError, Usage, XaiClient

KEY = "xai-secret-key-do-not-store-0123456789"


def counting_embedder(
    dim: int = 4, delay: float = 0.0
) -> tuple[EmbedBatch, list[list[str]], dict[str, int]]:
    """An EmbedBatch that records its batches and the most requests seen in flight."""
    seen: list[list[str]] = []
    stats = {"in_flight": 0, "max_in_flight": 0}
    lock = threading.Lock()

    def embed(batch: list[str]) -> tuple[np.ndarray, Usage]:
        with lock:
            seen.append(list(batch))
            stats["in_flight"] += 1
            stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
        time.sleep(delay)
        with lock:
            stats["in_flight"] -= 1
        vectors = np.array([[len(t), t.count("a"), 1, 0][:dim] for t in batch], dtype=np.float32)
        return vectors, Usage(prompt_tokens=len(batch), total_tokens=len(batch))

    return embed, seen, stats


def test_batches_are_at_most_128_and_concurrency_is_bounded(tmp_path: Path) -> None:
    texts = [f"text {i}" for i in range(300)]
    embed, seen, stats = counting_embedder(delay=0.02)
    result = embed_texts(texts, embed, EmbeddingCache(tmp_path), "ns", max_in_flight=2)
    assert sorted(len(b) for b in seen) == [44, MAX_BATCH, MAX_BATCH]
    assert stats["max_in_flight"] == 2
    assert result.vectors is not None and result.vectors.shape == (300, 4)
    assert result.vectors[5][0] == len("text 5")
    assert (result.embedded, result.from_cache, result.tokens) == (300, 0, 300)


def test_duplicates_are_embedded_once_and_returned_in_input_order(tmp_path: Path) -> None:
    embed, seen, _ = counting_embedder()
    result = embed_texts(["aa", "b", "aa"], embed, EmbeddingCache(tmp_path), "ns")
    assert seen == [["aa", "b"]]
    assert result.vectors is not None
    assert result.vectors[:, 0].tolist() == [2, 1, 2]


def test_a_second_run_reads_everything_from_the_cache(tmp_path: Path) -> None:
    texts = [f"t{i}" for i in range(200)]
    embed, seen, _ = counting_embedder()
    first = embed_texts(texts, embed, EmbeddingCache(tmp_path), "ns")
    calls = len(seen)
    again = embed_texts(texts, embed, EmbeddingCache(tmp_path), "ns")
    assert len(seen) == calls
    assert (again.embedded, again.from_cache, again.tokens, again.cost_ticks) == (0, 200, 0, 0)
    assert first.vectors is not None and again.vectors is not None
    assert np.array_equal(first.vectors, again.vectors)
    assert again.vectors.dtype == np.float32
    other = embed_texts(texts[:3], embed, EmbeddingCache(tmp_path), "other-namespace")
    assert other.embedded == 3  # another model or dimensions never reuses these vectors


def test_progress_reports_counts_and_an_eta(tmp_path: Path) -> None:
    texts = [f"p{i}" for i in range(300)]
    embed, _, _ = counting_embedder(delay=0.01)
    reports: list[JobProgress] = []
    embed_texts(texts, embed, EmbeddingCache(tmp_path), "ns", on_progress=reports.append)
    assert reports[0].done == 0 and reports[0].eta_seconds is None
    assert [r.done for r in reports] == sorted(r.done for r in reports)
    assert reports[-1].done == reports[-1].total == 300
    assert reports[1].eta_seconds is not None and reports[1].eta_seconds > 0


def test_cancel_stops_between_batches_and_keeps_finished_work(tmp_path: Path) -> None:
    texts = [f"c{i}" for i in range(128 * 5)]
    embed, seen, _ = counting_embedder()
    cache = EmbeddingCache(tmp_path)
    result = embed_texts(
        texts, embed, cache, "ns", max_in_flight=1, should_cancel=lambda: len(seen) >= 2
    )
    assert result.cancelled and result.vectors is None
    assert len(seen) == 2
    resumed = embed_texts(texts, embed, cache, "ns", max_in_flight=1)
    assert resumed.from_cache == 256 and resumed.embedded == 128 * 3


def test_an_api_error_is_raised_after_the_running_batches_are_cached(tmp_path: Path) -> None:
    calls = {"n": 0}

    def flaky(batch: list[str]) -> tuple[np.ndarray, Usage | None]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RateLimitError("slow down", status_code=429)
        return np.ones((len(batch), 3), np.float32), None

    cache = EmbeddingCache(tmp_path)
    texts = [f"e{i}" for i in range(300)]
    with pytest.raises(RateLimitError):
        embed_texts(texts, flaky, cache, "ns", max_in_flight=1)
    assert len(cache.get_many("ns", [text_hash(t) for t in texts])) == 128


def test_a_wrong_number_of_vectors_is_refused(tmp_path: Path) -> None:
    def short(batch: list[str]) -> tuple[np.ndarray, Usage | None]:
        return np.ones((len(batch) - 1, 2), np.float32), None

    with pytest.raises(EmbeddingJobError, match="returned 1 embeddings for 2 texts"):
        embed_texts(["a", "b"], short, EmbeddingCache(tmp_path), "ns")


def test_against_the_fake_server_with_cost_and_no_key_on_disk(
    fake_xai: FakeXai, tmp_path: Path
) -> None:
    client = XaiClient(api_key=fake_xai.api_key, base_url=fake_xai.base_url)
    texts = [f"sentence number {i}" for i in range(130)]
    namespace = cache_namespace(client.base_url, "v1", 16)
    result = embed_texts(
        texts,
        client_embedder(client, "v1", dimensions=16, encoding_format="base64"),
        EmbeddingCache(tmp_path),
        namespace,
        prices=ModelPrices(input=1000, output=0),
    )
    assert result.vectors is not None and result.vectors.shape == (130, 16)
    assert np.allclose(result.vectors[7], fake_embedding(texts[7], 16))
    bodies = [r.body for r in fake_xai.requests if r.path == "/v1/embeddings"]
    assert sorted(len(b["input"]) for b in bodies) == [2, 128]
    assert all(b["dimensions"] == 16 and b["encoding_format"] == "base64" for b in bodies)
    assert result.cost_ticks == result.tokens * 1000 and result.tokens > 0
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert fake_xai.api_key.encode() not in path.read_bytes()


def test_with_a_mock_transport_float_encoding(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {KEY}"
        body = json.loads(request.content)
        data = [
            {"index": i, "embedding": [float(len(t)), 0.5], "object": "embedding"}
            for i, t in enumerate(body["input"])
        ]
        usage = {"prompt_tokens": 3, "total_tokens": 3}
        return httpx.Response(
            200, json={"object": "list", "model": "m", "data": data, "usage": usage}
        )

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = XaiClient(api_key=KEY, base_url="https://api.example.test/v1", http_client=http)
    result = embed_texts(
        ["abc", "de"],
        client_embedder(client, "m", encoding_format="float"),
        EmbeddingCache(tmp_path),
        cache_namespace(client.base_url, "m", None),
    )
    assert result.vectors is not None
    assert result.vectors.tolist() == [[3.0, 0.5], [2.0, 0.5]]
    assert result.cost_ticks is None  # no prices known: the cost is unknown, not zero
    assert all(KEY.encode() not in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_a_free_model_s_job_says_free_and_the_server_s_cost_says_billed(tmp_path: Path) -> None:
    embed, _, _ = counting_embedder()
    free = ModelPrices(input=0, output=0)
    result = embed_texts(["a", "b"], embed, EmbeddingCache(tmp_path), "free", prices=free)
    assert result.free and not result.billed
    assert "· free ·" in summary_text(result, "local")  # not "$0.000000"

    def billed(batch: list[str]) -> tuple[np.ndarray, Usage]:
        vectors = np.ones((len(batch), 4), dtype=np.float32)
        return vectors, Usage(prompt_tokens=len(batch), cost_in_usd_ticks=234_000 * len(batch))

    paid = ModelPrices(input=1000, output=0)
    result = embed_texts(["c", "d"], billed, EmbeddingCache(tmp_path), "paid", prices=paid)
    assert result.billed and "· $0.0000468 billed ·" in summary_text(result, "v1")
