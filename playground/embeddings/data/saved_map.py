"""An embedding map as the workspace store keeps it (pure, no Streamlit).

The body holds what redraws the chart without recomputing: the dataset (a reference to the
built-in sample, or the pasted/uploaded texts and labels up to :data:`MAX_TEXT_CHARS`), the model
and request options, the map settings, the 2-D/3-D coordinates, the colouring (the cluster of each
row, or the dataset's labels), the clusters' labels, and a digest of the dataset's texts and
labels that tells which maps show the same rows (:mod:`playground.embeddings.compute.compare`).
The vectors are not in it: they stay in the embeddings cache, under the ``namespace`` it names.

Body format 2 (written now) keeps the arrays compact: ``coords`` and ``clusters`` are objects
``{"dtype": "<f4" | "<i4", "shape": [...], "base64": "..."}``, the raw bytes of a little-endian
float32 (n, 2 or 3) array and int32 (n,) array, base64-encoded (about 11 characters a 2-D point,
against 20 or more as JSON numbers). Format 1 bodies (coordinates and clusters as JSON lists,
no labels, no digest) still read.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from playground.embeddings.data.files import Dataset

__all__ = [
    "BODY_FORMAT",
    "GIVEN_COORDINATES",
    "KIND",
    "MAX_TEXT_CHARS",
    "SOURCE_SAMPLE",
    "GivenSettings",
    "MapLabel",
    "SavedMap",
    "build_map",
    "decode_array",
    "encode_array",
    "label_records",
    "map_body",
    "map_from_body",
    "map_title",
    "search_text",
]

KIND = "map"
BODY_FORMAT = 2
SOURCE_SAMPLE = "sample"
#: Texts (and labels) are kept in the body up to this many characters in all; larger datasets
#: keep their coordinates, colours and labels only.
MAX_TEXT_CHARS = 16_000_000
TEXTS_NOTE = "The texts were too large to keep with the map: points show without text."
_DTYPES = {"<f4": np.dtype("<f4"), "<i4": np.dtype("<i4")}


@dataclass(frozen=True)
class MapLabel:
    """A cluster's label as the map keeps it: the fields of ``compute.labels.ClusterLabel``."""

    cluster: int
    name: str
    keywords: tuple[str, ...] = ()
    size: int = 0
    by_model: bool = False


@dataclass(frozen=True, eq=False)
class SavedMap:
    """A map, read back from a body or built from the explorer's current map.

    ``texts`` is ``None`` when they were too large to keep; ``colours`` gives each row's group
    under ``colour_title``; ``clusters`` the cluster of each row when the colours are clusters;
    ``cluster_labels`` their labels (may be empty); ``digest`` names the dataset's rows (empty
    for a format-1 body: such a map cannot be compared)."""

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
    clusters: npt.NDArray[np.int32] | None = None
    cluster_labels: tuple[MapLabel, ...] = ()
    digest: str = ""

    def __len__(self) -> int:
        return len(self.coords)


def encode_array(values: npt.ArrayLike, dtype: str) -> dict[str, Any]:
    """``values`` as ``{"dtype", "shape", "base64"}``: its little-endian ``dtype`` bytes
    (``"<f4"`` or ``"<i4"``) in base64."""
    array = np.ascontiguousarray(np.asarray(values), dtype=_DTYPES[dtype])
    return {
        "dtype": dtype,
        "shape": list(array.shape),
        "base64": base64.b64encode(array.tobytes()).decode("ascii"),
    }


def decode_array(value: Any, dtype: str) -> npt.NDArray[Any]:
    """The array :func:`encode_array` wrote (native byte order); ValueError when it is not one."""
    if not isinstance(value, Mapping) or value.get("dtype") != dtype:
        raise ValueError(f"not an encoded {dtype} array")
    shape = value.get("shape")
    if not isinstance(shape, list) or not all(isinstance(s, int) and s >= 0 for s in shape):
        raise ValueError("an encoded array without a valid shape")
    try:
        raw = base64.b64decode(str(value.get("base64", "")), validate=True)
    except binascii.Error as exc:
        raise ValueError("an encoded array that is not base64") from exc
    if len(raw) != int(np.prod(shape)) * _DTYPES[dtype].itemsize:
        raise ValueError("an encoded array whose size does not match its shape")
    array = np.frombuffer(raw, dtype=_DTYPES[dtype]).reshape(shape)
    return array.astype(_DTYPES[dtype].newbyteorder("="))


def _field(label: Any, name: str, default: Any) -> Any:
    if isinstance(label, Mapping):
        return label.get(name, default)
    return getattr(label, name, default)


def label_records(labels: Sequence[Any]) -> list[dict[str, Any]]:
    """Cluster labels (``ClusterLabel``, :class:`MapLabel` or dicts with their fields) as JSON
    records ``{cluster, name, keywords, size, by_model}``."""
    return [
        {
            "cluster": int(_field(label, "cluster", 0)),
            "name": str(_field(label, "name", "")),
            "keywords": [str(k) for k in _field(label, "keywords", ())],
            "size": int(_field(label, "size", 0)),
            "by_model": bool(_field(label, "by_model", False)),
        }
        for label in labels
    ]


def _map_labels(records: Any) -> tuple[MapLabel, ...]:
    """The labels a body holds; records that are not labels are left out."""
    if not isinstance(records, list):
        return ()
    kept: list[MapLabel] = []
    for record in records:
        if not isinstance(record, Mapping) or not isinstance(record.get("cluster"), int):
            continue
        keywords = record.get("keywords")
        size = record.get("size")
        kept.append(
            MapLabel(
                cluster=int(record["cluster"]),
                name=str(record.get("name") or ""),
                keywords=tuple(str(k) for k in keywords) if isinstance(keywords, list) else (),
                size=size if isinstance(size, int) else 0,
                by_model=record.get("by_model") is True,
            )
        )
    return tuple(kept)


def build_map(
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
    labels: Sequence[Any] = (),
    digest: str = "",
    colours: list[str] | None = None,
) -> SavedMap:
    """The explorer's current map as a :class:`SavedMap` (no copy of the texts; ``settings`` a
    dataclass such as ProjectionSettings; ``clusters`` the cluster of each row when the colours
    are clusters, else ``None``; ``labels`` the clusters' labels; ``digest`` the dataset's;
    ``colours`` the page's own colour groups of the clusters, kept as they are, else made from
    the cluster numbers)."""
    points = np.asarray(coords, dtype=np.float32)
    groups = None if clusters is None else np.asarray(clusters, dtype=np.int32)
    if groups is not None:
        if colours is None or len(colours) != len(groups):
            colours = [str(c) for c in groups.tolist()]
        title = colour_title
    elif dataset.labels:
        colours, title = list(dataset.labels), "label"
    else:
        colours, title = ["all"] * len(points), "points"
    return SavedMap(
        source=source,
        model=model,
        settings=asdict(settings),
        coords=points,
        colour_title=title,
        colours=colours,
        texts=dataset.texts,
        labels=dataset.labels,
        namespace=namespace,
        dimensions=dimensions,
        encoding=encoding,
        clusters=groups,
        cluster_labels=_map_labels(label_records(labels)),
        digest=digest,
    )


def _small(texts: Sequence[str], labels: Sequence[str] | None) -> bool:
    size = sum(map(len, texts)) + sum(map(len, labels or []))
    return size <= MAX_TEXT_CHARS


def _body_of(saved: SavedMap) -> dict[str, Any]:
    texts = saved.texts
    keep = saved.source != SOURCE_SAMPLE and texts is not None and _small(texts, saved.labels)
    return {
        "format": BODY_FORMAT,
        "source": saved.source,
        "rows": len(saved),
        "digest": saved.digest,
        "texts": list(texts) if keep and texts is not None else None,
        "labels": list(saved.labels) if keep and saved.labels else None,
        "model": saved.model,
        "namespace": saved.namespace,
        "dimensions": saved.dimensions,
        "encoding": saved.encoding,
        "settings": dict(saved.settings),
        "coords": encode_array(saved.coords, "<f4"),
        "colour_title": saved.colour_title,
        "clusters": None if saved.clusters is None else encode_array(saved.clusters, "<i4"),
        "cluster_labels": label_records(saved.cluster_labels),
    }


def map_body(saved: SavedMap | None = None, /, **parts: Any) -> dict[str, Any]:
    """The JSON body (format 2) of ``saved``, or of the map :func:`build_map` makes of
    ``parts``. The texts are left out for the sample (a reference) and above
    :data:`MAX_TEXT_CHARS`."""
    return _body_of(saved if saved is not None else build_map(**parts))


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _arrays(
    body: Mapping[str, Any],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32] | None]:
    """The coordinates and clusters of a format-2 body (encoded) or a format-1 one (lists)."""
    raw_coords, raw_clusters = body.get("coords"), body.get("clusters")
    clusters: npt.NDArray[np.int32] | None = None
    if isinstance(raw_coords, Mapping):
        coords = decode_array(raw_coords, "<f4")
        if isinstance(raw_clusters, Mapping):
            clusters = decode_array(raw_clusters, "<i4").reshape(-1)
    else:
        coords = np.asarray(raw_coords or [], dtype=np.float32)
        if isinstance(raw_clusters, list):
            clusters = np.asarray(raw_clusters, dtype=np.int32).reshape(-1)
    return coords, clusters


def map_from_body(body: dict[str, Any], sample: Dataset | None = None) -> SavedMap:
    """The map a body (format 1 or 2) holds (``sample``: the built-in dataset, for a body that
    refers to it).

    Raises ``ValueError`` when the coordinates are missing or do not fit the texts."""
    try:
        coords, clusters = _arrays(body)
    except (TypeError, ValueError) as exc:
        raise ValueError("The saved map has no usable coordinates.") from exc
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
        notes.append(TEXTS_NOTE)
    if labels is not None and len(labels) != len(coords):
        labels = None
    title = str(body.get("colour_title") or "")
    if clusters is not None and len(clusters) == len(coords):
        colours = [str(c) for c in clusters.tolist()]
    elif labels is not None:
        clusters, colours, title = None, list(labels), "label"
    else:
        clusters, colours, title = None, ["all"] * len(coords), "points"
    dimensions, encoding = body.get("dimensions"), body.get("encoding")
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
        clusters=clusters,
        cluster_labels=_map_labels(body.get("cluster_labels")) if clusters is not None else (),
        digest=str(body.get("digest") or ""),
    )


def search_text(saved: SavedMap) -> str:
    """What the store's search looks in besides a map's title: its model and its digest (so the
    maps of one dataset are listed by searching for the digest, without reading their bodies)."""
    return f"{saved.model} {saved.digest}".strip()


#: The "model" of a map whose coordinates came with the data (nothing was embedded).
GIVEN_COORDINATES = "uploaded coordinates"


@dataclass(frozen=True)
class GivenSettings:
    """The settings saved with coordinates that came with the data (nothing was projected)."""

    method: str = "precomputed"
    n_components: int = 2


def map_title(model: str, settings: Any, rows: int, source: str) -> str:
    """``UMAP 2D of 280 texts (sample) · model``."""
    method = str(getattr(settings, "method", "map")).upper()
    dims = f"{getattr(settings, 'n_components', 2)}D"
    return f"{method} {dims} of {rows:,} texts ({source}) · {model}"
