"""Under the map: the selected rows (text, label, cluster and its label) with their download,
and the cosine-similarity heatmap (every row up to :data:`HEATMAP_MAX_ROWS`, else a sample of
:data:`HEATMAP_SAMPLE` rows stratified by colour group and sorted by group, said so)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import streamlit as st

from playground.embeddings.compute.cache import Vectors
from playground.embeddings.compute.clusters import Labels
from playground.embeddings.compute.groups import stratified_rows
from playground.embeddings.compute.neighbours import cosine_similarity_matrix
from playground.embeddings.data.export import export_frame, to_csv_bytes
from playground.embeddings.data.files import Dataset
from playground.embeddings.figures import similarity_heatmap

__all__ = ["HEATMAP_MAX_ROWS", "HEATMAP_SAMPLE", "SHOWN_ROWS", "show_heatmap", "show_selection"]

HEATMAP_MAX_ROWS = 300  # the 280-row sample gets its full heatmap
HEATMAP_SAMPLE = 200
SHOWN_ROWS = 1_000  # rows of a selection listed on the page (the download has all)
SAMPLE_KEY = "emb_heatmap_rows"


def show_selection(
    dataset: Dataset,
    clusters: Labels | None,
    cluster_names: Mapping[int, str] | None,
    coords: npt.NDArray[np.floating],
    rows: list[int],
) -> None:
    """The selected rows as a table (the first :data:`SHOWN_ROWS`), with a CSV download of all
    of them (built when clicked); nothing when none are selected."""
    if not rows:
        return
    st.markdown(f"**{len(rows):,} selected rows**")

    def frame(chosen: Sequence[int]) -> pd.DataFrame:
        return export_frame(
            dataset.texts,
            labels=dataset.labels,
            clusters=clusters,
            cluster_names=cluster_names,
            coords=coords,
            rows=chosen,
        )

    if len(rows) > SHOWN_ROWS:
        st.caption(f"The first {SHOWN_ROWS:,} are listed; the download has all {len(rows):,}.")
    st.dataframe(frame(rows[:SHOWN_ROWS]), hide_index=True, width="stretch")
    st.download_button(
        "Download the selection (CSV)",
        data=lambda: to_csv_bytes(frame(rows)),
        file_name="selection.csv",
        mime="text/csv",
        key="emb_download_selection",
    )


def _heatmap_rows(colours: Sequence[str], key: Hashable) -> npt.NDArray[np.intp]:
    """The sampled rows for ``colours``, kept in the session for ``key``."""
    cached: tuple[Hashable, npt.NDArray[np.intp]] | None = st.session_state.get(SAMPLE_KEY)
    if cached is None or cached[0] != key:
        cached = (key, stratified_rows(colours, HEATMAP_SAMPLE))
        st.session_state[SAMPLE_KEY] = cached
    return cached[1]


def show_heatmap(
    dataset: Dataset, vectors: Vectors, colours: Sequence[str], colour_key: Hashable
) -> None:
    """The cosine-similarity heatmap in an expander: every row up to
    :data:`HEATMAP_MAX_ROWS`, else a sample stratified by the map's colour groups."""
    n = len(vectors)
    if n <= HEATMAP_MAX_ROWS:
        title = f"Similarity heatmap ({n} × {n})"
        rows = np.arange(n)
    else:
        title = (
            f"Similarity heatmap (a sample of {HEATMAP_SAMPLE} of {n:,} rows, "
            "an equal share per colour group, sorted by group)"
        )
        rows = _heatmap_rows(colours, colour_key)
    with st.expander(title):
        if n > HEATMAP_MAX_ROWS:
            st.caption(f"Sampled: all {n:,} rows would be {n:,} × {n:,} cells.")
        st.plotly_chart(
            similarity_heatmap(
                cosine_similarity_matrix(vectors[rows]), [dataset.texts[r] for r in rows]
            ),
            width="stretch",
            key="emb_heatmap",
        )
