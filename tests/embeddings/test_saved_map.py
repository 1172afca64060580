"""An embedding map as the store keeps it: coordinates, colouring and small texts, no vectors."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from playground.embeddings.compute.projection import ProjectionSettings
from playground.embeddings.data import saved_map
from playground.embeddings.data.files import Dataset
from playground.embeddings.data.saved_map import map_body, map_from_body, map_title

COORDS = np.array([[0.123456789, 1.0], [2.0, -3.5], [4.25, 0.0]], np.float32)
SETTINGS = ProjectionSettings(method="pca", n_components=2)


def body_for(
    dataset: Dataset, source: str = "pasted", clusters: list[int] | None = None
) -> dict[str, Any]:
    body = map_body(
        dataset=dataset,
        source=source,
        model="m",
        namespace="ns",
        dimensions=None,
        encoding="base64",
        settings=SETTINGS,
        coords=COORDS,
        colour_title="cluster" if clusters else "label",
        clusters=None if clusters is None else np.array(clusters),
    )
    back: dict[str, Any] = json.loads(json.dumps(body))  # as the store gives it back
    return back


def test_a_pasted_map_round_trips_without_vectors() -> None:
    dataset = Dataset(["a", "b", "c"], labels=["x", "y", "x"])
    body = body_for(dataset, clusters=[0, 1, -1])
    assert "vectors" not in body and body["namespace"] == "ns"
    assert body["coords"][0] == [0.12346, 1.0]  # rounded
    read = map_from_body(body)
    assert read.texts == ["a", "b", "c"] and read.labels == ["x", "y", "x"]
    assert read.colours == ["0", "1", "-1"] and read.colour_title == "cluster"
    assert np.allclose(read.coords, COORDS, atol=1e-5)
    assert read.settings["method"] == "pca" and read.encoding == "base64" and read.model == "m"


def test_labels_colour_the_map_when_there_are_no_clusters() -> None:
    read = map_from_body(body_for(Dataset(["a", "b", "c"], labels=["x", "y", "x"])))
    assert read.colour_title == "label" and read.colours == ["x", "y", "x"]
    plain = map_from_body(body_for(Dataset(["a", "b", "c"])))
    assert plain.colours == ["all"] * 3


def test_the_sample_is_a_reference_and_large_texts_are_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = Dataset(["s1", "s2", "s3"], labels=["t", "t", "u"])
    body = body_for(sample, source="sample")
    assert body["texts"] is None
    assert map_from_body(body, sample).texts == ["s1", "s2", "s3"]
    monkeypatch.setattr(saved_map, "MAX_TEXT_CHARS", 2)
    large = map_from_body(body_for(Dataset(["aaa", "b", "c"])))
    assert large.texts is None and large.notes


def test_a_broken_body_is_refused_plainly() -> None:
    with pytest.raises(ValueError, match="no usable coordinates"):
        map_from_body({"coords": []})
    body = body_for(Dataset(["a", "b", "c"]))
    body["texts"] = ["a"]
    with pytest.raises(ValueError, match="do not match"):
        map_from_body(body)


def test_the_title_names_method_view_size_source_and_model() -> None:
    assert map_title("v1", SETTINGS, 280, "sample") == "PCA 2D of 280 texts (sample) · v1"
