"""Cosine nearest neighbours and the similarity matrix."""

from __future__ import annotations

import numpy as np
import pytest

from playground.embeddings.compute.neighbours import cosine_similarity_matrix, cosine_top_k


def test_top_k_is_ordered_by_cosine_not_by_length() -> None:
    rows = np.array([[1, 0], [10, 1], [0, 1], [-1, 0], [3, 3]], dtype=np.float32)
    found = cosine_top_k(rows, np.array([2.0, 0.0]), 3)
    assert [n.row for n in found] == [0, 1, 4]
    assert found[0].score == pytest.approx(1.0)
    assert found[2].score == pytest.approx(np.sqrt(0.5))


def test_ties_keep_row_order_and_k_is_capped() -> None:
    rows = np.array([[1, 0], [1, 0], [2, 0]], dtype=np.float32)
    assert [n.row for n in cosine_top_k(rows, np.array([1, 0]), 10)] == [0, 1, 2]


def test_zero_vectors_and_empty_inputs() -> None:
    rows = np.array([[0, 0], [1, 1]], dtype=np.float32)
    found = cosine_top_k(rows, np.array([1, 1]), 2)
    assert [(n.row, round(n.score, 4)) for n in found] == [(1, 1.0), (0, 0.0)]
    assert cosine_top_k(np.zeros((0, 2)), np.array([1, 0]), 3) == []


def test_dimension_mismatch_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="same model and dimensions"):
        cosine_top_k(np.ones((2, 3)), np.ones(4), 1)


def test_similarity_matrix_is_symmetric_with_unit_diagonal() -> None:
    rng = np.random.default_rng(0)
    sim = cosine_similarity_matrix(rng.normal(size=(6, 5)))
    assert sim.shape == (6, 6)
    assert np.allclose(sim, sim.T)
    assert np.allclose(np.diag(sim), 1.0, atol=1e-6)
    assert sim.max() <= 1.0 and sim.min() >= -1.0
