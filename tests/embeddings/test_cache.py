"""The embeddings cache: named by what determines the vectors (server identity, model and its
fingerprint, dimensions, encoding, key on shared servers), never by the local backend's port."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.connection import BACKEND_CUSTOM, BACKEND_LOCAL, BACKEND_XAI, Connection
from playground.embeddings.compute.cache import (
    LOCAL_SERVER,
    EmbeddingCache,
    Vectors,
    cache_namespace,
    cached_count,
    connection_namespace,
    server_identity,
    text_hash,
)
from playground.embeddings.compute.jobs import embed_texts
from xai_core import Usage

URL = "https://api.example.test/v1"
FP = "fp_local_all-MiniLM-L6-v2"


def test_each_api_key_on_a_shared_server_reads_a_cache_of_its_own() -> None:
    alice = Connection(BACKEND_XAI, URL, api_key="xai-alice-0123456789")
    bob = Connection(BACKEND_XAI, URL, api_key="xai-bob-9876543210")
    names = {connection_namespace(c, URL, "m") for c in (alice, bob)}
    assert len(names) == 2
    assert connection_namespace(alice, URL, "m") != connection_namespace(
        alice, URL, "m", dimensions=64
    )


def test_the_local_backend_cache_does_not_depend_on_its_changing_key_or_port() -> None:
    first = Connection(BACKEND_LOCAL, "http://127.0.0.1:41234/v1", api_key="started-once")
    second = Connection(BACKEND_LOCAL, "http://127.0.0.1:53321/v1", api_key="started-again")
    expected = cache_namespace(LOCAL_SERVER, "m", fingerprint=FP, encoding="base64")
    for connection in (first, second):
        name = connection_namespace(
            connection, connection.base_url, "m", fingerprint=FP, encoding="base64"
        )
        assert name == expected


def test_server_identity_drops_userinfo_and_query_and_keeps_host_port_and_path() -> None:
    base = server_identity(BACKEND_CUSTOM, "http://127.0.0.1:8000/v1")
    assert base == "http://127.0.0.1:8000/v1"
    assert server_identity(BACKEND_CUSTOM, "http://user:pw@127.0.0.1:8000/v1/?k=1") == base
    assert server_identity(BACKEND_CUSTOM, "http://127.0.0.1:9000/v1") != base
    assert server_identity(BACKEND_LOCAL, "http://127.0.0.1:9000/v1") == LOCAL_SERVER


def test_every_part_of_the_vector_space_names_its_own_cache() -> None:
    base = cache_namespace("s", "m", None, fingerprint="fp1", encoding="float")
    assert cache_namespace("s", "m", None, fingerprint="fp1", encoding="float") == base
    others = {
        cache_namespace("other", "m", None, fingerprint="fp1", encoding="float"),
        cache_namespace("s", "other", None, fingerprint="fp1", encoding="float"),
        cache_namespace("s", "m", 64, fingerprint="fp1", encoding="float"),
        cache_namespace("s", "m", None, fingerprint="fp2", encoding="float"),
        cache_namespace("s", "m", None, fingerprint=None, encoding="float"),
        cache_namespace("s", "m", None, fingerprint="fp1", encoding="base64"),
        cache_namespace("s", "m", None, fingerprint="fp1", encoding="float", key_digest="k"),
    }
    assert base not in others and len(others) == 7


def test_cached_count_counts_distinct_texts(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cache.put_many("ns", [text_hash("a")], np.ones((1, 3), np.float32))
    assert cached_count(cache, "ns", ["a", "b", "a", "c"]) == (1, 3)


class CountingEmbedder:
    """A stand-in server: a vector per text, counting the texts it was asked for."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self, batch: list[str]) -> tuple[Vectors, Usage | None]:
        self.asked += len(batch)
        return np.array([[float(len(t)), 1.0] for t in batch], np.float32), None


def _local_run(
    cache: EmbeddingCache,
    port: int,
    texts: list[str],
    model: str = "m",
    dimensions: int | None = None,
) -> tuple[int, int]:
    """Embed on a local backend listening on ``port``; (from cache, asked of the server)."""
    connection = Connection(BACKEND_LOCAL, f"http://127.0.0.1:{port}/v1", api_key=f"key-{port}")
    namespace = connection_namespace(
        connection,
        connection.base_url,
        model,
        dimensions=dimensions,
        encoding="base64",
        fingerprint=FP,
    )
    embedder = CountingEmbedder()
    result = embed_texts(texts, embedder, cache, namespace)
    return result.from_cache, embedder.asked


def test_after_a_restart_on_another_port_every_text_comes_from_the_cache(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    texts = [f"text number {i}" for i in range(280)]
    assert _local_run(cache, 41234, texts) == (0, 280)
    assert _local_run(cache, 53321, texts) == (280, 0)  # the app restarted: another port and key


def test_another_model_or_dimensions_misses_the_cache(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    texts = ["a", "bb", "ccc"]
    assert _local_run(cache, 41234, texts) == (0, 3)
    assert _local_run(cache, 41234, texts, model="other") == (0, 3)
    assert _local_run(cache, 41234, texts, dimensions=2) == (0, 3)
