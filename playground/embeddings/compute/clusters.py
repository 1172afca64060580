"""Clusters for colouring the map: k-means on the embeddings, HDBSCAN on the map's coordinates.

Pure: scikit-learn, no Streamlit. k-means works well on normalised high-dimensional embeddings;
HDBSCAN does not (distances concentrate), so it runs on the low-dimensional map, as BERTopic does.
Labels are ints; HDBSCAN marks noise as -1.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["NOISE", "hdbscan_clusters", "kmeans_clusters"]

NOISE = -1
Labels = npt.NDArray[np.int64]


def kmeans_clusters(vectors: npt.ArrayLike, k: int, seed: int = 0) -> Labels:
    """k-means with ``k`` clusters on L2-normalised rows (so it follows cosine similarity).

    ``k`` is capped at the number of distinct rows; fewer than two rows give one cluster."""
    from sklearn.cluster import KMeans

    x: npt.NDArray[np.floating] = np.asarray(vectors, dtype=np.float32)
    if x.ndim != 2 or len(x) == 0:
        return np.zeros(0, dtype=np.int64)
    if k < 1:
        raise ValueError("k must be at least 1.")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x / np.where(norms == 0, 1.0, norms)
    distinct = len(np.unique(x, axis=0))
    k = min(k, distinct)
    if k <= 1:
        return np.zeros(len(x), dtype=np.int64)
    model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(x)
    return _relabel_by_size(np.asarray(model.labels_, dtype=np.int64))


def hdbscan_clusters(coords: npt.ArrayLike, min_cluster_size: int = 10) -> Labels:
    """HDBSCAN on the map coordinates; rows in no dense region get :data:`NOISE`.

    With fewer rows than ``min_cluster_size`` everything is noise (no error)."""
    from sklearn.cluster import HDBSCAN

    x = np.asarray(coords, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0:
        return np.zeros(0, dtype=np.int64)
    if min_cluster_size < 2:
        raise ValueError("min_cluster_size must be at least 2.")
    if len(x) < min_cluster_size:
        return np.full(len(x), NOISE, dtype=np.int64)
    model = HDBSCAN(min_cluster_size=min_cluster_size, copy=True).fit(x)
    return _relabel_by_size(np.asarray(model.labels_, dtype=np.int64))


def _relabel_by_size(labels: Labels) -> Labels:
    """Cluster 0 is the largest, 1 the next…; noise stays -1. Makes colours stable."""
    kept = labels[labels != NOISE]
    if kept.size == 0:
        return labels
    ids, counts = np.unique(kept, return_counts=True)
    order = ids[np.lexsort((ids, -counts))]
    mapping = {int(old): new for new, old in enumerate(order)}
    return np.array([mapping.get(int(v), NOISE) for v in labels], dtype=np.int64)
