"""Stand-ins for the issue-16 interfaces other helpers are still building, with the contract's
names and shapes; each goes away when its branch is merged:

- helper "scale": ``compute/projection.py`` (``DEFAULT_SEED`` as the settings' default,
  ``SEED_COST_NOTE``, ``precomputed_projection``);
- helper "labels": ``widgets/cluster_labels.py`` (``cluster_labels_panel``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import numpy.typing as npt
import streamlit as st

from playground.core.connection import Connection
from playground.embeddings.compute.clusters import Labels
from playground.embeddings.compute.labels import ClusterLabel, labels_frame
from playground.embeddings.compute.projection import Projection
from xai_core import XaiClient

DEFAULT_SEED = 42
SEED_COST_NOTE = "a fixed seed runs UMAP on one thread: slower than unseeded on 2 cores"


def precomputed_projection(coords: npt.NDArray[np.float32]) -> Projection:
    """The map of coordinates that came with the data: nothing to compute."""
    return Projection(np.asarray(coords, dtype=np.float32), "precomputed")


def cluster_labels_panel(
    client: XaiClient,
    connection: Connection,
    texts: Sequence[str],
    coords: npt.NDArray[np.floating],
    clusters: Labels,
    labels: list[ClusterLabel],
    key: Hashable,
) -> list[ClusterLabel]:
    """The labels table (the naming button comes with helper "labels")."""
    with st.expander(f"Cluster labels ({len(labels)})"):
        st.dataframe(labels_frame(labels), hide_index=True, width="stretch")
    return labels
