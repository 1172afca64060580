"""Colour by: the data's label, or clusters (HDBSCAN on the map by default, with an automatic
minimum size; k-means on the vectors), each cluster named by its keyword label.

The radio's value is always one of the current options, and what the browser shows: the options
change with the dataset (an unlabelled one has no "label"), and Streamlit then draws a new radio
whose browser side starts at its default while the server kept the old value, so "label" showed
selected while the map was coloured by cluster, and clicking it did nothing (issue 16). The
value is therefore checked and set through ``st.session_state`` before each draw, which also
sends it to the browser.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import streamlit as st

from playground.embeddings.compute.cache import Vectors
from playground.embeddings.compute.clusters import Labels, hdbscan_clusters, kmeans_clusters
from playground.embeddings.compute.labels import (
    ClusterLabel,
    colour_names,
    keyword_labels,
    label_positions,
)
from playground.embeddings.data.files import Dataset
from playground.embeddings.widgets.map_view import Colouring, MapState

__all__ = [
    "COLOUR_KEY",
    "HDBSCAN",
    "KMEANS",
    "LABEL",
    "Colouring",
    "colour_options",
    "colouring",
    "forget_clusters",
    "named_colours",
    "synced_choice",
]

COLOUR_KEY = "emb_colour"
CLUSTERS, COLOURS = "emb_clusters", "emb_cluster_colours"
LABEL, HDBSCAN, KMEANS = "label", "HDBSCAN clusters", "k-means clusters"


@dataclass(frozen=True)
class _Clustered:
    key: Hashable
    clusters: Labels
    labels: list[ClusterLabel]
    positions: dict[int, npt.NDArray[np.float32]]


def colour_options(has_labels: bool) -> list[str]:
    """The "Colour by" options; the first is the default (the label when there is one)."""
    return ([LABEL] if has_labels else []) + [HDBSCAN, KMEANS]


def synced_choice(key: str, options: Sequence[object], default: object) -> None:
    """Make ``st.session_state[key]`` one of ``options`` (else ``default``) before its widget is
    drawn; setting it also sends the value to the browser, which then shows what the page uses."""
    state = st.session_state
    state[key] = state[key] if key in state and state[key] in options else default


def forget_clusters() -> None:
    """Drop the clusters (their map changed)."""
    for stale in (CLUSTERS, COLOURS):
        st.session_state.pop(stale, None)


def colouring(dataset: Dataset, vectors: Vectors | None, mapped: MapState) -> Colouring:
    """The "Colour by" choice and its colours; clusters and their keyword labels are computed
    once per choice and map (k-means runs on ``vectors``, or on the map without them)."""
    options = colour_options(bool(dataset.labels))
    synced_choice(COLOUR_KEY, options, options[0])
    c1, c2 = st.columns([2, 1])
    choice = c1.radio("Colour by", options, key=COLOUR_KEY, horizontal=True)
    if choice == LABEL and dataset.labels:
        return Colouring(LABEL, dataset.labels, key=(LABEL, mapped.key))
    coords = mapped.projection.coords
    key: Hashable
    if choice == KMEANS:
        k = int(c2.number_input("k", 2, 50, 7, key="emb_k"))
        key = ("kmeans", k, mapped.key)
    else:
        size = c2.number_input(
            "min_cluster_size (empty: auto)", 2, 100_000, None, key="emb_min_cluster"
        )
        key = ("hdbscan", size, mapped.key, mapped.settings)
    cached: _Clustered | None = st.session_state.get(CLUSTERS)
    if cached is None or cached.key != key:
        with st.spinner("Clustering and labelling the clusters…"):
            if choice == KMEANS:
                clusters = kmeans_clusters(vectors if vectors is not None else coords, k)
            else:
                clusters = hdbscan_clusters(coords, int(size) if size else None)
            labels = keyword_labels(dataset.texts, clusters)
            cached = _Clustered(key, clusters, labels, label_positions(coords, clusters))
        st.session_state[CLUSTERS] = cached
    return Colouring("cluster", [], cached.clusters, cached.labels, key, cached.positions)


def named_colours(colour: Colouring, labels: list[ClusterLabel]) -> Colouring:
    """``colour`` with each row's group named by ``labels`` ("3 · pasta · garlic", "noise");
    the names are built once per clustering and set of names (kept in the session)."""
    if colour.clusters is None:
        return colour
    key = (colour.key, tuple((lab.cluster, lab.name) for lab in labels))
    cached: tuple[Hashable, list[str]] | None = st.session_state.get(COLOURS)
    if cached is None or cached[0] != key:
        cached = (key, colour_names(colour.clusters, labels))
        st.session_state[COLOURS] = cached
    return Colouring(colour.title, cached[1], colour.clusters, labels, key, colour.positions)
