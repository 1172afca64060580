"""Data that brings its own vectors or map coordinates, at scale, in headless Chromium: a
100,000-row Parquet of 384-d vectors with texts of planted topics is mapped (every point drawn,
the clusters labelled with their topic words, a box selection listed), and a 1,000,000-row
Parquet of 2-D coordinates is drawn. The upload-to-map seconds are printed (run with -s)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer, assert_no_exception, wait_for_app
from tests.embeddings.planted import blobs
from tests.embeddings.upload_data import TOPICS, parquet_bytes, planted

pytestmark = pytest.mark.browser

VECTOR_ROWS = 100_000
COORD_ROWS = 1_000_000
PLOTTED = """() => {
    const gd = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
    if (!gd || !gd._fullData) return 0;
    return gd._fullData.reduce((sum, t) => sum + (t.name === 'query' ? 0 : t._length || 0), 0);
}"""


@pytest.fixture(scope="module")
def vectors_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 texts of 8 planted topics with their 384-d float32 vectors (one blob a topic)."""
    texts, vectors, _ = planted(VECTOR_ROWS, topics=8)
    path = tmp_path_factory.mktemp("vectors") / "vectors.parquet"
    path.write_bytes(parquet_bytes({"text": texts, "embedding": vectors}))
    return path


@pytest.fixture(scope="module")
def coords_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000,000 rows of text with 2-D map coordinates (12 blobs and some background)."""
    coords, _ = blobs(COORD_ROWS, k=12)
    texts = [f"point {i}" for i in range(COORD_ROWS)]
    path = tmp_path_factory.mktemp("coords") / "map.parquet"
    path.write_bytes(parquet_bytes({"text": texts, "x": coords[:, 0], "y": coords[:, 1]}))
    return path


def plotted(page: Page) -> int:
    """The points plotly holds over the map's traces (the first chart)."""
    count: int = page.evaluate(PLOTTED)
    return count


def wait_for_points(page: Page, count: int, timeout: float) -> None:
    page.wait_for_function(f"() => ({PLOTTED})() === {count}", timeout=timeout)


def upload(page: Page, app: AppServer, path: Path) -> float:
    """Open the page, choose "Upload a file" and give it ``path``; the time the upload began."""
    page.goto(f"{app.url}/embeddings")
    wait_for_app(page)
    page.get_by_text("Upload a file").click()
    wait_for_app(page)
    started = time.perf_counter()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)
    return started


def test_100k_uploaded_vectors_map_with_every_point_labelled_clusters_and_selection(
    page: Page, local_app: AppServer, vectors_parquet: Path
) -> None:
    started = upload(page, local_app, vectors_parquet)
    button = page.get_by_role("button", name=f"Map {VECTOR_ROWS:,} uploaded vectors")
    expect(button).to_be_visible(timeout=180_000)
    read = time.perf_counter() - started
    wait_for_app(page)
    button.click()
    wait_for_points(page, VECTOR_ROWS, timeout=600_000)
    wait_for_app(page, settle_ms=800)
    seconds = time.perf_counter() - started
    print(f"\n100,000 × 384 Parquet: read in {read:.1f} s; upload to map {seconds:.1f} s")
    assert_no_exception(page)
    assert plotted(page) == VECTOR_ROWS  # every point drawn, no down-sampling

    drawn: list[str] = page.evaluate(
        """() => (document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot')
            .layout.annotations || []).map(a => a.text || '')"""
    )
    text = " ".join(drawn)
    named = [t for t, words in TOPICS.items() if any(w in text for w in words)]
    assert len(named) == len(TOPICS), (named, drawn)  # every planted topic labelled on the map

    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    chart.locator('[data-title="Box Select"]').first.click()
    area = chart.locator(".nsewdrag").first.bounding_box()
    assert area is not None
    x0, y0 = area["x"] + area["width"] * 0.05, area["y"] + area["height"] * 0.05
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + area["width"] * 0.9, y0 + area["height"] * 0.9, steps=10)
    page.mouse.up()
    listed = page.get_by_text(re.compile(r"^[\d,]+ selected rows$"))
    expect(listed).to_be_visible(timeout=120_000)
    wait_for_app(page)
    count = int(listed.inner_text().split()[0].replace(",", ""))
    assert 1_000 <= count <= VECTOR_ROWS
    expect(page.get_by_role("button", name="Download the selection (CSV)")).to_be_visible()
    assert_no_exception(page)


def test_a_million_uploaded_coordinates_are_drawn(
    page: Page, local_app: AppServer, coords_parquet: Path
) -> None:
    started = upload(page, local_app, coords_parquet)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=300_000)
    wait_for_points(page, COORD_ROWS, timeout=300_000)
    wait_for_app(page, settle_ms=800)
    print(f"\n1,000,000 uploaded 2-D points: upload to map {time.perf_counter() - started:.1f} s")
    assert plotted(page) == COORD_ROWS
    assert page.get_by_role("button", name=re.compile("Embed")).count() == 0
    assert_no_exception(page)
