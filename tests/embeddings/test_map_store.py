"""Embedding maps in the workspace store: a computed map is saved with its colouring and named by
``?m=``; a new session of the same workspace redraws it without embedding or projecting again;
another workspace gets a plain "not found"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import new_app
from tests.embeddings.test_page import click, compute_map, decoded, embed_requests
from tests.fake_xai import FakeXai

PAGE = "playground/embeddings/page.py"


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An embeddings cache of the test's own (its store is its own already: tests/apptest.py)."""
    monkeypatch.setenv("EMBEDDINGS_CACHE_DIR", str(tmp_path / "embeddings-cache"))


def session(workspace: str, map_id: str | None = None) -> AppTest:
    at = new_app(timeout=120)
    at.session_state["_workspace_id"] = workspace
    at.run()
    if map_id:
        at.query_params["m"] = map_id
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_points(at: AppTest, key: str) -> int:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    traces: list[dict[str, Any]] = json.loads(chart.proto.spec)["data"]
    return sum(len(decoded(t["x"])) for t in traces)


def test_a_map_reopens_by_url_without_recomputing(env_fake: FakeXai) -> None:
    at = session("ws-a")
    click(at, "emb_embed")
    compute_map(at, "PCA")
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
