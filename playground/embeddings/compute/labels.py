"""Keyword labels for clusters: class-based TF-IDF over each cluster's texts (pure, no Streamlit).

c-TF-IDF as BERTopic computes it: the texts of a cluster are one document; a term's weight in a
cluster is its frequency there (normalised by the cluster's word count) times
``log(1 + mean words per cluster / the term's frequency across all clusters)``. Words common to
every cluster weigh little; words typical of one weigh most. Noise takes part as a cluster of its
own (so words common in it are not typical of any cluster) but gets no label.

Tokens are runs of three or more letters, lower-cased, without English stop words. Each text is
cut to :data:`MAX_TEXT_CHARS` and each cluster to :data:`MAX_TEXTS_PER_CLUSTER` evenly spaced texts,
so 100,000 texts take a few seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from playground.embeddings.compute.clusters import NOISE, Labels, members_by_cluster

__all__ = [
    "KEYWORDS_KEPT",
    "MAX_TEXTS_PER_CLUSTER",
    "MAX_TEXT_CHARS",
    "NOISE_NAME",
    "ClusterLabel",
    "colour_names",
    "keyword_labels",
    "label_positions",
    "labels_frame",
    "with_names",
]

NOISE_NAME = "noise"
#: Keywords kept per cluster (the table and the model's prompt show them; the name uses a few).
KEYWORDS_KEPT = 10
MAX_TEXT_CHARS = 1_000
MAX_TEXTS_PER_CLUSTER = 10_000
#: Runs of three or more letters (any script), split at digits, underscores and the rest.
TOKEN_PATTERN = r"(?u)(?<![^\W\d_])[^\W\d_]{3,}(?![^\W\d_])"  # noqa: S105 (not a secret)
SEPARATOR = " · "


@dataclass(frozen=True)
class ClusterLabel:
    """One cluster: its id and size, its keywords (best first) and its short name."""

    cluster: int
    size: int
    keywords: tuple[str, ...]
    #: The top keywords joined ("pasta · garlic · sauce"), or the model's label.
    name: str
    by_model: bool = False


def _cluster_documents(
    texts: Sequence[str], clusters: Labels
) -> tuple[list[int], list[str], list[int]]:
    """(cluster ids, one joined document per cluster, sizes); noise last when present."""
    groups = members_by_cluster(clusters)
    if groups and groups[0][0] == NOISE:  # noise last: it takes part, it is not named
        groups.append(groups.pop(0))
    documents: list[str] = []
    for _, rows in groups:
        if len(rows) > MAX_TEXTS_PER_CLUSTER:
            rows = rows[np.linspace(0, len(rows) - 1, MAX_TEXTS_PER_CLUSTER).astype(np.int64)]
        documents.append("\n".join(texts[int(i)][:MAX_TEXT_CHARS] for i in rows))
    return [c for c, _ in groups], documents, [len(rows) for _, rows in groups]


def keyword_labels(
    texts: Sequence[str], clusters: npt.ArrayLike, *, top_n: int = 3
) -> list[ClusterLabel]:
    """One label per cluster (noise excluded), sorted by cluster id: up to
    :data:`KEYWORDS_KEPT` c-TF-IDF keywords, best first, and a name of the ``top_n`` best."""
    from sklearn.feature_extraction.text import CountVectorizer

    labels = np.asarray(clusters, dtype=np.int64).reshape(-1)
    if len(labels) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(labels)} cluster labels.")
    if not (labels != NOISE).any():
        return []
    cluster_ids, documents, sizes = _cluster_documents(texts, labels)
    vectorizer = CountVectorizer(token_pattern=TOKEN_PATTERN, stop_words="english")
    try:
        counts = vectorizer.fit_transform(documents).tocsr().astype(np.float64)
    except ValueError:  # no words at all (numbers, one-letter words, stop words only)
        return [ClusterLabel(c, s, (), f"cluster {c}") for c, s in _named(cluster_ids, sizes)]
    vocabulary = vectorizer.get_feature_names_out()
    words_per_cluster = np.asarray(counts.sum(axis=1)).reshape(-1)
    frequency = np.asarray(counts.sum(axis=0)).reshape(-1)
    idf = np.log(1.0 + words_per_cluster.mean() / frequency)
    result = []
    for i, (cluster, size) in enumerate(_named(cluster_ids, sizes)):
        row = counts.getrow(i)
        total = words_per_cluster[i] or 1.0
        weights = row.data / total * idf[row.indices]
        terms = vocabulary[row.indices]
        best = np.lexsort((terms, -weights))[:KEYWORDS_KEPT]  # ties: alphabetical
        keywords = tuple(str(terms[j]) for j in best)
        name = SEPARATOR.join(keywords[:top_n]) if keywords else f"cluster {cluster}"
        result.append(ClusterLabel(cluster, size, keywords, name))
    return sorted(result, key=lambda label: label.cluster)


def _named(cluster_ids: list[int], sizes: list[int]) -> list[tuple[int, int]]:
    """The (cluster, size) pairs that get a label: all but noise."""
    return [(c, s) for c, s in zip(cluster_ids, sizes, strict=True) if c != NOISE]


def label_positions(
    coords: npt.ArrayLike, clusters: npt.ArrayLike
) -> dict[int, npt.NDArray[np.float32]]:
    """Where to draw each cluster's label: the member nearest to the cluster's median point (a
    real point, so a label never lands in the hole of a ring-shaped cluster). Noise has none."""
    points = np.asarray(coords, dtype=np.float32)
    labels = np.asarray(clusters, dtype=np.int64).reshape(-1)
    if len(points) != len(labels):
        raise ValueError(f"{len(points)} points but {len(labels)} cluster labels.")
    positions: dict[int, npt.NDArray[np.float32]] = {}
    for cluster, rows in members_by_cluster(labels):
        if cluster == NOISE:
            continue
        members = points[rows]
        centre = np.median(members, axis=0)
        nearest = int(np.argmin(((members - centre) ** 2).sum(axis=1)))
        positions[cluster] = members[nearest].copy()
    return positions


def labels_frame(labels: Sequence[ClusterLabel]) -> pd.DataFrame:
    """The labels as a table: cluster, label, size, keywords, and who wrote the label."""
    return pd.DataFrame(
        {
            "cluster": [label.cluster for label in labels],
            "label": [label.name for label in labels],
            "size": [label.size for label in labels],
            "keywords": [", ".join(label.keywords) for label in labels],
            "by": ["model" if label.by_model else "keywords" for label in labels],
        }
    )


def with_names(labels: Sequence[ClusterLabel], names: Mapping[int, str]) -> list[ClusterLabel]:
    """``labels`` with the given names (the model's) where there is one, marked ``by_model``."""
    return [
        replace(label, name=names[label.cluster], by_model=True)
        if names.get(label.cluster)
        else label
        for label in labels
    ]


def colour_names(clusters: npt.ArrayLike, labels: Sequence[ClusterLabel]) -> list[str]:
    """Each row's colour group: ``"3 · pasta · garlic"`` (the cluster and its label), or
    :data:`NOISE_NAME`; a cluster without a label is its number."""
    values = np.asarray(clusters, dtype=np.int64).reshape(-1)
    ids, inverse = np.unique(values, return_inverse=True)
    by_id = {label.cluster: label.name for label in labels}
    names = np.array(
        [
            NOISE_NAME if c == NOISE else f"{c}{SEPARATOR}{by_id[c]}" if c in by_id else str(c)
            for c in (int(v) for v in ids)
        ],
        dtype=object,
    )
    return [str(name) for name in names[inverse.reshape(-1)]] if len(values) else []
