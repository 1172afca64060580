"""2-D/3-D maps of embeddings: UMAP (tuned for speed) and PCA, with guards for tiny inputs.

Pure: no Streamlit. ``umap`` is imported only inside :func:`load_umap`, after ``NUMBA_CACHE_DIR``
points at a writable folder, and its numba functions are switched to on-disk caching so that a
restarted app does not pay the JIT again. :func:`start_warm_up` compiles everything in a
background thread while the user is still choosing a dataset.

Why the UMAP here is fast: embeddings are reduced to 50 dimensions with PCA first, exact nearest
neighbours are computed with scikit-learn (a matrix product, no JIT) up to 20,000 rows, and the
layout runs 200 epochs instead of the default 500 (see ``bench/bench_embeddings_explorer.py``).
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

__all__ = [
    "MIN_UMAP_ROWS",
    "Projection",
    "ProjectionError",
    "ProjectionSettings",
    "load_umap",
    "numba_cache_dir",
    "project",
    "start_warm_up",
    "warm_up_state",
    "warm_up_umap",
]

Matrix = npt.NDArray[np.float32]
ProgressCallback = Callable[[float, str], None]

#: Below this many distinct rows UMAP is not meaningful: PCA is used instead, with a note.
MIN_UMAP_ROWS = 10
PCA_DIMS_BEFORE_UMAP = 50
EXACT_NEIGHBOURS_UP_TO = 20_000
FAST_EPOCHS = 200  # UMAP's default is 500 up to 10,000 rows, 200 above
# From 5,000 rows; measured on 10,000 MiniLM embeddings, trustworthiness (k=10) was 0.987 at 80
# epochs, 0.988 at 120, 0.990 for the defaults (500 epochs).
FAST_EPOCHS_LARGE = 80
LARGE_ROWS = 5_000
KNN_BLOCK = 512
PLACE_NEIGHBOURS = 10


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
    seed: int | None = None  # a fixed seed makes UMAP single-threaded


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
        distance-weighted mean of its nearest rows, which is where ``UMAP.transform`` starts."""
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


def _normalise(x: Matrix) -> Matrix:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def _pca(unique: Matrix, n_components: int) -> tuple[Matrix, Callable[[Matrix], Matrix]]:
    """PCA to ``n_components`` columns (zero-padded when the data has fewer dimensions)."""
    from sklearn.decomposition import PCA

    n, d = unique.shape
    rank = min(n_components, d, max(n - 1, 0))
    if rank == 0 or float(np.ptp(unique, axis=0).max(initial=0.0)) == 0.0:

        def flat(x: Matrix) -> Matrix:  # every row is the same point
            return np.zeros((len(x), n_components), np.float32)

        return flat(unique), flat
    pca = PCA(n_components=rank, random_state=0).fit(unique)

    def linear(x: Matrix) -> Matrix:
        out = np.zeros((len(x), n_components), np.float32)
        out[:, :rank] = pca.transform(x)
        return out

    return linear(unique), linear


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
        _normalise if settings.metric == "cosine" else (lambda x: x)
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
    knn: tuple[Any, ...] = (None, None, None)
    if len(fitted) <= EXACT_NEIGHBOURS_UP_TO:
        report(0.25, "Finding exact nearest neighbours")
        knn = _exact_neighbours(fitted, n_neighbors, settings.metric)
    report(0.35, f"Laying out {len(fitted):,} points with UMAP")
    reducer = umap.UMAP(
        n_components=settings.n_components,
        n_neighbors=n_neighbors,
        min_dist=settings.min_dist,
        metric=settings.metric,
        n_epochs=FAST_EPOCHS if len(fitted) < LARGE_ROWS else FAST_EPOCHS_LARGE,
        init="pca",  # as good as spectral here, faster, and never fails on tiny graphs
        random_state=settings.seed,
        precomputed_knn=knn,
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


def _exact_neighbours(x: Matrix, k: int, metric: str) -> tuple[Any, Any]:
    """Exact k nearest neighbours (self first) by blocked matrix products on two threads (numpy
    releases the GIL), as UMAP's ``precomputed_knn`` expects: cosine or euclidean, sorted."""
    from concurrent.futures import ThreadPoolExecutor

    data = _normalise(x) if metric == "cosine" else x
    norms = (data * data).sum(axis=1)
    indices = np.empty((len(data), k), dtype=np.int32)
    dists = np.empty((len(data), k), dtype=np.float32)

    def block(start: int) -> None:
        rows = data[start : start + KNN_BLOCK]
        dot = rows @ data.T
        if metric == "cosine":
            dist = 1.0 - dot
        else:
            dist = norms[start : start + KNN_BLOCK, None] + norms[None, :] - 2 * dot
        own = np.arange(len(rows))
        dist[own, start + own] = -1.0  # each point is its own first neighbour
        part = np.argpartition(dist, k - 1, axis=1)[:, :k]
        part_d = np.take_along_axis(dist, part, axis=1)
        order = np.argsort(part_d, axis=1)
        indices[start : start + KNN_BLOCK] = np.take_along_axis(part, order, axis=1)
        found = np.maximum(np.take_along_axis(part_d, order, axis=1), 0.0)
        dists[start : start + KNN_BLOCK] = found if metric == "cosine" else np.sqrt(found)

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        list(pool.map(block, range(0, len(data), KNN_BLOCK)))
    return indices, dists
