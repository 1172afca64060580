"""Two maps of the same rows compared (pure): the neighbour agreement, which maps show the same
rows, a saved map's colours named by its labels, the selection table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from playground.embeddings.compute.compare import (
    Agreement,
    agreement_text,
    neighbour_agreement,
    rows_digest,
    same_rows,
    selection_frame,
)
from playground.embeddings.compute.jobs import dataset_digest
from playground.embeddings.data.files import Dataset
from playground.embeddings.data.saved_map import MapLabel, SavedMap
from playground.embeddings.data.vectors import supplied_from
from playground.embeddings.widgets.stored_map import map_colours

RNG = np.random.default_rng(7)


def saved(coords: np.ndarray, digest: str = "d") -> SavedMap:  # type: ignore[type-arg]
    return SavedMap("pasted", "m", {}, coords, "points", ["all"] * len(coords), digest=digest)


def test_identical_maps_agree_fully_and_shuffled_ones_hardly() -> None:
    points = RNG.normal(size=(2_000, 2)).astype(np.float32)
    same = neighbour_agreement(points, points.copy())
    assert same == Agreement(1.0, 10, 2_000, 2_000)
    shuffled = neighbour_agreement(points, points[RNG.permutation(len(points))])
    assert shuffled.mean < 0.02  # chance: k / n = 0.005


def test_a_scaled_and_rotated_map_agrees_fully_and_3d_compares_with_2d() -> None:
    points = RNG.normal(size=(500, 2))
    turn = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert neighbour_agreement(points, 3 * points @ turn + 5).mean == 1.0
    deep = np.column_stack([points, np.zeros(len(points))])
    assert neighbour_agreement(points, deep).mean == 1.0


def test_large_maps_are_measured_on_a_sample_and_duplicates_do_not_break_it() -> None:
    points = RNG.normal(size=(30_000, 2))
    result = neighbour_agreement(points, points, max_rows=1_000)
    assert result.measured == 1_000 and result.rows == 30_000 and result.mean == 1.0
    assert "1,000 of the 30,000 rows" in agreement_text(result)
    piled = np.zeros((20, 2))  # every point in one place: neighbours are ties
    assert 0.0 <= neighbour_agreement(piled, piled).mean <= 1.0
    assert neighbour_agreement(points[:3], points[:3]).k == 2  # k fits a tiny map


def test_maps_of_other_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="same rows"):
        neighbour_agreement(np.zeros((5, 2)), np.zeros((6, 2)))
    with pytest.raises(ValueError, match="two rows"):
        neighbour_agreement(np.zeros((1, 2)), np.zeros((1, 2)))


def test_agreement_in_plain_words() -> None:
    text = agreement_text(Agreement(0.734, 10, 500, 500))
    assert text.startswith("Neighbour agreement 0.73: on average 7.3 of each point's 10")
    assert "mostly the same" in text and "picked at random" not in text
    assert "quite differently" in agreement_text(Agreement(0.01, 10, 500, 500))


def test_same_rows_needs_a_digest_and_the_row_count() -> None:
    points = np.zeros((3, 2), np.float32)
    assert same_rows(saved(points), saved(points + 1))
    assert not same_rows(saved(points), saved(points, digest="other"))
    assert not same_rows(saved(points, digest=""), saved(points, digest=""))  # format 1 maps
    assert not same_rows(saved(points), saved(np.zeros((4, 2), np.float32)))


def test_the_rows_digest_is_the_datasets_and_ignores_nothing_else() -> None:
    data = Dataset(["a", "b"], labels=["x", "y"])
    assert rows_digest(data) == dataset_digest(data)
    assert rows_digest(data) != rows_digest(Dataset(["a", "b"]))


def test_the_rows_digest_leaves_supplied_vectors_out_the_job_digest_does_not() -> None:
    vectors = np.eye(2, 4, dtype=np.float32)
    supplied = supplied_from(vectors, "column 'embedding'")
    data = Dataset(["a", "b"], labels=["x", "y"], supplied=supplied)
    plain_data = Dataset(["a", "b"], labels=["x", "y"])
    assert rows_digest(data) == rows_digest(plain_data)  # two vector columns of one table compare
    assert dataset_digest(data) != dataset_digest(plain_data)  # but are two embedding jobs


def test_a_saved_maps_labels_name_its_colours() -> None:
    saved_map = replace(
        saved(np.zeros((5, 2), np.float32)),
        clusters=np.array([0, 0, 1, 1, -1], np.int32),
        cluster_labels=(MapLabel(0, "pasta · garlic"), MapLabel(2, "unused")),
    )
    named = map_colours(saved_map)
    assert named == ["0 · pasta · garlic", "0 · pasta · garlic", "1", "1", "noise"]


def test_the_selection_table_lists_both_maps_colours() -> None:
    frame = selection_frame([2, 0, 9], ["a", "b", "c"], ["x", "y", "z"], ["1", "2", "3"])
    assert frame.to_dict("list") == {
        "row": [2, 0],
        "text": ["c", "a"],
        "left map": ["z", "x"],
        "right map": ["3", "1"],
    }
    untexted = selection_frame([1], None, ["x", "y"], ["p", "q"], ("cluster", "cluster"))
    assert list(untexted.columns) == ["row", "cluster", "cluster (2)"]
