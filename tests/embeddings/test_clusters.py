"""k-means and HDBSCAN labels, including tiny and duplicate inputs; HDBSCAN's automatic size on
planted blobs of several sizes, the sparse-graph path for large maps and the legend cap."""

from __future__ import annotations

import time

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from playground.embeddings.compute import clusters
from playground.embeddings.compute.clusters import (
    MAX_CLUSTERS,
    NOISE,
    auto_k,
    auto_min_cluster_size,
    hdbscan_clusters,
    kmeans_clusters,
    min_samples_for,
)
from tests.embeddings.planted import blobs as planted_blobs


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
    for size in (10, None):
        labels = hdbscan_clusters(coords, min_cluster_size=size)
        assert labels[-1] == NOISE
        assert len(set(labels[:40])) == 1 and len(set(labels[40:80])) == 1
        assert labels[0] != labels[40]


def test_hdbscan_with_fewer_rows_than_the_cluster_size_is_all_noise() -> None:
    assert list(hdbscan_clusters(np.zeros((3, 2)), min_cluster_size=5)) == [NOISE] * 3
    assert list(hdbscan_clusters(np.zeros((3, 2)))) == [NOISE] * 3
    assert hdbscan_clusters(np.zeros((0, 2))).shape == (0,)
    with pytest.raises(ValueError):
        hdbscan_clusters(np.zeros((9, 2)), min_cluster_size=1)


def test_the_automatic_sizes_follow_the_number_of_points() -> None:
    assert [auto_min_cluster_size(n) for n in (0, 280, 5_000, 100_000, 10**6, 10**8)] == [
        5,
        8,
        35,
        158,
        500,
        1_000,
    ]
    assert [min_samples_for(s) for s in (5, 8, 35, 1_000)] == [5, 8, 10, 10]
    assert [auto_k(n) for n in (0, 10, 280, 5_000)] == [2, 2, 8, 20]


@pytest.mark.parametrize("n", [500, 5_000, 30_000])
def test_hdbscan_auto_keeps_the_planted_blobs_and_leaves_the_background_as_noise(n: int) -> None:
    coords, truth = planted_blobs(n, k=12, background=0.03, seed=n)
    labels = hdbscan_clusters(coords)
    in_blobs = truth >= 0
    blob_noise = (labels[in_blobs] == NOISE).mean()
    assert blob_noise < 0.03  # most points in clusters
    big_enough = np.bincount(truth[in_blobs]) >= auto_min_cluster_size(n)
    assert labels.max() + 1 == big_enough.sum()  # a blob under the size is noise (n=500: one)
    kept = in_blobs & (labels != NOISE)
    assert adjusted_rand_score(truth[kept], labels[kept]) > 0.99
    assert (labels[~in_blobs] == NOISE).mean() > max(0.2, 10 * blob_noise)  # the background
    sizes = np.bincount(labels[labels != NOISE])
    assert list(sizes) == sorted(sizes, reverse=True)  # numbered by size


def test_the_sparse_graph_gives_the_exact_clusters(monkeypatch: pytest.MonkeyPatch) -> None:
    coords, _ = planted_blobs(4_000, k=9, seed=3)
    exact = hdbscan_clusters(coords)
    monkeypatch.setattr(clusters, "EXACT_UP_TO", 100)
    on_graph = hdbscan_clusters(coords)
    assert adjusted_rand_score(exact, on_graph) > 0.99
    assert abs((exact == NOISE).mean() - (on_graph == NOISE).mean()) < 0.01


def test_duplicates_and_points_on_a_line_still_cluster_on_the_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clusters, "EXACT_UP_TO", 10)
    line = np.c_[np.r_[np.linspace(0, 1, 50), np.linspace(10, 11, 50)], np.zeros(100)]
    labels = hdbscan_clusters(line, min_cluster_size=10)  # Delaunay cannot take a line
    assert len(set(labels[:50])) == 1 and labels[0] != labels[50] != NOISE
    twins = np.repeat(np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 5.0]]), 40, axis=0)
    labels = hdbscan_clusters(twins, min_cluster_size=10)
    assert sorted(np.bincount(labels[labels != NOISE])) == [40, 40, 40]


def test_more_clusters_than_a_legend_holds_are_merged_with_their_neighbours() -> None:
    coords, truth = planted_blobs(12_000, k=49, background=0.0, seed=5)
    labels = hdbscan_clusters(coords)
    assert labels.max() + 1 == MAX_CLUSTERS
    assert (labels == NOISE).mean() < 0.03  # merged, not dropped as noise
    for blob in range(49):  # each blob stays whole, in one merged cluster
        found = labels[(truth == blob) & (labels != NOISE)]
        assert len(set(found)) == 1
    given = hdbscan_clusters(coords, min_cluster_size=50)  # a size chosen by hand: every cluster
    assert given.max() + 1 > MAX_CLUSTERS


def test_hdbscan_on_100_000_points_takes_seconds() -> None:
    coords, truth = planted_blobs(100_000, k=20, seed=7)
    started = time.perf_counter()
    labels = hdbscan_clusters(coords)
    elapsed = time.perf_counter() - started
    assert labels.max() + 1 == 20
    assert (labels[truth >= 0] == NOISE).mean() < 0.03
    assert elapsed < 30, elapsed  # a few seconds here; generous for a busy CI machine


def test_members_by_cluster() -> None:
    groups = clusters.members_by_cluster(np.array([2, -1, 0, 2, 0]))
    assert [(c, rows.tolist()) for c, rows in groups] == [(-1, [1]), (0, [2, 4]), (2, [0, 3])]
    assert clusters.members_by_cluster(np.array([], dtype=np.int64)) == []
