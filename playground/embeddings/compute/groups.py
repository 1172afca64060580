"""Colour groups of a map and samples drawn from them (pure: numpy, no Streamlit).

A cluster's colour group is named by its label ("3 · pasta · garlic"), HDBSCAN's noise is
"noise"; the names are built once per clustering with numpy (no per-row Python loop), so a
1,000,000-point map costs a fraction of a second. The sampled similarity heatmap of a large
dataset takes an equal share of rows from every group and sorts them by group, so the blocks of
similar rows show on the diagonal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from playground.embeddings.figures import NOISE_GROUP

__all__ = ["NOISE_NAME", "cluster_group_names", "group_names", "stratified_rows"]

NOISE_NAME = NOISE_GROUP  # grey and drawn underneath by the figure


def group_names(
    clusters: Sequence[int] | npt.NDArray[np.integer], names: Mapping[int, str]
) -> dict[int, str]:
    """Each cluster id's legend name: ``"<id> · <name>"`` (``"<id>"`` without a name), and
    :data:`NOISE_NAME` for negative ids (HDBSCAN's noise)."""
    ids = np.unique(np.asarray(clusters, dtype=np.int64))
    named: dict[int, str] = {}
    for cluster in ids.tolist():
        if cluster < 0:
            named[cluster] = NOISE_NAME
        else:
            name = names.get(cluster, "").strip()
            named[cluster] = f"{cluster} · {name}" if name else str(cluster)
    return named


def cluster_group_names(
    clusters: Sequence[int] | npt.NDArray[np.integer], names: Mapping[int, str]
) -> list[str]:
    """Every row's colour group (see :func:`group_names`), built with one numpy lookup."""
    values = np.asarray(clusters, dtype=np.int64)
    if values.size == 0:
        return []
    ids, inverse = np.unique(values, return_inverse=True)
    named = group_names(values, names)
    table = np.asarray([named[int(i)] for i in ids], dtype=object)
    result: list[str] = table[inverse].tolist()
    return result


def stratified_rows(groups: Sequence[str], n: int, seed: int = 0) -> npt.NDArray[np.intp]:
    """At most ``n`` row numbers with an equal share from every group (a small group gives all
    its rows, its unused share goes to the others), sorted by group, then by row."""
    values = np.asarray(groups, dtype=object).astype(str)
    total = len(values)
    if total <= n:
        order = np.lexsort((np.arange(total), values))
        return order.astype(np.intp)
    rng = np.random.default_rng(seed)
    names, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    quota = np.zeros(len(names), dtype=np.int64)
    left, open_groups = n, np.ones(len(names), dtype=bool)
    while left > 0 and open_groups.any():
        share = max(1, left // int(open_groups.sum()))
        for g in np.flatnonzero(open_groups):
            take = min(share, int(counts[g] - quota[g]), left)
            quota[g] += take
            left -= take
            if quota[g] >= counts[g]:
                open_groups[g] = False
            if left == 0:
                break
    picked = [
        np.sort(rng.choice(np.flatnonzero(inverse == g), size=int(q), replace=False))
        for g, q in enumerate(quota)
        if q
    ]
    return np.concatenate(picked).astype(np.intp)
