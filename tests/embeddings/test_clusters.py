"""k-means and HDBSCAN labels, including tiny and duplicate inputs."""

from __future__ import annotations

import numpy as np
import pytest

from playground.embeddings.compute.clusters import NOISE, hdbscan_clusters, kmeans_clusters


def blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.eye(8)[:3] * 10
    truth = np.repeat([0, 1, 2], [30, 20, 10])
    return (centres[truth] + rng.normal(scale=0.3, size=(60, 8))).astype(np.float32), truth


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = {(int(x), int(y)) for x, y in zip(a, b, strict=True)}
    return len(pairs) == len(set(a)) == len(set(b))


def test_kmeans_finds_the_blobs_and_numbers_them_by_size() -> None:
    x, truth = blobs()
    labels = kmeans_clusters(x, 3)
    assert same_partition(labels, truth)
    assert list(np.bincount(labels)) == [30, 20, 10]  # cluster 0 is the largest


def test_kmeans_caps_k_at_the_distinct_rows() -> None:
    x = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32)
    labels = kmeans_clusters(x, 10)
    assert sorted(set(labels)) == [0, 1]
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert list(kmeans_clusters(x[:1], 3)) == [0]
    assert kmeans_clusters(np.zeros((0, 2)), 3).shape == (0,)
    with pytest.raises(ValueError):
        kmeans_clusters(x, 0)


def test_hdbscan_on_map_coordinates_marks_outliers_as_noise() -> None:
    rng = np.random.default_rng(1)
    dense = np.vstack([rng.normal(0, 0.1, (40, 2)), rng.normal(5, 0.1, (40, 2))])
    coords = np.vstack([dense, [[20.0, -20.0]]])
    labels = hdbscan_clusters(coords, min_cluster_size=10)
    assert labels[-1] == NOISE
    assert len(set(labels[:40])) == 1 and len(set(labels[40:80])) == 1
    assert labels[0] != labels[40]


def test_hdbscan_with_fewer_rows_than_the_cluster_size_is_all_noise() -> None:
    assert list(hdbscan_clusters(np.zeros((3, 2)), min_cluster_size=5)) == [NOISE] * 3
