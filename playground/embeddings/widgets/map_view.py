"""The Map panel: the map settings (drawn before Embed), the projection run, "Recompute the map"
when the settings changed, and the chart with its selection.

The chart's figure is built once per map, colouring, search and labels and kept in the session:
a rerun (a click elsewhere, a selection) does no per-point Python work at 1,000,000 points.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from playground.embeddings.compute.cache import Vectors
from playground.embeddings.compute.clusters import Labels
from playground.embeddings.compute.labels import ClusterLabel
from playground.embeddings.compute.projection import (
    DEFAULT_SEED,
    SEED_COST_NOTE,
    Projection,
    ProjectionError,
    ProjectionSettings,
    precomputed_projection,
    project,
    warm_up_state,
)
from playground.embeddings.figures import scatter_map, selected_rows
from playground.embeddings.widgets.search import SearchResult

__all__ = [
    "Colouring",
    "MapState",
    "compute_projection",
    "current_map",
    "forget_map",
    "keep_map",
    "map_figure",
    "map_settings",
    "offer_recompute",
    "precomputed_map",
    "show_map",
    "show_notes",
    "warm_up_note",
]

PROJECTION, FIGURE = "emb_projection", "emb_figure"
SEED_KEY = "emb_seed"
_stamps = itertools.count(1)


@dataclass(frozen=True)
class Colouring:
    """What colours the points: the legend's title, each row's group, the clusters and their
    labels when the colours are clusters, and a key naming this colouring (for caches)."""

    title: str
    colours: Sequence[str]
    clusters: Labels | None = None
    labels: list[ClusterLabel] = field(default_factory=list)
    key: Hashable = None
    positions: Mapping[int, npt.NDArray[np.float32]] = field(default_factory=dict)


@dataclass(frozen=True)
class MapState:
    """A computed map kept in the session: the data it belongs to (``key``), its settings, the
    projection, and a stamp unique to this computation (caches of clusters and figures)."""

    key: Hashable
    settings: ProjectionSettings
    projection: Projection
    stamp: int = 0


def forget_map() -> None:
    """Drop the map (the data it was computed on changed)."""
    for stale in (PROJECTION, FIGURE):
        st.session_state.pop(stale, None)


def keep_map(key: Hashable, settings: ProjectionSettings, projection: Projection) -> MapState:
    """Keep ``projection`` as the session's map of ``key``."""
    mapped = MapState(key, settings, projection, next(_stamps))
    st.session_state[PROJECTION] = mapped
    return mapped


def precomputed_map(coords: npt.NDArray[np.float32], digest: str) -> MapState:
    """The map of the coordinates that came with the data (kept once per ``digest``)."""
    key = ("precomputed", digest)
    return current_map(key) or keep_map(key, ProjectionSettings(), precomputed_projection(coords))


def warm_up_note() -> None:
    """A caption while UMAP compiles in the background."""
    if warm_up_state() == "running":
        st.caption(
            "UMAP is compiling in the background (once; the compiled code is cached on disk)."
        )


def map_settings() -> ProjectionSettings:
    """The map settings (method, view, n_neighbors, min_dist, metric, seed), chosen before Embed."""
    with st.container(border=True):
        st.markdown("**Map settings**")
        c1, c2, c3, c4, c5, c6 = st.columns([1.2, 1, 1.3, 1.3, 1.4, 1])
        method = c1.radio("Method", ["UMAP", "PCA"], key="emb_method", horizontal=True)
        dims = c2.radio("View", ["2D", "3D"], key="emb_view", horizontal=True)
        neighbours = c3.slider("n_neighbors", 2, 100, 15, key="emb_n_neighbors")
        min_dist = c4.slider("min_dist", 0.0, 0.99, 0.1, 0.01, key="emb_min_dist")
        metric = c5.radio("metric", ["cosine", "euclidean"], key="emb_metric", horizontal=True)
        if SEED_KEY not in st.session_state:  # a default the user can clear (no seed)
            st.session_state[SEED_KEY] = DEFAULT_SEED
        seed = c6.number_input("seed (empty: none)", 0, 2**31 - 1, None, 1, key=SEED_KEY)
        st.caption(
            f"seed {seed}: the same layout every time. {SEED_COST_NOTE}"
            if seed is not None
            else "No seed: the layout changes on every run (UMAP's layout may then use every core)."
        )
    return ProjectionSettings(
        method="umap" if method == "UMAP" else "pca",
        n_components=3 if dims == "3D" else 2,
        n_neighbors=int(neighbours),
        min_dist=float(min_dist),
        metric="cosine" if metric == "cosine" else "euclidean",
        seed=None if seed is None else int(seed),
    )


def compute_projection(
    vectors: Vectors, settings: ProjectionSettings, key: Hashable
) -> MapState | None:
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
            return None
        status.update(
            label=f"{projection.method.upper()} map ready", state="complete", expanded=False
        )
    return keep_map(key, settings, projection)


def current_map(key: Hashable) -> MapState | None:
    """The session's map when it belongs to ``key`` (else ``None``)."""
    mapped: MapState | None = st.session_state.get(PROJECTION)
    return mapped if mapped is not None and mapped.key == key else None


def offer_recompute(vectors: Vectors, settings: ProjectionSettings, key: Hashable) -> None:
    """When the map of ``key`` was computed with other settings: "Recompute the map". Before
    the first map there is nothing to offer: the Embed (or Map) button computes it."""
    mapped = current_map(key)
    if mapped is None or mapped.settings == settings:
        return
    slot = st.empty()
    with slot.container():
        st.caption("The map settings changed since this map was computed.")
        clicked = st.button(
            "Recompute the map", type="primary", key="emb_recompute", icon=":material/refresh:"
        )
    if clicked:
        slot.empty()  # the map is computed: no stale button
        compute_projection(vectors, settings, key)


def show_notes(projection: Projection) -> None:
    """What the projection changed or fell back to, one note each."""
    for note in projection.notes:
        st.info(note, icon=":material/info:")


def map_figure(
    mapped: MapState,
    texts: Sequence[str],
    colours: Sequence[str],
    *,
    colour_title: str,
    colour_key: Hashable,
    found: SearchResult,
    labels: Sequence[tuple[str, npt.NDArray[np.float32]]] = (),
) -> go.Figure:
    """The map's figure, built once per map, colouring, search and labels (kept in the
    session)."""
    highlight = tuple(n.row for n in found.neighbours)
    key = (mapped.stamp, colour_key, highlight, found.query, tuple(name for name, _ in labels))
    cached: tuple[Hashable, go.Figure] | None = st.session_state.get(FIGURE)
    if cached is not None and cached[0] == key:
        return cached[1]
    projection = mapped.projection
    fig = scatter_map(
        projection.coords,
        texts,
        colours,
        colour_title=colour_title,
        highlight=highlight,
        query=projection.place(found.vector[None, :]) if found.vector is not None else None,
        query_text=found.query,
        labels=[(name, [float(v) for v in where]) for name, where in labels],
    )
    st.session_state[FIGURE] = (key, fig)
    return fig


def show_map(fig: go.Figure, three_d: bool) -> list[int]:
    """The map chart; the rows selected on it (none on the 3D view)."""
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
    return selected_rows(event.selection.points)
