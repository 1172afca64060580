"""Colour groups at 1,000,000 rows and the stratified sample of the heatmap."""

from __future__ import annotations

import time

import numpy as np

from playground.embeddings.compute.groups import stratified_rows
from playground.embeddings.compute.labels import NOISE_NAME, ClusterLabel, colour_names


def test_a_million_rows_are_named_by_their_labels_quickly() -> None:
    clusters = np.random.default_rng(0).integers(-1, 30, 1_000_000)
    labels = [ClusterLabel(i, 1, (f"word{i}",), f"word{i}") for i in range(30)]
    start = time.perf_counter()
    names = colour_names(clusters, labels)
    assert time.perf_counter() - start < 2.0
    assert len(names) == 1_000_000
    first = NOISE_NAME if clusters[0] < 0 else f"{clusters[0]} · word{clusters[0]}"
    assert names[0] == first


def test_stratified_rows_share_the_sample_between_groups_sorted_by_group() -> None:
    groups = ["a"] * 1000 + ["b"] * 30 + ["c"] * 500
    rows = stratified_rows(groups, 200)
    assert len(rows) == 200 == len(set(rows.tolist()))
    picked = [groups[r] for r in rows]
    assert picked == sorted(picked)  # sorted by group
    assert picked.count("b") == 30  # the small group gives all it has
    assert abs(picked.count("a") - picked.count("c")) <= 1


def test_stratified_rows_of_a_small_set_are_every_row_by_group() -> None:
    assert stratified_rows(["y", "x", "y"], 10).tolist() == [1, 0, 2]
