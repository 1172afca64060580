"""Colour group names and the stratified sample of the heatmap."""

from __future__ import annotations

import time

import numpy as np

from playground.embeddings.compute.groups import (
    NOISE_NAME,
    cluster_group_names,
    group_names,
    stratified_rows,
)


def test_groups_are_named_by_their_label_and_noise_is_noise() -> None:
    clusters = np.array([3, -1, 0, 3])
    assert group_names(clusters, {3: "pasta · garlic"}) == {
        -1: NOISE_NAME,
        0: "0",
        3: "3 · pasta · garlic",
    }
    assert cluster_group_names(clusters, {3: "pasta · garlic", 0: " "}) == [
        "3 · pasta · garlic",
        "noise",
        "0",
        "3 · pasta · garlic",
    ]
    assert cluster_group_names(np.array([], dtype=np.int64), {}) == []


def test_a_million_rows_are_named_quickly() -> None:
    clusters = np.random.default_rng(0).integers(-1, 30, 1_000_000)
    start = time.perf_counter()
    names = cluster_group_names(clusters, {i: f"word{i}" for i in range(30)})
    assert time.perf_counter() - start < 2.0
    assert len(names) == 1_000_000 and names[0].split(" · ")[0] in {"noise", str(clusters[0])}


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
