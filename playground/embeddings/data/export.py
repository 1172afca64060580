"""Export of an explored dataset (texts, labels, clusters, map coordinates, embeddings) as CSV and
Parquet bytes. Pure: pandas and pyarrow, no Streamlit."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["export_frame", "to_csv_bytes", "to_parquet_bytes"]


def export_frame(
    texts: Sequence[str],
    *,
    labels: Sequence[str] | None = None,
    clusters: Sequence[int] | npt.NDArray[np.integer] | None = None,
    cluster_names: Mapping[int, str] | None = None,
    coords: npt.NDArray[np.floating] | None = None,
    vectors: npt.NDArray[np.floating] | None = None,
    rows: Sequence[int] | None = None,
    scores: Sequence[float] | None = None,
) -> pd.DataFrame:
    """One row per text (or per row in ``rows``): ``row, score, text, label, cluster,
    cluster_label, x, y, z, embedding``; columns whose data is not given are left out.
    ``cluster_label`` is each cluster's name in ``cluster_names`` ("" for noise and unnamed
    clusters). ``scores`` (one per row in ``rows``, e.g. a search's similarities) are rounded
    to 4 decimals."""
    index = np.arange(len(texts)) if rows is None else np.asarray(list(rows), dtype=np.intp)
    frame = pd.DataFrame({"row": index})
    if scores is not None:
        frame["score"] = [round(float(s), 4) for s in scores]
    frame["text"] = [texts[i] for i in index]
    if labels is not None:
        frame["label"] = [labels[i] for i in index]
    if clusters is not None:
        chosen = np.asarray(clusters)[index]
        frame["cluster"] = chosen
        if cluster_names is not None:
            ids, inverse = np.unique(chosen, return_inverse=True)
            names = np.asarray([cluster_names.get(int(i), "") for i in ids], dtype=object)
            frame["cluster_label"] = names[inverse] if len(chosen) else []
    if coords is not None:
        for axis, name in zip(range(coords.shape[1]), ("x", "y", "z"), strict=False):
            frame[name] = np.asarray(coords, dtype=np.float32)[index, axis]
    if vectors is not None:
        frame["embedding"] = list(np.asarray(vectors, dtype=np.float32)[index])
    return frame


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV; an ``embedding`` column is written as a JSON list per row."""
    out = frame.copy()
    if "embedding" in out.columns:
        out["embedding"] = [json.dumps([float(v) for v in vec]) for vec in out["embedding"]]
    data: bytes = out.to_csv(index=False).encode("utf-8")
    return data


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet (pyarrow through pandas); an ``embedding`` column becomes a list<float> column."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
