"""Embedding maps in the workspace store: a computed map is saved with its colouring and named by
``?m=``; a new session of the same workspace redraws it without embedding or projecting again;
another workspace gets a plain "not found"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests import apptest
from tests.apptest import workspace_session
from tests.embeddings.test_page import (
    click,
    compute_map,
    decoded,
    embed_and_map,
    embed_requests,
)
from tests.fake_xai import FakeXai

PAGE = "playground/embeddings/page.py"


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An embeddings cache of the test's own (its store is its own already: tests/apptest.py)."""
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(tmp_path / "embeddings-cache"))


def session(workspace: str, map_id: str | None = None) -> AppTest:
    query = {"m": map_id} if map_id else {}
    return workspace_session(workspace, PAGE, timeout=120, history="emb_history", **query)


def chart_points(at: AppTest, key: str) -> int:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    traces: list[dict[str, Any]] = json.loads(chart.proto.spec)["data"]
    return sum(len(decoded(t["x"])) for t in traces)


def test_a_map_reopens_by_url_without_recomputing(env_fake: FakeXai) -> None:
    at = session("ws-a")
    embed_and_map(at, "PCA")
    value = at.query_params["m"]
    map_id = value if isinstance(value, str) else value[0]
    asked = len(embed_requests(env_fake))

    again = session("ws-a", map_id)
    assert len(embed_requests(env_fake)) == asked  # nothing embedded again
    assert chart_points(again, "emb_saved_map") == 280
    titles = [str(s.value).replace("\\", "") for s in again.subheader]  # markdown escapes
    assert any("PCA 2D of 280 texts (sample)" in title for title in titles)

    again.button(key="emb_map_close").click().run()
    assert "m" not in again.query_params and not again.exception

    stranger = session("ws-b", map_id)
    assert any("not found" in str(i.value) for i in stranger.info)
    assert not [c for c in stranger.get("plotly_chart") if "emb_saved_map" in c.proto.id]


HISTORY = "emb_history"


def map_titles(at: AppTest) -> list[str]:
    return [line.split(" · ")[0] for line in apptest.listed(at, HISTORY)]


def opened_map(at: AppTest) -> str:
    value = at.query_params["m"]
    return value if isinstance(value, str) else value[0]


def test_history_opens_renames_duplicates_deletes_and_searches_maps(env_fake: FakeXai) -> None:
    at = session("ws-a")
    embed_and_map(at, "PCA")
    flat = opened_map(at)
    at.radio(key="emb_view").set_value("3D")
    compute_map(at, "PCA")
    deep = opened_map(at)
    at.run()  # the list drawn after the last save
    assert deep != flat and map_titles(at) == [
        "PCA 3D of 280 texts (sample)",
        "PCA 2D of 280 texts (sample)",
    ]

    history = apptest.history_list(at, HISTORY)
    assert history is not None
    history.set_value(flat).run()  # open: the saved map's chart
    assert opened_map(at) == flat and chart_points(at, "emb_saved_map") == 280

    at.sidebar.text_input(key=f"{HISTORY}_title_{flat}").input("Flat map").run()
    click(at, f"{HISTORY}_rename")
    assert "Flat map" in map_titles(at)
    click(at, f"{HISTORY}_duplicate")
    copy = opened_map(at)
    assert copy not in (flat, deep) and chart_points(at, "emb_saved_map") == 280
    at.sidebar.text_input(key=f"{HISTORY}_search").input("flat").run()
    assert map_titles(at) == ["Flat map (copy)", "Flat map"]
    at.sidebar.text_input(key=f"{HISTORY}_search").input("").run()

    click(at, f"{HISTORY}_delete")
    click(at, f"{HISTORY}_delete_yes")
    assert "m" not in at.query_params or opened_map(at) != copy
    assert "Flat map (copy)" not in map_titles(at) and len(map_titles(at)) == 2
    assert not [c for c in at.get("plotly_chart") if "emb_saved_map" in c.proto.id]

    assert map_titles(session("ws-b")) == []


def test_a_shared_map_opens_read_only_and_forks(env_fake: FakeXai) -> None:
    at = session("ws-a")
    embed_and_map(at, "PCA")
    map_id = opened_map(at)
    at.run()
    token = apptest.share_token(at, HISTORY)

    bob = workspace_session("ws-b", PAGE, timeout=120, history=HISTORY, share=token)
    assert chart_points(bob, "emb_saved_map") == 280
    assert any("read-only copy" in str(c.value) for c in bob.caption)
    assert [b.label for b in bob.main.button] == ["Fork into my workspace"]
    assert map_titles(bob) == []  # no explorer, no history of Alice's

    bob.main.button[0].click().run()
    assert not bob.exception, [e.value for e in bob.exception]
    forked = opened_map(bob)
    assert forked != map_id and "share" not in bob.query_params
    assert chart_points(bob, "emb_saved_map") == 280
    assert map_titles(bob) == ["PCA 2D of 280 texts (sample)"]

    bob.query_params.clear()
    bob.query_params["share"] = "no-such-token"
    bob.run()
    assert "This shared link was not found." in [str(i.value) for i in bob.info]
    assert not [c for c in bob.get("plotly_chart") if "emb_saved_map" in c.proto.id]


def test_a_map_of_uploaded_coordinates_is_saved_and_reopens(env_fake: FakeXai) -> None:
    from tests.embeddings.planted import blobs
    from tests.embeddings.test_page_uploads import upload
    from tests.embeddings.upload_data import parquet_bytes

    coords, _ = blobs(600, k=5)
    data = {"text": [f"point {i}" for i in range(600)], "x": coords[:, 0], "y": coords[:, 1]}
    at = upload(session("ws-a"), "map.parquet", parquet_bytes(data))
    map_id = opened_map(at)  # saved as soon as it is drawn: nothing was computed to wait for

    again = session("ws-a", map_id)
    assert embed_requests(env_fake) == []
    assert chart_points(again, "emb_saved_map") == 600
    titles = [str(s.value).replace("\\", "") for s in again.subheader]
    assert any("PRECOMPUTED 2D of 600 texts (uploaded) · uploaded coordinates" in t for t in titles)
    captions = " ".join(str(c.value).replace("\\", "") for c in again.caption)
    assert "method=precomputed, n_components=2" in captions and "n_neighbors" not in captions
