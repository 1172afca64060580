"""Nearest neighbours by cosine similarity. Pure numpy, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from playground.embeddings.compute.knn_graph import normalise

__all__ = ["Neighbour", "cosine_similarity_matrix", "cosine_top_k"]


@dataclass(frozen=True)
class Neighbour:
    """A row of the dataset and its cosine similarity to the query."""

    row: int
    score: float


def _unit_rows(x: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    return normalise(np.atleast_2d(np.asarray(x, dtype=np.float32)))


def cosine_top_k(
    matrix: npt.NDArray[np.floating], query: npt.NDArray[np.floating], k: int
) -> list[Neighbour]:
    """The ``k`` rows of ``matrix`` most similar to ``query``, best first (ties by row order).

    A zero vector has similarity 0 to everything. Raises ``ValueError`` when the dimensions differ.
    """
    rows = _unit_rows(matrix)
    q = _unit_rows(query).reshape(-1)
    if rows.shape[0] == 0 or k <= 0:
        return []
    if rows.shape[1] != q.shape[0]:
        raise ValueError(
            f"The query has {q.shape[0]} dimensions but the dataset has {rows.shape[1]}: "
            "embed both with the same model and dimensions."
        )
    scores = rows @ q
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    order = top[np.lexsort((top, -scores[top]))]
    return [Neighbour(int(i), float(scores[i])) for i in order]


def cosine_similarity_matrix(matrix: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """All pairwise cosine similarities of the rows, in [-1, 1]."""
    rows = _unit_rows(matrix)
    similarity: npt.NDArray[np.float32] = np.clip(rows @ rows.T, -1.0, 1.0).astype(np.float32)
    return similarity
