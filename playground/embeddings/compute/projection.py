"""2-D/3-D maps of embeddings: UMAP (tuned for speed) and PCA, with guards for tiny inputs.

Pure: no Streamlit. ``umap`` is imported only inside :func:`load_umap`, after ``NUMBA_CACHE_DIR``
points at a writable folder, and its numba functions are switched to on-disk caching so that a
restarted app does not pay the JIT again. :func:`start_warm_up` compiles everything in a
background thread while the user is still choosing a dataset.

Why the UMAP here is fast: embeddings are reduced to 50 dimensions with PCA first (from the
covariance matrix: a 100,000 x 384 set in about a second); nearest neighbours are exact (blocked
matrix products, no JIT) up to 5,000 rows and above that come from pynndescent on every core
with a fixed seed (deterministic; 99.9 % recall measured at 100,000 rows); the layout runs 200
epochs below 5,000 rows, 80 up to 50,000 and fewer above (at least 30), instead of the default
500/200 (see ``bench/bench_embeddings_explorer.py`` and ``bench/bench_embeddings_scale.py``).

The seed (:data:`DEFAULT_SEED`) makes the same data give the same map every time. It makes UMAP's
layout single-threaded; the neighbour search stays parallel (see :data:`SEED_COST_NOTE`).
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from playground.embeddings.compute.knn_graph import (
    approximate_neighbours,
    exact_neighbours,
    normalise,
)

__all__ = [
    "DEFAULT_SEED",
    "MIN_UMAP_ROWS",
    "PRECOMPUTED",
    "SEED_COST_NOTE",
    "Projection",
    "ProjectionError",
    "ProjectionSettings",
    "layout_epochs",
    "load_umap",
    "numba_cache_dir",
    "precomputed_projection",
    "project",
    "start_warm_up",
    "warm_up_state",
    "warm_up_umap",
]

Matrix = npt.NDArray[np.float32]
ProgressCallback = Callable[[float, str], None]

#: Below this many distinct rows UMAP is not meaningful: PCA is used instead, with a note.
MIN_UMAP_ROWS = 10
PRECOMPUTED = "precomputed"  # the method of coordinates that came with the data
PCA_DIMS_BEFORE_UMAP = 50
COVARIANCE_PCA_UP_TO_DIMS = 2_048  # above, scikit-learn's randomized PCA is cheaper
# Exact neighbours cost O(n^2) in np.argpartition (10,000 rows ~1.5 s, 100,000 rows 154 s);
# pynndescent takes 1.7 s at 100,000 x 50 on 2 cores once compiled (~12 s JIT per process, done
# by the warm-up; numba cannot cache its kernels, which take functions as arguments).
EXACT_NEIGHBOURS_UP_TO = 5_000
FAST_EPOCHS = 200  # UMAP's default is 500 up to 10,000 rows, 200 above
# From 5,000 rows; measured on 10,000 MiniLM embeddings, trustworthiness (k=10) was 0.987 at 80
# epochs, 0.988 at 120, 0.990 for the defaults (500 epochs).
FAST_EPOCHS_LARGE = 80
LARGE_ROWS = 5_000
# Above this many rows the epochs shrink so the layout costs about as much as at this size (an
# epoch of 100,000 points takes ~0.16 s single-threaded); MIN_EPOCHS is the floor.
EPOCH_BUDGET_ROWS = 50_000
MIN_EPOCHS = 30
PLACE_NEIGHBOURS = 10
DEFAULT_SEED = 42
#: What the fixed seed costs, measured by bench/bench_embeddings_scale.py on this 2-core machine.
SEED_COST_NOTE = (
    "The fixed seed makes the map about 1.2x slower than unseeded at 10,000 rows and costs "
    "nothing measurable from 100,000 rows (1.06x, and 0.99x at 250,000) on 2 cores: only UMAP's "
    "layout runs on one thread, the neighbour search stays parallel."
)


class ProjectionError(ValueError):
    """The input cannot be projected; the message says what to change."""


@dataclass(frozen=True)
class ProjectionSettings:
    """What the user chose before computing."""

    method: Literal["umap", "pca"] = "umap"
    n_components: int = 2
    n_neighbors: int = 15
    min_dist: float = 0.1
    metric: Literal["cosine", "euclidean"] = "cosine"
    seed: int | None = DEFAULT_SEED  # the same map every run; None: faster, different each run


@dataclass
class Projection:
    """Coordinates for every row, what was actually run, and how to place new points."""

    coords: Matrix
    method: str
    notes: list[str] = field(default_factory=list)
    _prepare: Callable[[Matrix], Matrix] = field(repr=False, default=lambda x: x)
    _fitted: Matrix | None = field(repr=False, default=None)
    _fitted_coords: Matrix | None = field(repr=False, default=None)
    _linear: Callable[[Matrix], Matrix] | None = field(repr=False, default=None)

    def place(self, vectors: Matrix) -> Matrix:
        """Map coordinates of new embeddings (e.g. a search query) on this map.

        PCA maps are linear: the query is projected exactly. On UMAP maps the query lands at the
        distance-weighted mean of its nearest rows, which is where ``UMAP.transform`` starts.
        Raises :class:`ProjectionError` on a map of precomputed coordinates (no vectors)."""
        if self._linear is None and self._fitted is None:
            raise ProjectionError(
                "This map came with its own coordinates: there are no vectors to place a query on."
            )
        prepared = self._prepare(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
        if self._linear is not None:
            return self._linear(prepared)
        assert self._fitted is not None and self._fitted_coords is not None
        k = min(PLACE_NEIGHBOURS, len(self._fitted))
        dist = _pairwise_sq_dist(prepared, self._fitted)
        nearest = np.argsort(dist, axis=1)[:, :k]
        near_d = np.sqrt(np.take_along_axis(dist, nearest, axis=1))
        weights = np.exp(-(near_d - near_d[:, :1]) / (near_d.std(axis=1, keepdims=True) + 1e-6))
        weights /= weights.sum(axis=1, keepdims=True)
        placed: Matrix = np.einsum("qk,qkc->qc", weights, self._fitted_coords[nearest])
        return placed.astype(np.float32)


# --- numba cache and warm-up ----------------------------------------------------------------------

_umap_lock = threading.Lock()  # numba's threading layers must not run two fits at once
_umap_module: ModuleType | None = None
_warm_state: dict[str, Any] = {"thread": None, "error": None, "done": False}


def numba_cache_dir() -> Path:
    """Where numba keeps compiled code: ``NUMBA_CACHE_DIR``, else ``numba`` in the app's cache
    folder (``LOCAL_BACKEND_CACHE`` or ``~/.cache/xai-playground``)."""
    return Path(
        os.environ.get("NUMBA_CACHE_DIR")
        or Path(os.environ.get("LOCAL_BACKEND_CACHE") or Path.home() / ".cache/xai-playground")
        / "numba"
    )


def load_umap() -> ModuleType:
    """Import ``umap`` once, with numba's compiled code cached on disk."""
    global _umap_module
    if _umap_module is not None:
        return _umap_module
    cache = numba_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["NUMBA_CACHE_DIR"] = str(cache)  # read by numba when it is first imported
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import umap
        from numba.core.registry import CPUDispatcher

    # umap and pynndescent compile most kernels without cache=True: switch caching on.
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("umap", "pynndescent")):
            continue
        for value in list(vars(module).values()):
            numba_cache = getattr(value, "_cache", None)
            if isinstance(value, CPUDispatcher) and type(numba_cache).__name__ == "NullCache":
                value.enable_caching()
    _umap_module = umap
    return _umap_module


def warm_up_umap() -> None:
    """Compile UMAP's kernels (both metrics) on a small random set; fast when cached on disk."""
    rng = np.random.default_rng(0)
    sample = rng.normal(size=(300, 16)).astype(np.float32)
    for metric in ("euclidean", "cosine"):
        settings = ProjectionSettings(method="umap", metric=metric, n_neighbors=10)
        project(sample, settings)
    approximate_neighbours(sample, 10, "euclidean", DEFAULT_SEED)  # maps above 5,000 rows
    _warm_state["done"] = True


def _warm_up_safely() -> None:
    try:
        warm_up_umap()
    except Exception as exc:  # a warm-up failure only means the first map is slower
        _warm_state["error"] = f"{type(exc).__name__}: {exc}"


def start_warm_up() -> bool:
    """Start :func:`warm_up_umap` in a background thread once per process; True if started now."""
    if _warm_state["thread"] is not None:
        return False
    thread = threading.Thread(target=_warm_up_safely, name="umap-warm-up", daemon=True)
    _warm_state["thread"] = thread
    thread.start()
    return True


def warm_up_state() -> str:
    """``"idle"``, ``"running"``, ``"ready"`` or ``"failed"``."""
    if _warm_state["error"]:
        return "failed"
    if _warm_state["done"]:
        return "ready"
    return "running" if _warm_state["thread"] is not None else "idle"


# --- projection -----------------------------------------------------------------------------------


def _pairwise_sq_dist(a: Matrix, b: Matrix) -> Matrix:
    sq: Matrix = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return np.maximum(sq, 0.0).astype(np.float32)


def _pca(unique: Matrix, n_components: int) -> tuple[Matrix, Callable[[Matrix], Matrix]]:
    """PCA to ``n_components`` columns (zero-padded when the data has fewer dimensions).

    Up to :data:`COVARIANCE_PCA_UP_TO_DIMS` dimensions the components come from the eigenvectors
    of the covariance matrix (one d x d product: deterministic, ~1 s for 100,000 x 384, where
    scikit-learn's randomized solver took ~5 s); each component's sign is fixed so its largest
    loading is positive, so the same data always gives the same map."""
    n, d = unique.shape
    rank = min(n_components, d, max(n - 1, 0))
    if rank == 0 or float(np.ptp(unique, axis=0).max(initial=0.0)) == 0.0:

        def flat(x: Matrix) -> Matrix:  # every row is the same point
            return np.zeros((len(x), n_components), np.float32)

        return flat(unique), flat
    mean = unique.mean(axis=0, dtype=np.float64).astype(np.float32)
    if d <= COVARIANCE_PCA_UP_TO_DIMS:
        centred = unique - mean
        covariance = (centred.T @ centred).astype(np.float64)
        _, vectors = np.linalg.eigh(covariance)
        basis = vectors[:, ::-1][:, :rank]
    else:
        from sklearn.decomposition import PCA

        basis = PCA(n_components=rank, random_state=0).fit(unique).components_.T
    signs = np.sign(basis[np.abs(basis).argmax(axis=0), np.arange(rank)])
    components = (basis * np.where(signs == 0, 1.0, signs)).astype(np.float32)

    def linear(x: Matrix) -> Matrix:
        out = np.zeros((len(x), n_components), np.float32)
        out[:, :rank] = (x - mean) @ components
        return out

    return linear(unique), linear


def precomputed_projection(coords: npt.ArrayLike) -> Projection:
    """A map of coordinates that came with the data (n, 2) or (n, 3), as they are (method
    ``"precomputed"``). Its :meth:`Projection.place` raises :class:`ProjectionError`: without
    vectors a query cannot be placed. Raises :class:`ProjectionError` on a bad shape or NaN/inf."""
    points = np.asarray(coords, dtype=np.float32)
    if points.ndim != 2 or points.shape[1] not in (2, 3) or len(points) == 0:
        raise ProjectionError(
            f"Map coordinates must be 2 or 3 numbers per row; got an array of shape {points.shape}."
        )
    if not np.isfinite(points).all():
        raise ProjectionError("Some map coordinates are NaN or infinite: fix them in the file.")
    return Projection(points, PRECOMPUTED, _linear=None, _fitted=None)


def layout_epochs(rows: int) -> int:
    """UMAP epochs for ``rows`` points: 200 below :data:`LARGE_ROWS`, 80 up to
    :data:`EPOCH_BUDGET_ROWS`, then fewer so the layout's cost stays about flat (at least
    :data:`MIN_EPOCHS`)."""
    if rows < LARGE_ROWS:
        return FAST_EPOCHS
    if rows <= EPOCH_BUDGET_ROWS:
        return FAST_EPOCHS_LARGE
    return max(MIN_EPOCHS, round(FAST_EPOCHS_LARGE * EPOCH_BUDGET_ROWS / rows))


def project(
    vectors: npt.ArrayLike,
    settings: ProjectionSettings,
    progress: ProgressCallback | None = None,
) -> Projection:
    """Project ``vectors`` (n, d) to ``settings.n_components`` dimensions.

    Duplicate rows are fitted once and share a point. Fewer than :data:`MIN_UMAP_ROWS` distinct rows
    fall back to PCA; ``n_neighbors`` is lowered when there are not enough rows; both are said in
    ``notes``. Raises :class:`ProjectionError` on empty or non-finite input.
    """
    report = progress or (lambda _f, _m: None)
    data = np.asarray(vectors, dtype=np.float32)
    if data.ndim != 2 or data.shape[0] == 0 or data.shape[1] == 0:
        raise ProjectionError("There are no embeddings to project: embed some rows first.")
    if not np.isfinite(data).all():
        raise ProjectionError("Some embeddings contain NaN or infinite values: re-embed the data.")
    if settings.n_components not in (2, 3):
        raise ProjectionError("Choose a 2D or 3D map.")
    prepare: Callable[[Matrix], Matrix] = (
        normalise if settings.metric == "cosine" else (lambda x: x)
    )
    data = prepare(data)
    unique, inverse = np.unique(data, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    notes: list[str] = []
    if len(unique) < len(data):
        notes.append(f"{len(data) - len(unique):,} duplicate rows share a point with their twin.")

    method = settings.method
    if method == "umap" and len(unique) < MIN_UMAP_ROWS:
        notes.append(
            f"UMAP needs at least {MIN_UMAP_ROWS} distinct rows (there are {len(unique)}): "
            "this map uses PCA."
        )
        method = "pca"
    if method == "pca":
        report(0.2, "Projecting with PCA")
        coords, linear = _pca(unique, settings.n_components)
        report(1.0, "Done")
        return Projection(coords[inverse], "pca", notes, prepare, _linear=linear)

    n_neighbors = settings.n_neighbors
    if n_neighbors >= len(unique):
        n_neighbors = len(unique) - 1
        notes.append(f"n_neighbors lowered to {n_neighbors}: there are only {len(unique)} rows.")
    reduce: Callable[[Matrix], Matrix] = lambda x: x  # noqa: E731
    fitted = unique
    if unique.shape[1] > PCA_DIMS_BEFORE_UMAP and len(unique) > PCA_DIMS_BEFORE_UMAP:
        report(0.05, f"Reducing to {PCA_DIMS_BEFORE_UMAP} dimensions with PCA")
        fitted, reduce = _pca(unique, PCA_DIMS_BEFORE_UMAP)
    report(0.15, "Loading UMAP (compiled code is cached on disk)")
    umap = load_umap()
    if len(fitted) <= EXACT_NEIGHBOURS_UP_TO:
        report(0.25, "Finding exact nearest neighbours")
        knn = exact_neighbours(fitted, n_neighbors, settings.metric)
    else:
        report(0.25, f"Finding nearest neighbours of {len(fitted):,} points")
        knn = approximate_neighbours(fitted, n_neighbors, settings.metric, settings.seed)
    epochs = layout_epochs(len(fitted))
    report(0.35, f"Laying out {len(fitted):,} points with UMAP ({epochs} epochs)")
    reducer = umap.UMAP(
        n_components=settings.n_components,
        n_neighbors=n_neighbors,
        min_dist=settings.min_dist,
        metric=settings.metric,
        n_epochs=epochs,
        init="pca",  # as good as spectral here, faster, and never fails on tiny graphs
        random_state=settings.seed,
        precomputed_knn=(*knn, None),
    )
    with _umap_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layout = np.asarray(reducer.fit_transform(fitted), dtype=np.float32)
    report(1.0, "Done")

    def prepare_and_reduce(x: Matrix) -> Matrix:
        return reduce(prepare(x))

    return Projection(
        layout[inverse],
        "umap",
        notes,
        prepare_and_reduce,
        _fitted=fitted,
        _fitted_coords=layout,
    )
