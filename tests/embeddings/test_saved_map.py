"""An embedding map as the store keeps it (body format 2: base64 float32 coordinates, int32
clusters, cluster labels, the dataset's digest; format 1 still read): no vectors."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from playground.embeddings.compute.compare import rows_digest
from playground.embeddings.compute.jobs import dataset_digest
from playground.embeddings.compute.projection import ProjectionSettings
from playground.embeddings.data import saved_map
from playground.embeddings.data.files import Dataset
from playground.embeddings.data.saved_map import (
    MapLabel,
    build_map,
    decode_array,
    encode_array,
    label_records,
    map_body,
    map_from_body,
    map_title,
    search_text,
)

COORDS = np.array([[0.123456789, 1.0], [2.0, -3.5], [4.25, 0.0]], np.float32)
SETTINGS = ProjectionSettings(method="pca", n_components=2)


@dataclass(frozen=True)
class Label:  # the fields of compute.labels.ClusterLabel (helper "labels" of issue 16)
    cluster: int
    size: int
    keywords: tuple[str, ...]
    name: str
    by_model: bool = False


def stored(body: dict[str, Any]) -> dict[str, Any]:
    back: dict[str, Any] = json.loads(json.dumps(body))  # as the store gives it back
    return back


def body_for(
    dataset: Dataset,
    source: str = "pasted",
    clusters: list[int] | None = None,
    labels: list[Any] | None = None,
    coords: np.ndarray[Any, Any] = COORDS,
) -> dict[str, Any]:
    return stored(
        map_body(
            dataset=dataset,
            source=source,
            model="m",
            namespace="ns",
            dimensions=None,
            encoding="base64",
            settings=SETTINGS,
            coords=coords,
            colour_title="cluster" if clusters else "label",
            clusters=None if clusters is None else np.array(clusters),
            labels=labels or [],
            digest=rows_digest(dataset),
        )
    )


def test_a_pasted_map_round_trips_compactly_without_vectors() -> None:
    dataset = Dataset(["a", "b", "c"], labels=["x", "y", "x"])
    labels = [Label(0, 1, ("alpha", "beta"), "alpha · beta"), {"cluster": 1, "name": "gamma"}]
    body = body_for(dataset, clusters=[0, 1, -1], labels=labels)
    assert "vectors" not in body and body["namespace"] == "ns" and body["format"] == 2
    assert body["coords"]["dtype"] == "<f4" and body["coords"]["shape"] == [3, 2]
    raw = base64.b64decode(body["coords"]["base64"])
    assert np.array_equal(np.frombuffer(raw, "<f4").reshape(3, 2), COORDS)  # little-endian
    assert body["clusters"]["dtype"] == "<i4" and body["digest"] == dataset_digest(dataset)
    read = map_from_body(body)
    assert read.texts == ["a", "b", "c"] and read.labels == ["x", "y", "x"]
    assert read.colours == ["0", "1", "-1"] and read.colour_title == "cluster"
    assert np.array_equal(read.coords, COORDS) and read.coords.dtype == np.float32
    assert read.clusters is not None and read.clusters.tolist() == [0, 1, -1]
    assert read.cluster_labels == (
        MapLabel(0, "alpha · beta", ("alpha", "beta"), 1, False),
        MapLabel(1, "gamma", (), 0, False),
    )
    assert read.settings["method"] == "pca" and read.encoding == "base64" and read.model == "m"
    assert read.digest == dataset_digest(dataset) and search_text(read) == f"m {read.digest}"


def test_the_map_built_for_the_page_is_what_its_body_reads_back() -> None:
    dataset = Dataset(["a", "b", "c"])
    built = build_map(
        dataset=dataset,
        source="pasted",
        model="m",
        namespace="ns",
        dimensions=8,
        encoding=None,
        settings=SETTINGS,
        coords=COORDS,
        colour_title="cluster",
        clusters=np.array([1, 1, 0]),
        labels=[Label(1, 2, ("k",), "k")],
        digest="d",
    )
    assert built.texts is dataset.texts  # no copy on the page run
    read = map_from_body(stored(map_body(built)))
    for name in ("source", "model", "settings", "colours", "texts", "cluster_labels", "digest"):
        assert getattr(read, name) == getattr(built, name), name
    assert np.array_equal(read.coords, built.coords) and read.dimensions == 8


def test_a_format_1_body_still_reads() -> None:
    body = {  # as the explorer saved maps before body format 2
        "format": 1,
        "source": "pasted",
        "texts": ["a", "b", "c"],
        "labels": ["x", "y", "x"],
        "rows": 3,
        "model": "m",
        "namespace": "ns",
        "dimensions": None,
        "encoding": "base64",
        "settings": {"method": "pca", "n_components": 2},
        "coords": [[0.12346, 1.0], [2.0, -3.5], [4.25, 0.0]],
        "colour_title": "cluster",
        "clusters": [0, 1, -1],
    }
    read = map_from_body(body)
    assert np.allclose(read.coords, COORDS, atol=1e-5) and read.colours == ["0", "1", "-1"]
    assert read.clusters is not None and read.clusters.tolist() == [0, 1, -1]
    assert read.texts == ["a", "b", "c"] and read.digest == "" and read.cluster_labels == ()
    body["clusters"] = None
    assert map_from_body(body).colours == ["x", "y", "x"]


def test_labels_colour_the_map_when_there_are_no_clusters() -> None:
    read = map_from_body(body_for(Dataset(["a", "b", "c"], labels=["x", "y", "x"])))
    assert read.colour_title == "label" and read.colours == ["x", "y", "x"]
    plain = map_from_body(body_for(Dataset(["a", "b", "c"])))
    assert plain.colours == ["all"] * 3 and plain.clusters is None


def test_the_sample_is_a_reference_and_large_texts_are_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = Dataset(["s1", "s2", "s3"], labels=["t", "t", "u"])
    body = body_for(sample, source="sample")
    assert body["texts"] is None
    assert map_from_body(body, sample).texts == ["s1", "s2", "s3"]
    assert saved_map.MAX_TEXT_CHARS == 16_000_000
    monkeypatch.setattr(saved_map, "MAX_TEXT_CHARS", 2)
    large = map_from_body(body_for(Dataset(["aaa", "b", "c"])))
    assert large.texts is None and large.notes == [saved_map.TEXTS_NOTE]


def test_a_broken_body_is_refused_plainly() -> None:
    with pytest.raises(ValueError, match="no usable coordinates"):
        map_from_body({"coords": []})
    body = body_for(Dataset(["a", "b", "c"]))
    for broken in (
        {"dtype": "<f8"},
        {**body["coords"], "base64": "!!"},
        {**body["coords"], "shape": [4, 2]},
    ):
        with pytest.raises(ValueError, match="no usable coordinates"):
            map_from_body({**body, "coords": broken})
    body["texts"] = ["a"]
    with pytest.raises(ValueError, match="do not match"):
        map_from_body(body)


def test_arrays_and_labels_encode_plainly() -> None:
    ints = encode_array([1, -1, 2**31 - 1], "<i4")
    assert decode_array(ints, "<i4").tolist() == [1, -1, 2**31 - 1]
    with pytest.raises(ValueError):
        decode_array(ints, "<f4")
    assert label_records([{"cluster": 2, "name": "n", "keywords": ("a",)}]) == [
        {"cluster": 2, "name": "n", "keywords": ["a"], "size": 0, "by_model": False}
    ]


def test_a_100000_point_map_body_is_compact() -> None:
    n = 100_000
    rng = np.random.default_rng(0)
    dataset = Dataset([f"text number {i}" for i in range(n)])
    clusters = rng.integers(-1, 30, n).tolist()
    labels = [Label(c, 10, ("w",), f"topic {c}") for c in range(30)]
    coords = rng.normal(size=(n, 2)).astype(np.float32)
    body = body_for(dataset, clusters=clusters, labels=labels, coords=coords)
    arrays = len(json.dumps(body["coords"])) + len(json.dumps(body["clusters"]))
    assert arrays < 16 * n + 200  # 8 + 4 bytes a point: 16 base64 characters
    read = map_from_body(body)
    assert np.array_equal(read.coords, coords) and len(read.texts or []) == n


def test_the_title_names_method_view_size_source_and_model() -> None:
    assert map_title("v1", SETTINGS, 280, "sample") == "PCA 2D of 280 texts (sample) · v1"
