"""The Export panel: every row (text, label, cluster, map coordinates, embedding) as CSV or
Parquet, built only when a download is clicked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.embeddings.compute.cache import Vectors
from playground.embeddings.compute.clusters import Labels
from playground.embeddings.compute.projection import Projection
from playground.embeddings.data.export import export_frame, to_csv_bytes, to_parquet_bytes
from playground.embeddings.data.files import Dataset

__all__ = ["export_buttons"]


def export_buttons(
    dataset: Dataset, clusters: Labels | None, projection: Projection, vectors: Vectors
) -> None:
    """Two download buttons: all rows as CSV and as Parquet."""

    def full_export() -> pd.DataFrame:
        return export_frame(
            dataset.texts,
            labels=dataset.labels,
            clusters=clusters,
            coords=projection.coords,
            vectors=vectors,
        )

    e1, e2 = st.columns(2)
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
