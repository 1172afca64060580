"""The Export panel: every row (text, label, cluster and its label, map coordinates, embedding)
as CSV or Parquet, and the cluster labels table, each built only when its download is clicked."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd
import streamlit as st

from playground.embeddings.compute.cache import Vectors
from playground.embeddings.compute.clusters import Labels
from playground.embeddings.compute.labels import ClusterLabel, labels_frame
from playground.embeddings.data.export import export_frame, to_csv_bytes, to_parquet_bytes
from playground.embeddings.data.files import Dataset

__all__ = ["export_buttons"]


def export_buttons(
    dataset: Dataset,
    clusters: Labels | None,
    labels: list[ClusterLabel],
    coords: npt.NDArray[np.floating],
    vectors: Vectors | None,
) -> None:
    """Download buttons: all rows as CSV and as Parquet, and the cluster labels as CSV."""
    names: Mapping[int, str] | None = (
        {lab.cluster: lab.name for lab in labels} if clusters is not None else None
    )

    def full_export() -> pd.DataFrame:
        return export_frame(
            dataset.texts,
            labels=dataset.labels,
            clusters=clusters,
            cluster_names=names,
            coords=coords,
            vectors=vectors,
        )

    e1, e2, e3 = st.columns(3)
    e1.download_button(
        "All rows as CSV",
        data=lambda: to_csv_bytes(full_export()),
        file_name="embeddings.csv",
        mime="text/csv",
        key="emb_export_csv",
    )
    e2.download_button(
        "All rows as Parquet",
        data=lambda: to_parquet_bytes(full_export()),
        file_name="embeddings.parquet",
        mime="application/octet-stream",
        key="emb_export_parquet",
    )
    if labels:
        e3.download_button(
            "Cluster labels as CSV",
            data=lambda: to_csv_bytes(labels_frame(labels)),
            file_name="cluster_labels.csv",
            mime="text/csv",
            key="emb_export_labels",
        )
