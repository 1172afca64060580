"""The embeddings page with data that brings its own vectors or map coordinates (AppTest,
against the fake xAI server, whose embedding model has 8 dimensions)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import texts
from tests.embeddings.planted import blobs
from tests.embeddings.test_page import click, decoded, embed_requests, map_points, open_page
from tests.embeddings.upload_data import TOPICS, parquet_bytes, planted
from tests.fake_xai import FakeXai

ROWS = 400


@pytest.fixture(autouse=True)
def _own_embeddings_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(tmp_path / "embeddings-cache"))


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """Choose "Upload a file" and give it ``name`` (replacing what was uploaded)."""
    if at.radio(key="emb_source").value != "Upload a file":
        at.radio(key="emb_source").set_value("Upload a file").run()
    at.get("file_uploader")[0].set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def annotations(at: AppTest) -> list[str]:
    chart = next(c for c in at.get("plotly_chart") if "emb_map" in c.proto.id)
    layout = json.loads(chart.proto.spec)["layout"]
    return [str(a.get("text", "")) for a in layout.get("annotations", [])]


def keys(at: AppTest) -> set[str]:
    return {str(w.key) for w in [*at.button, *at.text_input, *at.radio] if w.key}


def mapped_vectors(at: AppTest) -> AppTest:
    """Upload the planted 384-d vectors with their texts and map them (PCA: quick)."""
    words, vectors, _ = planted(ROWS, topics=4)
    upload(at, "vectors.parquet", parquet_bytes({"text": words, "embedding": vectors}))
    at.radio(key="emb_method").set_value("PCA").run()
    return click(at, "emb_map_vectors")


def test_uploaded_vectors_are_mapped_without_embedding_into_labelled_clusters(
    env_fake: FakeXai,
) -> None:
    at = open_page()
    words, vectors, _ = planted(ROWS, topics=4)
    upload(at, "vectors.parquet", parquet_bytes({"text": words, "embedding": vectors}))
    assert at.selectbox(key="emb_vectors_col").value == "embedding"  # guessed
    assert at.selectbox(key="emb_text_col").value == "text"
    assert "emb_embed" not in keys(at) and "emb_map_vectors" in keys(at)
    assert "emb_recompute" not in keys(at)  # one button computes the first map
    at.radio(key="emb_method").set_value("PCA").run()
    click(at, "emb_map_vectors")
    assert embed_requests(env_fake) == []  # nothing embedded
    assert any("400 uploaded vectors, column" in c for c in texts(at.caption))
    count, traces = map_points(at)
    assert count == ROWS
    assert at.radio(key="emb_colour").value == "HDBSCAN clusters"
    names = " ".join(str(t["name"]) for t in traces)
    drawn = " ".join(annotations(at))
    for topic in list(TOPICS)[:4]:  # every planted topic names a cluster, on the map too
        assert any(word in names for word in TOPICS[topic]), (topic, names)
        assert any(word in drawn for word in TOPICS[topic]), (topic, drawn)

    at.text_input(key="emb_query").input("garlic pasta").run()  # the fake model: 8 dimensions
    warnings = " ".join(texts(at.warning))
    assert "8 dimensions" in warnings and "384" in warnings
    assert not at.exception


def test_uploaded_coordinates_are_drawn_as_they_are_without_search(env_fake: FakeXai) -> None:
    coords, _ = blobs(600, k=5)
    words = [f"point {i}" for i in range(len(coords))]
    data = {"text": words, "x": coords[:, 0].tolist(), "y": coords[:, 1].tolist()}
    at = upload(open_page(), "map.parquet", parquet_bytes(data))
    assert at.selectbox(key="emb_vectors_col").value == "x,y"
    assert not {"emb_embed", "emb_map_vectors", "emb_method", "emb_query"} & keys(at)
    assert embed_requests(env_fake) == []
    count, traces = map_points(at)
    assert count == len(coords)
    xs = sorted(float(v) for t in traces for v in decoded(t["x"]))  # type: ignore[arg-type]
    assert np.allclose(xs, np.sort(coords[:, 0]))  # not projected: the file's own x
    assert any("nothing to embed or project" in c for c in texts(at.caption))


def test_a_bad_upload_keeps_the_previous_map_and_says_what_is_wrong(env_fake: FakeXai) -> None:
    at = mapped_vectors(open_page())
    assert map_points(at)[0] == ROWS
    words, vectors, _ = planted(50, topics=2, seed=1)
    vectors[[2, 9]] = np.nan
    upload(at, "broken.parquet", parquet_bytes({"text": words, "embedding": vectors}))
    errors = " ".join(texts(at.error))
    assert "NaN" in errors and "rows 3, 10" in errors, errors
    assert any(f"Still showing the previous data ({ROWS} texts)" in c for c in texts(at.caption))
    assert map_points(at)[0] == ROWS  # the previous map is still drawn


def test_a_npy_of_vectors_with_a_table_of_texts_maps_its_rows(env_fake: FakeXai) -> None:
    words, vectors, _ = planted(120, topics=3, dim=16, seed=2)
    npy = io.BytesIO()
    np.save(npy, vectors)
    at = open_page()
    at.radio(key="emb_source").set_value("Upload a file").run()
    csv = "text\n" + "\n".join(words) + "\n"
    at.get("file_uploader")[0].set_value(
        [("texts.csv", csv.encode(), "text/csv"), ("vectors.npy", npy.getvalue(), "")]
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="emb_vectors_col").value is not None  # the .npy, preselected
    at.radio(key="emb_method").set_value("PCA").run()
    click(at, "emb_map_vectors")
    assert embed_requests(env_fake) == [] and map_points(at)[0] == 120
    assert any("120 uploaded vectors, " in c for c in texts(at.caption))
