"""Stand-ins for the issue-16 interfaces other helpers are building (labels, scale), with the
contract's names and shapes; each goes away when its branch is merged."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import streamlit as st

from playground.core.connection import Connection
from playground.embeddings.compute.clusters import NOISE, Labels, hdbscan_clusters
from playground.embeddings.compute.projection import Projection
from playground.embeddings.data.files import (
    Dataset,
    DatasetError,
    dataset_from_frame,
    guess_text_column,
    read_table,
)
from xai_core import XaiClient

DEFAULT_SEED = 42
SEED_COST_NOTE = "a fixed seed runs UMAP on one thread: slower than unseeded on 2 cores"


def precomputed_projection(coords: npt.NDArray[np.float32]) -> Projection:
    """The map of coordinates that came with the data: nothing to compute."""
    return Projection(np.asarray(coords, dtype=np.float32), "precomputed")


def auto_min_cluster_size(n: int) -> int:
    """HDBSCAN's minimum cluster size for ``n`` points."""
    return int(max(5, min(1000, round(n / 60))))


def auto_hdbscan(coords: npt.NDArray[np.floating], size: int | None) -> Labels:
    """HDBSCAN with ``size`` (None: :func:`auto_min_cluster_size`)."""
    return hdbscan_clusters(coords, size or auto_min_cluster_size(len(coords)))


@dataclass(frozen=True)
class ClusterLabel:
    cluster: int
    size: int
    keywords: tuple[str, ...]
    name: str
    by_model: bool = False


def keyword_labels(texts: Sequence[str], clusters: Labels, *, top_n: int = 3) -> list[ClusterLabel]:
    """Crude stand-in: the most frequent long words of each cluster."""
    labels = []
    for cluster in sorted({int(c) for c in np.unique(clusters)} - {NOISE}):
        rows = np.flatnonzero(clusters == cluster)
        counts: dict[str, int] = {}
        for r in rows[:2000]:
            for word in {w.strip(".,!?;:\"'").lower() for w in texts[r].split()}:
                if len(word) > 4:
                    counts[word] = counts.get(word, 0) + 1
        top = tuple(sorted(counts, key=lambda w: -counts[w])[:top_n])
        labels.append(ClusterLabel(cluster, len(rows), top, " · ".join(top)))
    return labels


def label_positions(
    coords: npt.NDArray[np.floating], clusters: Labels
) -> dict[int, npt.NDArray[np.float32]]:
    return {
        int(c): np.median(coords[clusters == c], axis=0).astype(np.float32)
        for c in np.unique(clusters)
        if c != NOISE
    }


def labels_frame(labels: Sequence[ClusterLabel]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cluster": [lab.cluster for lab in labels],
            "label": [lab.name for lab in labels],
            "size": [lab.size for lab in labels],
            "keywords": [", ".join(lab.keywords) for lab in labels],
            "by": ["model" if lab.by_model else "keywords" for lab in labels],
        }
    )


def cluster_labels_panel(
    client: XaiClient,
    connection: Connection,
    texts: Sequence[str],
    coords: npt.NDArray[np.floating],
    clusters: Labels,
    labels: list[ClusterLabel],
    key: Hashable,
) -> list[ClusterLabel]:
    with st.expander(f"Cluster labels ({len(labels)})"):
        st.dataframe(labels_frame(labels), hide_index=True, width="stretch")
    return labels


# --- readers (data/uploads.py, data/vectors.py) ---------------------------------------------------


@dataclass(frozen=True, eq=False)
class Supplied:
    vectors: npt.NDArray[np.float32] | None = None
    coords: npt.NDArray[np.float32] | None = None
    source: str = ""
    digest: str = ""


@dataclass(frozen=True, eq=False)
class Upload:
    name: str
    frame: pd.DataFrame
    vectors: dict[str, npt.NDArray[np.float32]]
    notes: list[str]


@dataclass(frozen=True)
class ColumnGuess:
    text: str | None
    label: str | None
    vectors: str | None


UPLOAD_TYPES = ("csv", "tsv", "jsonl", "ndjson", "parquet")


def read_upload(files: Sequence[tuple[str, bytes]]) -> Upload:
    if len(files) != 1:
        raise DatasetError("Upload one table (several files come with issue 16's readers).")
    name, data = files[0]
    return Upload(name, read_table(name, data), {}, [])


def vector_choices(upload: Upload) -> dict[str, str]:
    return {}


def guess_columns(upload: Upload) -> ColumnGuess:
    return ColumnGuess(guess_text_column(upload.frame), None, None)


def preview_frame(upload: Upload, rows: int = 20) -> pd.DataFrame:
    return upload.frame.head(rows)


def dataset_from_upload(
    upload: Upload, text_column: str | None, label_column: str | None, vectors: str | None
) -> Dataset:
    if text_column is None:
        raise DatasetError("Choose the text column.")
    return dataset_from_frame(upload.frame, text_column, label_column)
