"""Clusters for colouring the map: k-means on the embeddings, HDBSCAN on the map's coordinates.

Pure: scikit-learn and SciPy, no Streamlit. k-means works well on normalised high-dimensional
embeddings; HDBSCAN does not (distances concentrate), so it runs on the low-dimensional map, as
BERTopic does. Labels are ints; HDBSCAN marks noise as -1.

HDBSCAN's sizes follow the number of points (:func:`auto_min_cluster_size`,
:func:`min_samples_for`): ``min_samples`` at most 10 keeps the sparser edges of large clusters in
them (noise is what lies in no dense region), and when there are more than :data:`MAX_CLUSTERS`
clusters the nearest are merged (single linkage on the map) until the legend fits: a larger
minimum size would turn small dense groups into noise instead.

scikit-learn's HDBSCAN builds its spanning tree with Prim's algorithm over all pairs (O(n²):
30 s for 100,000 points), so above :data:`EXACT_UP_TO` points it is given a
sparse graph instead: each point's nearest neighbours plus the Delaunay triangulation's edges
(which hold the Euclidean minimum spanning tree, so the graph is connected), with the same
mutual-reachability distances; its clusters match the exact ones on maps tried here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = [
    "EXACT_UP_TO",
    "MAX_CLUSTERS",
    "NOISE",
    "Labels",
    "auto_k",
    "auto_min_cluster_size",
    "hdbscan_clusters",
    "kmeans_clusters",
    "members_by_cluster",
    "min_samples_for",
]

NOISE = -1
Labels = npt.NDArray[np.int64]
#: More clusters than this do not fit a legend: the nearest are merged until they do.
MAX_CLUSTERS = 30
#: Up to this many points HDBSCAN runs on the coordinates (exact); above, on a sparse graph.
EXACT_UP_TO = 10_000
#: Distances are kept above this (a sparse graph drops zeros; duplicates sit at distance 0).
_TINY = 1e-9


def auto_k(n: int) -> int:
    """A k-means cluster count for ``n`` points: about sqrt(n / 4), between 2 and 20 (7 for the
    280-row sample, 20 from 1,600 rows on)."""
    return int(min(20, max(2, round((max(n, 0) / 4) ** 0.5))))


def auto_min_cluster_size(n: int) -> int:
    """HDBSCAN's minimum cluster size for ``n`` points: half the square root, at least 5 and at
    most 1,000 (8 for the 280-row sample, 35 at 5,000, 158 at 100,000, 500 at a million)."""
    return int(min(1_000, max(5, round(max(n, 0) ** 0.5 / 2))))


def min_samples_for(min_cluster_size: int) -> int:
    """HDBSCAN's ``min_samples`` (the neighbours that make a point dense): the cluster size up
    to 10, so large clusters keep their sparser edges instead of leaving them as noise."""
    return int(min(10, min_cluster_size))


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


def hdbscan_clusters(coords: npt.ArrayLike, min_cluster_size: int | None = None) -> Labels:
    """HDBSCAN on the map coordinates; rows in no dense region get :data:`NOISE`.

    ``min_cluster_size`` None: :func:`auto_min_cluster_size`, and when that finds more than
    :data:`MAX_CLUSTERS` clusters the nearest are merged until the legend fits; a given size is
    used as it is, with every cluster it finds. With fewer rows than
    the size everything is noise (no error)."""
    x = np.asarray(coords, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0:
        return np.zeros(0, dtype=np.int64)
    if min_cluster_size is not None and min_cluster_size < 2:
        raise ValueError("min_cluster_size must be at least 2.")
    size = auto_min_cluster_size(len(x)) if min_cluster_size is None else min_cluster_size
    if len(x) < size:
        return np.full(len(x), NOISE, dtype=np.int64)
    samples = min_samples_for(size)
    graph = _neighbour_graph(x, samples) if len(x) > EXACT_UP_TO else None
    labels = _hdbscan(x, graph, size, samples)
    if min_cluster_size is None and labels.max() + 1 > MAX_CLUSTERS:
        graph = _neighbour_graph(x, samples) if graph is None else graph
        labels = _merge_nearest(labels, graph, MAX_CLUSTERS)
    return _relabel_by_size(labels)


def _hdbscan(
    x: npt.NDArray[np.float64], graph: sparse.csr_matrix | None, size: int, samples: int
) -> Labels:
    """scikit-learn's HDBSCAN on the coordinates, or on ``graph`` (precomputed distances)."""
    from sklearn.cluster import HDBSCAN

    if graph is None:
        model = HDBSCAN(min_cluster_size=size, min_samples=samples, copy=True).fit(x)
    else:
        model = HDBSCAN(
            min_cluster_size=size, min_samples=samples, metric="precomputed", copy=True
        ).fit(graph)
    return np.asarray(model.labels_, dtype=np.int64)


def _neighbour_graph(x: npt.NDArray[np.float64], k: int) -> sparse.csr_matrix:
    """Distances along each point's ``k`` nearest neighbours (itself included, as the exact
    algorithm counts it) and the Delaunay edges, symmetric; the rest of the pairs left out.
    Points the triangulation cannot take (all on a line) are joined in a chain by position."""
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import Delaunay, QhullError
    from sklearn.neighbors import NearestNeighbors

    n = len(x)
    _, nearest = NearestNeighbors(n_neighbors=min(k, n)).fit(x).kneighbors(x)
    rows, cols = [np.repeat(np.arange(n), nearest.shape[1])], [nearest.reshape(-1)]
    try:
        pointers, neighbours = Delaunay(x).vertex_neighbor_vertices
        rows.append(np.repeat(np.arange(n), np.diff(pointers)))
        cols.append(neighbours)
    except (QhullError, ValueError):
        pass
    graph = _distance_graph(x, np.concatenate(rows), np.concatenate(cols))
    parts, which = connected_components(graph, directed=False)
    if parts > 1:  # duplicates the triangulation skipped, or degenerate input: a chain joins them
        firsts = np.unique(which, return_index=True)[1]
        chain = firsts[np.lexsort(x[firsts].T[::-1])]
        graph = _distance_graph(
            x,
            np.concatenate([graph.tocoo().row, chain[:-1]]),
            np.concatenate([graph.tocoo().col, chain[1:]]),
        )
    return graph


def _distance_graph(
    x: npt.NDArray[np.float64], rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp]
) -> sparse.csr_matrix:
    """The symmetric sparse matrix of the Euclidean distances of the pairs (rows, cols)."""
    n = len(x)
    low, high = np.minimum(rows, cols), np.maximum(rows, cols)
    pairs = np.sort(low.astype(np.int64) * n + high)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]  # each pair once (a sum would add up)
    low, high = pairs // n, pairs % n
    distances = np.maximum(np.sqrt(((x[low] - x[high]) ** 2).sum(axis=1)), _TINY)
    upper = sparse.coo_matrix((distances, (low, high)), shape=(n, n))
    diagonal = low == high
    lower = sparse.coo_matrix((distances[~diagonal], (high[~diagonal], low[~diagonal])), (n, n))
    return (upper + lower).tocsr()


def _merge_nearest(labels: Labels, graph: sparse.csr_matrix, limit: int) -> Labels:
    """Clusters merged with their nearest neighbour on the map, closest first (single linkage
    over ``graph``, noise points as stepping stones), until at most ``limit`` are left.

    Larger clusters would turn the points of small dense groups into noise; merging keeps them."""
    from scipy.sparse.csgraph import minimum_spanning_tree

    count, n = int(labels.max()) + 1, len(labels)
    node = np.where(labels >= 0, labels, count + np.arange(n))  # a cluster is one node
    edges = graph.tocoo()
    a, b, weight = node[edges.row], node[edges.col], edges.data
    between = a < b
    a, b, weight = a[between], b[between], weight[between]
    first = np.lexsort((weight, b, a))  # the shortest edge of each pair of nodes
    a, b, weight = a[first], b[first], weight[first]
    keep = np.ones(len(a), dtype=bool)
    keep[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    size = count + n
    contracted = sparse.coo_matrix((weight[keep], (a[keep], b[keep])), shape=(size, size))
    tree = minimum_spanning_tree(contracted).tocoo()
    parent = np.arange(size)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    has_cluster = np.arange(size) < count
    for k in np.argsort(tree.data, kind="stable"):
        if count <= limit:
            break
        i, j = root(int(tree.row[k])), root(int(tree.col[k]))
        if i == j:
            continue
        if has_cluster[i] and has_cluster[j]:
            count -= 1
        parent[j] = i
        has_cluster[i] |= has_cluster[j]
    merged = np.array([root(c) for c in range(int(labels.max()) + 1)], dtype=np.int64)
    return np.where(labels >= 0, merged[np.maximum(labels, 0)], NOISE)


def members_by_cluster(clusters: npt.ArrayLike) -> list[tuple[int, npt.NDArray[np.intp]]]:
    """``(cluster, its rows)`` for every cluster id present (noise too), by id; rows ascending.
    One sort for all, so a million rows take a fraction of a second."""
    labels = np.asarray(clusters, dtype=np.int64).reshape(-1)
    ids, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    order = np.argsort(inverse.reshape(-1), kind="stable")
    groups = np.split(order, np.cumsum(counts)[:-1]) if len(ids) else []
    return [(int(c), rows) for c, rows in zip(ids, groups, strict=True)]


def _relabel_by_size(labels: Labels) -> Labels:
    """Cluster 0 is the largest, 1 the next…; noise stays -1. Makes colours stable."""
    kept = labels[labels != NOISE]
    if kept.size == 0:
        return labels
    ids, counts = np.unique(kept, return_counts=True)
    order = ids[np.lexsort((ids, -counts))]
    mapping = np.full(int(labels.max()) + 2, NOISE, dtype=np.int64)
    mapping[order] = np.arange(len(order), dtype=np.int64)
    return mapping[labels]  # noise (-1) takes the last slot, which stays NOISE
