"""Projection: PCA and UMAP with their guards for tiny, duplicate and degenerate inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from playground.embeddings.compute.knn_graph import approximate_neighbours, exact_neighbours
from playground.embeddings.compute.projection import (
    DEFAULT_SEED,
    EXACT_NEIGHBOURS_UP_TO,
    MIN_EPOCHS,
    SEED_COST_NOTE,
    ProjectionError,
    ProjectionSettings,
    layout_epochs,
    numba_cache_dir,
    precomputed_projection,
    project,
)

PCA = ProjectionSettings(method="pca")
UMAP = ProjectionSettings(method="umap", n_neighbors=15)


def clusters(n_per: int = 40, dims: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, dims)) * 4
    truth = np.repeat(np.arange(3), n_per)
    return (centres[truth] + rng.normal(size=(len(truth), dims))).astype(np.float32), truth


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_tiny_inputs_never_crash(n: int) -> None:
    x = np.random.default_rng(n).normal(size=(n, 16)).astype(np.float32)
    for settings in (PCA, UMAP, ProjectionSettings(method="umap", n_components=3)):
        result = project(x, settings)
        assert result.coords.shape == (n, settings.n_components)
        assert np.isfinite(result.coords).all()
        assert result.method == "pca"
    assert any("this map uses PCA" in note for note in project(x, UMAP).notes)


def test_identical_rows_collapse_to_one_point() -> None:
    x = np.ones((12, 8), dtype=np.float32)
    result = project(x, UMAP)
    assert result.coords.shape == (12, 2)
    assert np.allclose(result.coords, result.coords[0])
    assert "11 duplicate rows" in " ".join(result.notes)


def test_empty_and_non_finite_inputs_say_what_to_do() -> None:
    with pytest.raises(ProjectionError, match="embed some rows"):
        project(np.zeros((0, 4)), PCA)
    bad = np.ones((5, 4), dtype=np.float32)
    bad[2, 1] = np.nan
    with pytest.raises(ProjectionError, match="NaN"):
        project(bad, PCA)


def test_pca_separates_clusters_and_places_a_query_exactly() -> None:
    x, truth = clusters()
    result = project(x, ProjectionSettings(method="pca", metric="euclidean", n_components=3))
    assert result.coords.shape == (120, 3)
    assert np.allclose(result.place(x[:5]), result.coords[:5], atol=1e-4)
    centroids = np.stack([result.coords[truth == c].mean(0) for c in range(3)])
    spread = max(result.coords[truth == c].std(0).max() for c in range(3))
    assert (
        min(np.linalg.norm(centroids[i] - centroids[j]) for i, j in [(0, 1), (0, 2), (1, 2)])
        > 2 * spread
    )


@pytest.mark.slow  # the first UMAP fit of a session compiles numba kernels (see pyproject)
def test_umap_keeps_clusters_apart_and_lowers_n_neighbors_when_needed() -> None:
    x, truth = clusters(n_per=6)  # 18 rows, fewer than n_neighbors=30
    result = project(x, ProjectionSettings(method="umap", n_neighbors=30, seed=0))
    assert result.method == "umap"
    assert result.coords.shape == (18, 2)
    assert "n_neighbors lowered to 17" in " ".join(result.notes)
    # every point is nearer to its own cluster's centre than to the others'
    centres = np.stack([result.coords[truth == c].mean(0) for c in range(3)])
    nearest = np.argmin(np.linalg.norm(result.coords[:, None] - centres[None], axis=2), axis=1)
    assert (nearest == truth).all()
    # a row placed again lands next to its own cluster
    placed = result.place(x[:1])
    assert np.argmin(np.linalg.norm(centres - placed, axis=1)) == truth[0]


@pytest.mark.slow  # the first UMAP fit of a session compiles numba kernels (see pyproject)
def test_umap_in_3d_with_duplicates() -> None:
    x, _ = clusters(n_per=10, dims=80)
    x = np.vstack([x, x[:5]])
    result = project(x, ProjectionSettings(method="umap", n_components=3, seed=0))
    assert result.coords.shape == (35, 3)
    assert np.allclose(result.coords[30:], result.coords[:5])


def test_numba_cache_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert numba_cache_dir() == tmp_path
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    monkeypatch.setenv("LOCAL_BACKEND_CACHE", str(tmp_path))
    assert numba_cache_dir() == tmp_path / "numba"


def test_the_default_seed_is_fixed_and_its_cost_is_said_in_words() -> None:
    assert ProjectionSettings().seed == DEFAULT_SEED == 42
    assert "slower" in SEED_COST_NOTE or "faster" in SEED_COST_NOTE or "same" in SEED_COST_NOTE
    assert "PLACEHOLDER" not in SEED_COST_NOTE


def test_precomputed_coordinates_are_the_map_and_a_query_cannot_be_placed() -> None:
    coords = np.arange(12, dtype=np.float64).reshape(4, 3)
    result = precomputed_projection(coords)
    assert result.method == "precomputed" and result.coords.dtype == np.float32
    assert np.array_equal(result.coords, coords)
    assert precomputed_projection(coords[:, :2]).coords.shape == (4, 2)
    with pytest.raises(ProjectionError, match="no vectors"):
        result.place(np.ones((1, 384), dtype=np.float32))
    with pytest.raises(ProjectionError, match="2 or 3 numbers"):
        precomputed_projection(np.zeros((4, 5)))
    bad = coords.copy()
    bad[1, 1] = np.inf
    with pytest.raises(ProjectionError, match="NaN or infinite"):
        precomputed_projection(bad)


def test_epochs_shrink_with_rows_above_the_budget_but_not_below_the_floor() -> None:
    assert layout_epochs(1_000) == 200 and layout_epochs(20_000) == layout_epochs(50_000) == 80
    sizes = [layout_epochs(n) for n in (10, 5_000, 50_000, 100_000, 250_000, 1_000_000)]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == MIN_EPOCHS


def test_pca_is_deterministic_and_matches_scikit_learn_up_to_sign() -> None:
    from sklearn.decomposition import PCA as SkPCA

    x, _ = clusters(n_per=200, dims=96)
    settings = ProjectionSettings(method="pca", metric="euclidean", n_components=3)
    first, again = project(x, settings), project(x.copy(), settings)
    assert np.array_equal(first.coords, again.coords)
    reference = SkPCA(n_components=3).fit_transform(x)
    # three clusters span two directions; the third component is noise (no stable direction)
    assert np.allclose(np.abs(first.coords[:, :2]), np.abs(reference[:, :2]), atol=1e-3)


@pytest.mark.slow  # pynndescent compiles its kernels once per process (~12 s)
def test_approximate_neighbours_are_deterministic_and_match_the_exact_ones() -> None:
    x, _ = clusters(n_per=1_000, dims=24)
    exact_i, exact_d = exact_neighbours(x, 10, "cosine")
    first_i, first_d = approximate_neighbours(x, 10, "cosine", 42)
    again_i, _ = approximate_neighbours(x, 10, "cosine", 42)
    assert np.array_equal(first_i, again_i)
    assert (first_i[:, 0] == np.arange(len(x))).all()
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(first_i, exact_i, strict=True)])
    assert recall > 0.9  # isotropic noise around 3 centres: the hardest case for NN-descent
    assert np.allclose(first_d[:, 1:].mean(), exact_d[:, 1:].mean(), rtol=0.02)


@pytest.mark.slow  # above EXACT_NEIGHBOURS_UP_TO rows: pynndescent and UMAP compile once
def test_a_large_map_is_the_same_every_run_with_the_default_seed() -> None:
    x, truth = clusters(n_per=EXACT_NEIGHBOURS_UP_TO // 3 + 100, dims=64)
    first = project(x, ProjectionSettings())
    again = project(x, ProjectionSettings())
    assert first.method == "umap" and np.array_equal(first.coords, again.coords)
    centres = np.stack([first.coords[truth == c].mean(0) for c in range(3)])
    nearest = np.argmin(np.linalg.norm(first.coords[:, None] - centres[None], axis=2), axis=1)
    assert (nearest == truth).mean() > 0.99
