"""The Map panel: the projection form and its run, the colouring (label or clusters), the chart
with its selection, the selected rows and the similarity heatmap."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.embeddings.compute.cache import Vectors
from playground.embeddings.compute.clusters import Labels, hdbscan_clusters, kmeans_clusters
from playground.embeddings.compute.neighbours import cosine_similarity_matrix
from playground.embeddings.compute.projection import (
    Projection,
    ProjectionError,
    ProjectionSettings,
    project,
    warm_up_state,
)
from playground.embeddings.data.export import export_frame, to_csv_bytes
from playground.embeddings.data.files import Dataset
from playground.embeddings.figures import scatter_map, selected_rows, similarity_heatmap
from playground.embeddings.widgets.search import SearchResult

__all__ = [
    "HEATMAP_MAX_ROWS",
    "Colouring",
    "MapState",
    "colouring",
    "compute_projection",
    "current_map",
    "forget_map",
    "projection_form",
    "show_heatmap",
    "show_map",
    "show_notes",
    "show_selection",
    "warm_up_note",
]

PROJECTION, CLUSTERS = "emb_projection", "emb_clusters"
HEATMAP_MAX_ROWS = 200


@dataclass(frozen=True)
class MapState:
    """A computed map kept in the session, with the data it belongs to and its settings."""

    key: Hashable
    settings: ProjectionSettings
    projection: Projection


@dataclass(frozen=True)
class Colouring:
    """What colours the points: the legend's title, each row's group, and the cluster of each
    row when the colours are clusters (``None`` for labels)."""

    title: str
    colours: list[str]
    clusters: Labels | None = None


def forget_map() -> None:
    """Drop the map and the clusters (the data they were computed on changed)."""
    for stale in (PROJECTION, CLUSTERS):
        st.session_state.pop(stale, None)


def warm_up_note() -> None:
    """A caption while UMAP compiles in the background."""
    if warm_up_state() == "running":
        st.caption(
            "UMAP is compiling in the background (once; the compiled code is cached on disk)."
        )


def projection_form(n_rows: int) -> ProjectionSettings | None:
    """The map settings form; the settings when it was submitted on this run."""
    with st.form("emb_projection_form", border=True):
        c1, c2, c3, c4, c5 = st.columns(5)
        method = c1.radio("Method", ["UMAP", "PCA"], key="emb_method", horizontal=True)
        dims = c2.radio("View", ["2D", "3D"], key="emb_view", horizontal=True)
        neighbours = c3.slider("n_neighbors", 2, 100, 15, key="emb_n_neighbors")
        min_dist = c4.slider("min_dist", 0.0, 0.99, 0.1, 0.01, key="emb_min_dist")
        metric = c5.radio("metric", ["cosine", "euclidean"], key="emb_metric", horizontal=True)
        submitted = st.form_submit_button(f"Compute the map of {n_rows:,} points", type="primary")
    if not submitted:
        return None
    return ProjectionSettings(
        method="umap" if method == "UMAP" else "pca",
        n_components=3 if dims == "3D" else 2,
        n_neighbors=int(neighbours),
        min_dist=float(min_dist),
        metric="cosine" if metric == "cosine" else "euclidean",
    )


def compute_projection(vectors: Vectors, settings: ProjectionSettings, key: Hashable) -> None:
    """Project ``vectors`` with a status and progress bar; keep the map for ``key``."""
    with st.status(f"Computing the {settings.method.upper()} map…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")
        try:

            def show(fraction: float, message: str) -> None:
                bar.progress(fraction, text=message)

            projection = project(vectors, settings, show)
        except ProjectionError as exc:
            status.update(label="The map could not be computed", state="error")
            st.error(str(exc))
            return
        status.update(
            label=f"{projection.method.upper()} map ready", state="complete", expanded=False
        )
    st.session_state[PROJECTION] = MapState(key, settings, projection)
    st.session_state.pop(CLUSTERS, None)


def current_map(key: Hashable) -> MapState | None:
    """The session's map when it belongs to ``key`` (else ``None``)."""
    mapped: MapState | None = st.session_state.get(PROJECTION)
    return mapped if mapped is not None and mapped.key == key else None


def show_notes(projection: Projection) -> None:
    """What the projection changed or fell back to, one note each."""
    for note in projection.notes:
        st.info(note, icon=":material/info:")


def colouring(dataset: Dataset, vectors: Vectors, mapped: MapState) -> Colouring:
    """The "Colour by" choice: the label, or k-means (on ``vectors``) or HDBSCAN (on the map)
    clusters, computed once per choice and data."""
    options = (["label"] if dataset.labels else []) + ["k-means clusters", "HDBSCAN clusters"]
    c1, c2 = st.columns([2, 1])
    choice = c1.radio("Colour by", options, key="emb_colour", horizontal=True)
    if choice == "label" and dataset.labels:
        return Colouring("label", list(dataset.labels))
    key: tuple[Hashable, ...]
    if choice == "k-means clusters":
        kind, count = "kmeans", int(c2.number_input("k", 2, 50, 7, key="emb_k"))
        key = (kind, count, mapped.key)
    else:
        kind = "hdbscan"
        count = int(c2.number_input("min_cluster_size", 2, 500, 10, key="emb_min_cluster"))
        key = (kind, count, mapped.key, mapped.settings)
    cached: tuple[tuple[Hashable, ...], Labels] | None = st.session_state.get(CLUSTERS)
    if cached is None or cached[0] != key:
        with st.spinner("Clustering…"):
            labels = (
                kmeans_clusters(vectors, count)
                if kind == "kmeans"
                else hdbscan_clusters(mapped.projection.coords, count)
            )
        cached = (key, labels)
        st.session_state[CLUSTERS] = cached
    return Colouring("cluster", [str(v) for v in cached[1]], cached[1])


def show_map(
    dataset: Dataset, projection: Projection, colour: Colouring, found: SearchResult
) -> list[int]:
    """The map (search neighbours ringed, the query as a star); the rows selected on it."""
    fig = scatter_map(
        projection.coords,
        dataset.texts,
        colour.colours,
        colour_title=colour.title,
        highlight=[n.row for n in found.neighbours],
        query=projection.place(found.vector[None, :]) if found.vector is not None else None,
        query_text=found.query,
    )
    three_d = projection.coords.shape[1] == 3
    event = st.plotly_chart(
        fig,
        width="stretch",
        key="emb_map",
        on_select="ignore" if three_d else "rerun",
        selection_mode=("points", "box", "lasso"),
    )
    st.caption(
        "Rotate the 3D view by dragging; select points on the 2D view."
        if three_d
        else "Lasso or box-select points to list them below (double-click clears the selection)."
    )
    if three_d or isinstance(event, DeltaGenerator) or not event or not event.selection:
        return []  # no selection on the 3D view (on_select="ignore" gives no state)
    points = event.selection.points
    return selected_rows(points)


def show_selection(
    dataset: Dataset, clusters: Labels | None, projection: Projection, rows: list[int]
) -> None:
    """The selected rows as a table, with a CSV download (nothing when none are selected)."""
    if not rows:
        return
    st.markdown(f"**{len(rows):,} selected rows**")
    selection = export_frame(
        dataset.texts,
        labels=dataset.labels,
        clusters=clusters,
        coords=projection.coords,
        rows=rows,
    )
    st.dataframe(selection, hide_index=True, width="stretch")
    st.download_button(
        "Download the selection (CSV)",
        data=to_csv_bytes(selection),
        file_name="selection.csv",
        mime="text/csv",
        key="emb_download_selection",
    )


def show_heatmap(dataset: Dataset, vectors: Vectors) -> None:
    """The cosine-similarity heatmap in an expander, up to :data:`HEATMAP_MAX_ROWS` rows."""
    if len(vectors) > HEATMAP_MAX_ROWS:
        st.caption(f"The similarity heatmap is drawn for up to {HEATMAP_MAX_ROWS} rows.")
        return
    with st.expander(f"Similarity heatmap ({len(vectors)} × {len(vectors)})"):
        st.plotly_chart(
            similarity_heatmap(cosine_similarity_matrix(vectors), dataset.texts),
            width="stretch",
            key="emb_heatmap",
        )
