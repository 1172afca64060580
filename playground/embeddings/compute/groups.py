"""The sampled similarity heatmap's rows (pure: numpy, no Streamlit): a large dataset's sample
takes an equal share of rows from every colour group and sorts them by group, so the blocks of
similar rows show on the diagonal. (Colour groups named by cluster labels:
:func:`playground.embeddings.compute.labels.colour_names`.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["stratified_rows"]


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
