"""An embedding map as the workspace store keeps it (pure, no Streamlit).

The body holds what redraws the chart without recomputing: the dataset (a reference to the
built-in sample, or the pasted/uploaded texts and labels when they are small), the model and
request options, the map settings, the 2-D/3-D coordinates, and the colouring (the cluster of
each row, or the dataset's labels). The vectors are not in it: they stay in the embeddings cache,
under the ``namespace`` the body names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from playground.embeddings.data.files import Dataset

__all__ = [
    "KIND",
    "MAX_TEXT_CHARS",
    "SOURCE_SAMPLE",
    "SavedMap",
    "map_body",
    "map_from_body",
    "map_title",
]

KIND = "map"
BODY_FORMAT = 1
SOURCE_SAMPLE = "sample"
#: Texts (and labels) are kept in the body up to this many characters in all; larger datasets
#: keep their coordinates and colours only.
MAX_TEXT_CHARS = 1_000_000
DIGITS = 5  # coordinates rounded to this many decimals


@dataclass(frozen=True)
class SavedMap:
    """A stored map read back: ``texts`` is ``None`` when they were too large to keep (or the
    sample is meant, see ``source``); ``colours`` gives each row's group under ``colour_title``."""

    source: str
    model: str
    settings: dict[str, Any]
    coords: npt.NDArray[np.float32]
    colour_title: str
    colours: list[str]
    texts: list[str] | None = None
    labels: list[str] | None = None
    namespace: str = ""
    dimensions: int | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def _small(dataset: Dataset) -> bool:
    size = sum(len(t) for t in dataset.texts) + sum(len(x) for x in dataset.labels or [])
    return size <= MAX_TEXT_CHARS


def map_body(
    *,
    dataset: Dataset,
    source: str,
    model: str,
    namespace: str,
    dimensions: int | None,
    encoding: str | None,
    settings: Any,
    coords: npt.ArrayLike,
    colour_title: str,
    clusters: npt.ArrayLike | None,
) -> dict[str, Any]:
    """The JSON body of a computed map (``settings`` is a dataclass such as ProjectionSettings;
    ``clusters`` the cluster of each row when the colours are clusters, else ``None``)."""
    keep_texts = source != SOURCE_SAMPLE and _small(dataset)
    points = np.round(np.asarray(coords, dtype=np.float64), DIGITS)
    return {
        "format": BODY_FORMAT,
        "source": source,
        "texts": list(dataset.texts) if keep_texts else None,
        "labels": list(dataset.labels) if keep_texts and dataset.labels else None,
        "rows": len(dataset.texts),
        "model": model,
        "namespace": namespace,
        "dimensions": dimensions,
        "encoding": encoding,
        "settings": asdict(settings),
        "coords": points.tolist(),
        "colour_title": colour_title,
        "clusters": None if clusters is None else [int(c) for c in np.asarray(clusters)],
    }


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def map_from_body(body: dict[str, Any], sample: Dataset | None = None) -> SavedMap:
    """The map a body holds (``sample``: the built-in dataset, for a body that refers to it).

    Raises ``ValueError`` when the coordinates are missing or do not fit the texts."""
    coords = np.asarray(body.get("coords") or [], dtype=np.float32)
    if coords.ndim != 2 or coords.shape[1] not in (2, 3) or not len(coords):
        raise ValueError("The saved map has no usable coordinates.")
    source = str(body.get("source") or "")
    texts, labels = _strings(body.get("texts")), _strings(body.get("labels"))
    notes: list[str] = []
    if source == SOURCE_SAMPLE and sample is not None and len(sample) == len(coords):
        texts, labels = list(sample.texts), sample.labels
    if texts is not None and len(texts) != len(coords):
        raise ValueError("The saved map's texts do not match its coordinates.")
    if texts is None:
        notes.append("The texts were too large to keep with the map: points show without text.")
    if labels is not None and len(labels) != len(coords):
        labels = None
    clusters = body.get("clusters")
    title = str(body.get("colour_title") or "")
    if isinstance(clusters, list) and len(clusters) == len(coords):
        colours = [str(c) for c in clusters]
    elif labels is not None:
        colours, title = list(labels), "label"
    else:
        colours, title = ["all"] * len(coords), "points"
    dimensions = body.get("dimensions")
    encoding = body.get("encoding")
    settings = body.get("settings")
    return SavedMap(
        source=source,
        model=str(body.get("model") or ""),
        settings=settings if isinstance(settings, dict) else {},
        coords=coords,
        colour_title=title,
        colours=colours,
        texts=texts,
        labels=labels,
        namespace=str(body.get("namespace") or ""),
        dimensions=dimensions if isinstance(dimensions, int) else None,
        encoding=encoding if isinstance(encoding, str) else None,
        notes=notes,
    )


def map_title(model: str, settings: Any, rows: int, source: str) -> str:
    """``UMAP 2D of 280 texts (sample) · model``."""
    method = str(getattr(settings, "method", "map")).upper()
    dims = f"{getattr(settings, 'n_components', 2)}D"
    return f"{method} {dims} of {rows:,} texts ({source}) · {model}"
