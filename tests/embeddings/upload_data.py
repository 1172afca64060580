"""Planted uploads for the page's tests: texts of topics with 384-d vectors that cluster by topic
(normalised gaussian blobs), written as Parquet as a user would bring them."""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

TOPICS = {
    "cooking": ("garlic", "pasta", "sauce", "oven", "basil", "simmer"),
    "football": ("striker", "goal", "penalty", "referee", "midfield", "keeper"),
    "space": ("orbit", "planet", "telescope", "galaxy", "rocket", "comet"),
    "finance": ("bond", "equity", "dividend", "inflation", "portfolio", "loan"),
    "weather": ("rain", "cloud", "thunder", "drizzle", "forecast", "humidity"),
    "music": ("guitar", "melody", "chord", "drummer", "concert", "rhythm"),
    "gardening": ("compost", "tulip", "seedling", "pruning", "hedge", "soil"),
    "medicine": ("vaccine", "symptom", "dosage", "clinic", "diagnosis", "nurse"),
}
FILLER = np.array(["the", "with", "some", "then", "more", "this", "over", "today"])


def planted(
    n: int, topics: int = 8, dim: int = 384, seed: int = 0
) -> tuple[list[str], npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    """``n`` texts of ``topics`` planted topics (three topic words among filler words each),
    their unit vectors (one gaussian blob per topic, well apart) and each row's topic."""
    rng = np.random.default_rng(seed)
    names = list(TOPICS)[:topics]
    truth = rng.integers(0, topics, n)
    words = np.array([TOPICS[t] for t in names])  # (topics, 6)
    picked = words[truth[:, None], rng.integers(0, words.shape[1], (n, 3))]
    filler = FILLER[rng.integers(0, len(FILLER), (n, 3))]
    texts = [" ".join(row) for row in np.concatenate([picked, filler], axis=1).tolist()]
    centres = rng.normal(size=(topics, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = centres[truth] + rng.normal(scale=0.03, size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return texts, vectors.astype(np.float32), truth


def parquet_bytes(columns: dict[str, object]) -> bytes:
    """A Parquet file of ``columns``: a 2-D float32 array becomes a fixed-size list column (as
    embedding tools write them), anything else a plain column."""
    arrays = {}
    for name, values in columns.items():
        if isinstance(values, np.ndarray) and values.ndim == 2:
            flat = pa.array(values.astype(np.float32).reshape(-1))
            arrays[name] = pa.FixedSizeListArray.from_arrays(flat, values.shape[1])
        else:
            arrays[name] = pa.array(values)
    sink = io.BytesIO()
    pq.write_table(pa.table(arrays), sink)
    return sink.getvalue()
