"""The export frame's cluster_label column."""

from __future__ import annotations

import numpy as np

from playground.embeddings.data.export import export_frame


def test_cluster_label_names_each_rows_cluster_and_noise_is_empty() -> None:
    frame = export_frame(
        ["a", "b", "c"],
        clusters=np.array([1, -1, 0]),
        cluster_names={0: "pasta · garlic", 1: "goal · match"},
    )
    assert list(frame.columns) == ["row", "text", "cluster", "cluster_label"]
    assert list(frame["cluster_label"]) == ["goal · match", "", "pasta · garlic"]
    subset = export_frame(["a", "b", "c"], clusters=[1, -1, 0], cluster_names={}, rows=[2])
    assert list(subset["cluster_label"]) == [""]
    empty = export_frame(["a"], clusters=[0], cluster_names={0: "x"}, rows=[])
    assert list(empty["cluster_label"]) == []
