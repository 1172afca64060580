"""Two maps of the same rows compared (pure, no Streamlit): whether they show the same rows, how
much their neighbourhoods agree, and the rows selected on either as a table (the clusters' labels,
where they go and the colours they name: :mod:`playground.embeddings.compute.labels`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from playground.embeddings.compute.jobs import dataset_digest
from playground.embeddings.data.files import Dataset
from playground.embeddings.data.saved_map import SavedMap

__all__ = [
    "AGREEMENT_K",
    "AGREEMENT_MAX_ROWS",
    "Agreement",
    "agreement_text",
    "neighbour_agreement",
    "rows_digest",
    "same_rows",
    "selection_frame",
]

AGREEMENT_K = 10
#: The agreement is measured at this many rows at most (picked at random, fixed seed); their
#: neighbours are looked up among all rows: 0.3 s at 100,000 points, 3 s at 1,000,000 (2 cores).
AGREEMENT_MAX_ROWS = 20_000
NOISE = -1


@dataclass(frozen=True)
class Agreement:
    """The mean share (0 to 1) of each measured row's ``k`` nearest neighbours on one map that
    are also among its ``k`` nearest on the other; ``measured`` of ``rows`` rows were measured."""

    mean: float
    k: int
    measured: int
    rows: int


def rows_digest(dataset: Dataset) -> str:
    """The digest that says two maps show the same rows: ``dataset_digest`` of the texts and
    labels only (vectors or coordinates that came with the data left out, so two vector columns
    of one table, e.g. two embedding models, compare)."""
    return dataset_digest(Dataset(dataset.texts, dataset.labels))


def same_rows(a: SavedMap, b: SavedMap) -> bool:
    """Whether the two maps show the same rows in the same order (the same dataset digest)."""
    return bool(a.digest) and a.digest == b.digest and len(a) == len(b)


def _neighbours(
    coords: npt.NDArray[np.floating], rows: npt.NDArray[np.intp], k: int
) -> npt.NDArray[np.intp]:
    """The ``k`` nearest neighbours of ``rows`` among all of ``coords``, the row itself left out
    (when points coincide and the row is not among its own k + 1, the farthest is dropped)."""
    points = np.asarray(coords, dtype=np.float64)
    index = NearestNeighbors(n_neighbors=k + 1).fit(points)
    found: npt.NDArray[np.intp] = index.kneighbors(points[rows], return_distance=False)
    keep = found != rows[:, None]
    keep[keep.all(axis=1), -1] = False  # a row not among its own neighbours: drop the farthest
    kept: npt.NDArray[np.intp] = found[keep].reshape(len(rows), k)
    return kept


def neighbour_agreement(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    *,
    k: int = AGREEMENT_K,
    max_rows: int = AGREEMENT_MAX_ROWS,
    seed: int = 0,
) -> Agreement:
    """How alike two maps of the same rows are: for each row (at most ``max_rows``, picked at
    random with ``seed``), the share of its ``k`` nearest neighbours on map ``a`` that are also
    among its ``k`` nearest on map ``b``, averaged. 1.0: the same neighbourhoods; about
    ``k / rows``: unrelated layouts. ValueError when the rows differ or are fewer than 2."""
    first, second = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if first.ndim != 2 or second.ndim != 2 or len(first) != len(second):
        raise ValueError("The two maps must have the same rows.")
    n = len(first)
    if n < 2:
        raise ValueError("The maps need at least two rows to compare.")
    k = max(1, min(k, n - 1))
    if n > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(n, max_rows, replace=False))
    else:
        rows = np.arange(n)
    left, right = _neighbours(first, rows, k), _neighbours(second, rows, k)
    shared = (left[:, :, None] == right[:, None, :]).any(axis=2).sum(axis=1)
    return Agreement(float(shared.mean() / k), k, len(rows), n)


def agreement_text(agreement: Agreement) -> str:
    """The agreement in plain words."""
    share = agreement.mean * agreement.k
    sampled = (
        f" Measured at {agreement.measured:,} of the {agreement.rows:,} rows, picked at random."
        if agreement.measured < agreement.rows
        else ""
    )
    if agreement.mean >= 0.7:
        verdict = "The two maps keep mostly the same neighbourhoods."
    elif agreement.mean >= 0.3:
        verdict = "The two maps agree on part of the neighbourhoods."
    else:
        verdict = "The two maps place the rows quite differently."
    return (
        f"Neighbour agreement {agreement.mean:.2f}: on average {share:.1f} of each point's "
        f"{agreement.k} nearest neighbours on the left map are also among its {agreement.k} "
        f"nearest on the right (1.00: the same neighbourhoods; near 0: unrelated). "
        f"{verdict}{sampled}"
    )


def selection_frame(
    rows: Sequence[int],
    texts: Sequence[str] | None,
    left: Sequence[str],
    right: Sequence[str],
    titles: tuple[str, str] = ("left map", "right map"),
) -> pd.DataFrame:
    """The selected rows: row number, text (when kept) and the colour group on each map."""
    picked = [r for r in rows if 0 <= r < len(left)]
    frame = pd.DataFrame({"row": picked})
    if texts is not None:
        frame["text"] = [texts[r] for r in picked]
    frame[titles[0]] = [left[r] for r in picked]
    frame[titles[1] if titles[1] != titles[0] else f"{titles[1]} (2)"] = [right[r] for r in picked]
    return frame
