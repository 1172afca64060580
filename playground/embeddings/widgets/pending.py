"""Stand-ins for the issue-16 interfaces other helpers are still building, with the contract's
names and shapes; each goes away when its branch is merged:

helper "scale"'s ``compute/projection.py`` (``DEFAULT_SEED`` as the settings' default,
``SEED_COST_NOTE``, ``precomputed_projection``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from playground.embeddings.compute.projection import Projection

DEFAULT_SEED = 42
SEED_COST_NOTE = "a fixed seed runs UMAP on one thread: slower than unseeded on 2 cores"


def precomputed_projection(coords: npt.NDArray[np.float32]) -> Projection:
    """The map of coordinates that came with the data: nothing to compute."""
    return Projection(np.asarray(coords, dtype=np.float32), "precomputed")
