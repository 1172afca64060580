"""A stored embedding map drawn from its body, without embedding or projecting again (Streamlit
side): the saved-map view (``?m=``), the shared read-only copy (``?share=``, with Fork: the
shell's :mod:`playground.shell.shared`) and the two charts of a comparison all draw it so, with
the clusters' labels on the chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from playground.embeddings.compute.labels import ClusterLabel, colour_names, label_positions
from playground.embeddings.data.sample import load_sample_dataset
from playground.embeddings.data.saved_map import KIND, SavedMap, map_from_body, search_text
from playground.embeddings.figures import scatter_map
from playground.embeddings.widgets import plain
from playground.shell.shared import ShareView

__all__ = [
    "MAP_PARAM",
    "SHARED_MAP",
    "draw_map",
    "map_colours",
    "map_figure",
    "read_map",
    "settings_line",
]

MAP_PARAM = "m"  # the URL parameter naming a map (widgets/saved_maps.py opens it)


def read_map(body: dict[str, Any]) -> SavedMap:
    """The map a body holds (ValueError when it cannot be drawn)."""
    return map_from_body(body, load_sample_dataset())


def _drawn_labels(saved: SavedMap) -> list[tuple[str, list[float]]]:
    """Each named cluster's label and where to draw it (none without clusters)."""
    if saved.clusters is None or not saved.cluster_labels:
        return []
    places = label_positions(saved.coords, saved.clusters)
    return [
        (label.name, places[label.cluster].tolist())
        for label in saved.cluster_labels
        if label.name and label.cluster in places
    ]


def map_colours(saved: SavedMap) -> list[str]:
    """Each row's colour group: clusters named by their labels when the map has labels."""
    if saved.clusters is not None and saved.cluster_labels:
        labels = [
            ClusterLabel(lab.cluster, lab.size, lab.keywords, lab.name, lab.by_model)
            for lab in saved.cluster_labels
        ]
        return colour_names(saved.clusters, labels)
    return saved.colours


def map_figure(saved: SavedMap, selected: Sequence[int] = ()) -> go.Figure:
    """The saved map's chart: its colours (:func:`map_colours`), the labels drawn at the
    clusters, the points' texts as hover, ``selected`` rows shown selected."""
    texts = saved.texts if saved.texts is not None else [""] * len(saved)
    return scatter_map(
        saved.coords,
        texts,
        map_colours(saved),
        colour_title=saved.colour_title,
        labels=_drawn_labels(saved),
        selected=list(selected),
    )


def settings_line(saved: SavedMap) -> str:
    """``model · method=umap, n_components=2, …`` (plain text)."""
    settings = ", ".join(f"{k}={v}" for k, v in saved.settings.items() if v is not None)
    return plain(f"{saved.model} · {settings}")


def draw_map(saved: SavedMap) -> None:
    """The map's model and settings, its notes and its chart."""
    st.caption(settings_line(saved))
    for note in saved.notes:
        st.caption(note)
    st.plotly_chart(map_figure(saved), width="stretch", key="emb_saved_map")


SHARED_MAP = ShareView(
    KIND,
    read=read_map,
    draw=draw_map,
    text=search_text,
    open_param=MAP_PARAM,
    leave_label="Open the explorer",
)
