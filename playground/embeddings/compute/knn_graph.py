"""k-nearest-neighbour graphs for UMAP's ``precomputed_knn``: exact when small, pynndescent above.

Pure: numpy and pynndescent, no Streamlit. Both return (indices, distances) of shape (n, k),
each row's own point first, sorted by distance, as UMAP expects.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["approximate_neighbours", "exact_neighbours", "normalise"]

Matrix = npt.NDArray[np.float32]
KNN_BLOCK = 512


def normalise(x: Matrix) -> Matrix:
    """Rows scaled to unit length (zero rows stay zero), float32."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def exact_neighbours(x: Matrix, k: int, metric: str) -> tuple[Any, Any]:
    """Exact k nearest neighbours (self first) by blocked matrix products on two threads (numpy
    releases the GIL), as UMAP's ``precomputed_knn`` expects: cosine or euclidean, sorted."""
    from concurrent.futures import ThreadPoolExecutor

    data = normalise(x) if metric == "cosine" else x
    norms = (data * data).sum(axis=1)
    indices = np.empty((len(data), k), dtype=np.int32)
    dists = np.empty((len(data), k), dtype=np.float32)

    def block(start: int) -> None:
        rows = data[start : start + KNN_BLOCK]
        dot = rows @ data.T
        if metric == "cosine":
            dist = 1.0 - dot
        else:
            dist = norms[start : start + KNN_BLOCK, None] + norms[None, :] - 2 * dot
        own = np.arange(len(rows))
        dist[own, start + own] = -1.0  # each point is its own first neighbour
        part = np.argpartition(dist, k - 1, axis=1)[:, :k]
        part_d = np.take_along_axis(dist, part, axis=1)
        order = np.argsort(part_d, axis=1)
        indices[start : start + KNN_BLOCK] = np.take_along_axis(part, order, axis=1)
        found = np.maximum(np.take_along_axis(part_d, order, axis=1), 0.0)
        dists[start : start + KNN_BLOCK] = found if metric == "cosine" else np.sqrt(found)

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        list(pool.map(block, range(0, len(data), KNN_BLOCK)))
    return indices, dists


def approximate_neighbours(x: Matrix, k: int, metric: str, seed: int | None) -> tuple[Any, Any]:
    """k nearest neighbours (self first) from pynndescent's NN-descent on every core. With a seed
    the graph is the same every run (pynndescent's parallel updates are ordered). Cosine runs as
    euclidean on normalised rows (the same order; distance = d^2 / 2), so one set of kernels
    serves both metrics (numba cannot cache them: each process compiles them once, ~12 s)."""
    import pynndescent  # type: ignore[import-untyped]

    data = normalise(x) if metric == "cosine" else x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        index = pynndescent.NNDescent(
            data,
            n_neighbors=k,
            metric="euclidean",
            random_state=seed,
            n_jobs=-1,
            low_memory=True,
            compressed=True,
        )
        indices, dists = index.neighbor_graph
    dists = np.asarray(dists, dtype=np.float32)
    if metric == "cosine":
        dists = (dists * dists) / 2.0
    return np.asarray(indices, dtype=np.int32), dists
