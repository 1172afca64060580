"""A stored embedding map drawn from its body, without embedding or projecting again (Streamlit
side): the saved-map view (``?m=``) and the shared read-only copy (``?share=``, with Fork: the
shell's :mod:`playground.shell.shared`) both draw it so."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.embeddings.data.sample import load_sample_dataset
from playground.embeddings.data.saved_map import KIND, SavedMap, map_from_body
from playground.embeddings.figures import scatter_map
from playground.embeddings.widgets import plain
from playground.shell.shared import ShareView

__all__ = ["SHARED_MAP", "draw_map", "read_map"]

MAP_PARAM = "m"  # the URL parameter naming a map (widgets/saved_maps.py opens it)


def read_map(body: dict[str, Any]) -> SavedMap:
    """The map a body holds (ValueError when it cannot be drawn)."""
    return map_from_body(body, load_sample_dataset())


def draw_map(saved: SavedMap) -> None:
    """The map's model and settings, its notes and its chart (the points' texts as hover)."""
    settings = ", ".join(f"{k}={v}" for k, v in saved.settings.items() if v is not None)
    st.caption(plain(f"{saved.model} · {settings}"))
    for note in saved.notes:
        st.caption(note)
    texts = saved.texts if saved.texts is not None else [""] * len(saved.coords)
    st.plotly_chart(
        scatter_map(saved.coords, texts, saved.colours, colour_title=saved.colour_title),
        width="stretch",
        key="emb_saved_map",
    )


SHARED_MAP = ShareView(
    KIND,
    read=read_map,
    draw=draw_map,
    text=lambda saved: saved.model,
    open_param=MAP_PARAM,
    leave_label="Open the explorer",
)
