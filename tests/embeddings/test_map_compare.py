"""Saved maps reopened with their cluster labels, and two maps of the same rows compared side by
side (the explorer's map beside a saved one, or two saved ones) with linked selection."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from playground.embeddings.compute.compare import rows_digest
from playground.embeddings.compute.projection import ProjectionSettings
from playground.embeddings.data.files import Dataset
from playground.embeddings.data.saved_map import KIND, map_body, map_from_body, search_text
from playground.embeddings.figures import scatter_map
from playground.embeddings.widgets import stored_map
from playground.store import Store, database_url
from tests.embeddings.test_map_store import chart_points, opened_map, session
from tests.embeddings.test_page import embed_and_map
from tests.fake_xai import FakeXai

PANEL, ROWS = "emb_cmp_open", "emb_cmp_rows"
CURRENT = "__current__"


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(tmp_path / "embeddings-cache"))


@pytest.fixture
def store() -> Iterator[Store]:
    """The test's workspace store (tests/apptest.py points the app at it)."""
    opened = Store(database_url())
    yield opened
    opened.close()


@pytest.fixture
def figure_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``scatter_map`` of the stored maps, recording the ``labels=`` and ``selected=`` it gets."""
    calls: list[dict[str, Any]] = []

    def spy(
        coords: Any,
        texts: Sequence[str],
        colours: Sequence[str],
        *,
        colour_title: str = "label",
        labels: Sequence[tuple[str, Sequence[float]]] = (),
        selected: Sequence[int] = (),
    ) -> go.Figure:
        calls.append({"labels": list(labels), "selected": list(selected)})
        return scatter_map(
            coords, texts, colours, colour_title=colour_title, labels=labels, selected=selected
        )

    monkeypatch.setattr(stored_map, "scatter_map", spy)
    return calls


def traces(at: AppTest, key: str) -> list[dict[str, Any]]:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    data: list[dict[str, Any]] = json.loads(chart.proto.spec)["data"]
    return data


def ringed(at: AppTest, key: str) -> list[int]:
    """The rows a chart shows selected (plotly's ``selectedpoints`` of each trace)."""
    rows: list[int] = []
    for trace in traces(at, key):
        picked = trace.get("selectedpoints")
        if picked is None:
            continue
        if isinstance(picked, dict):
            picked = np.frombuffer(base64.b64decode(picked["bdata"]), dtype=picked["dtype"])
        data = trace["customdata"]  # (n, 1): a list, or plotly's typed array (shape "n, 1")
        if isinstance(data, dict):
            data = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        column = np.asarray(data).reshape(-1).astype(int)
        rows += column[np.asarray(picked, dtype=int)].tolist()
    return sorted(rows)


def put_map(store: Store, workspace: str, item_id: str, title: str, body: dict[str, Any]) -> None:
    store.put_item(
        workspace, item_id, KIND, title=title, body=body, text=search_text(map_from_body(body))
    )


def labelled_body(rows: int = 60) -> dict[str, Any]:
    """A pasted dataset of three planted groups, mapped, clustered and labelled."""
    rng = np.random.default_rng(3)
    clusters = np.repeat([0, 1, 2], rows // 3)
    clusters[-1] = -1
    centres = np.array([[0, 0], [10, 0], [0, 10]], np.float32)
    coords = centres[np.maximum(clusters, 0)] + rng.normal(size=(rows, 2)).astype(np.float32)
    dataset = Dataset([f"text {i}" for i in range(rows)])
    names = ["pasta · garlic", "rain · cloud", "goal · match"]
    labels = [
        {"cluster": c, "name": n, "keywords": n.split(" · "), "size": 20}
        for c, n in enumerate(names)
    ]
    return map_body(
        dataset=dataset,
        source="pasted",
        model="grok-embed",
        namespace="ns",
        dimensions=None,
        encoding=None,
        settings=ProjectionSettings(method="umap"),
        coords=coords,
        colour_title="cluster",
        clusters=clusters,
        labels=labels,
        digest=rows_digest(dataset),
    )


def test_a_saved_map_reopens_with_its_labels_without_recomputing(
    env_fake: FakeXai, store: Store, figure_calls: list[dict[str, Any]]
) -> None:
    put_map(store, "ws-a", "labelled", "Topics", labelled_body())
    at = session("ws-a", "labelled")
    assert not [r for r in env_fake.requests if r.path == "/v1/embeddings"]
    assert chart_points(at, "emb_saved_map") == 60
    names = [t["name"] for t in traces(at, "emb_saved_map")]
    assert "0 · pasta · garlic" in names and "2 · goal · match" in names and "noise" in names
    drawn = figure_calls[-1]["labels"]
    assert [name for name, _ in drawn] == ["pasta · garlic", "rain · cloud", "goal · match"]
    assert np.allclose(drawn[1][1], [10, 0], atol=1)  # at its cluster
    assert "Compare with another map" in [e.label for e in at.expander]


def test_the_current_map_compares_with_a_saved_map_of_the_same_rows(
    env_fake: FakeXai, store: Store, figure_calls: list[dict[str, Any]]
) -> None:
    at = session("ws-a")
    embed_and_map(at, "PCA")  # one map saved: PCA chosen before Embed
    first = opened_map(at)
    item = store.get_item("ws-a", first)
    assert item is not None and item.body["format"] == 2 and item.body["digest"]
    saved = map_from_body(item.body)
    turned = replace(saved, coords=(saved.coords @ np.array([[0, -1], [1, 0]], np.float32)) * 3)
    put_map(store, "ws-a", "turned", "Turned (PCA) · mini-lm", map_body(turned))
    put_map(store, "ws-a", "other-data", "Other", labelled_body())  # other rows: never offered

    at.session_state[PANEL] = True
    at.run()
    assert at.selectbox(key="emb_cmp_left_pick").value == CURRENT
    right = at.selectbox(key="emb_cmp_right_pick")
    assert right.options == ["Turned (PCA) · mini-lm"] and right.value == "turned"  # plain text
    agreement = " ".join(str(i.value) for i in at.info)
    assert "Neighbour agreement 1.00" in agreement and "10 nearest neighbours" in agreement
    assert chart_points(at, "emb_cmp_left") == chart_points(at, "emb_cmp_right") == 280

    # a box on either chart: its callback keeps the rows for this pair (no AppTest selection)
    at.session_state[ROWS] = ((CURRENT, "turned", saved.digest), [0, 3, 7])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ringed(at, "emb_cmp_left") == ringed(at, "emb_cmp_right") == [0, 3, 7]
    assert figure_calls[-1]["selected"] == [0, 3, 7]
    table = at.dataframe[-1].value
    assert table["row"].tolist() == [0, 3, 7] and "text" in table.columns

    # two saved maps: the left a saved one, the right the explorer's own saved copy
    at.selectbox(key="emb_cmp_left_pick").set_value("turned").run()
    assert at.selectbox(key="emb_cmp_right_pick").value == first
    assert "Neighbour agreement 1.00" in " ".join(str(i.value) for i in at.info)


def test_a_reopened_map_compares_and_an_old_map_says_why_it_cannot(
    env_fake: FakeXai, store: Store
) -> None:
    body = labelled_body()
    put_map(store, "ws-a", "labelled", "Topics", body)
    shuffled = map_from_body(body)
    order = np.random.default_rng(0).permutation(len(shuffled))
    put_map(
        store,
        "ws-a",
        "shuffled",
        "Shuffled",
        map_body(replace(shuffled, coords=shuffled.coords[order])),
    )
    old = {"format": 1, "source": "pasted", "coords": [[0, 0], [1, 1]], "texts": ["a", "b"]}
    put_map(store, "ws-a", "old", "Old", old)

    at = session("ws-a", "labelled")
    at.session_state[PANEL] = True
    at.run()
    assert at.selectbox(key="emb_cmp_right_pick").value == "shuffled"
    agreement = " ".join(str(i.value) for i in at.info)
    assert "quite differently" in agreement

    at.selectbox(key="emb_cmp_left_pick").set_value("old").run()
    assert any("digest of their rows" in str(c.value) for c in at.caption)
    assert not at.exception
