"""A million points in headless Chromium: the map draws every point and a box selection comes back
through ``st.plotly_chart(on_select="rerun")`` with exactly the rows inside the box.

The app here is a throwaway script (written to ``tmp_path``) that draws ``scatter_map`` of
coordinates the test saved, and writes what the selection event gave back to a JSON file.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import REPO_ROOT, AppServer, assert_no_exception, run_app, wait_for_app

pytestmark = pytest.mark.browser

POINTS = 1_000_000
DRAG = (36, 24)  # the box, in pixels
SCRIPT = """
import json
import os
from pathlib import Path

import numpy as np
import streamlit as st

from playground.embeddings.figures import NOISE_GROUP, scatter_map, selected_rows

folder = Path(os.environ["SCALE_FOLDER"])


@st.cache_resource
def figure():
    coords = np.load(folder / "coords.npy")
    band = (coords[:, 1] // 25).astype(int).astype(str)
    colours = np.where(coords[:, 0] < 10, NOISE_GROUP, band).tolist()
    texts = [f"point {i}" for i in range(len(coords))]
    return scatter_map(coords, texts, colours, colour_title="band")


event = st.plotly_chart(
    figure(), key="map", on_select="rerun", selection_mode=("points", "box", "lasso")
)
selection = event.selection if event else None
rows = selected_rows(selection.points) if selection else []
box = [dict(b) for b in selection.box] if selection else []
(folder / "selection.json").write_text(json.dumps({"rows": rows, "box": box}))
st.write(f"{len(rows)} selected rows")
"""


@pytest.fixture(scope="module")
def scale_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, Path]]:
    folder = tmp_path_factory.mktemp("scale-app")
    rng = np.random.default_rng(7)
    np.save(folder / "coords.npy", rng.uniform(0, 100, size=(POINTS, 2)).astype(np.float32))
    script = folder / "scale_app.py"
    script.write_text(SCRIPT)
    env = {"SCALE_FOLDER": str(folder), "PYTHONPATH": str(REPO_ROOT)}
    with run_app(env, folder, script=script) as server:
        yield server, folder


def plotted_points(page: Page) -> int:
    """How many points plotly holds over all traces of the first chart."""
    count: int = page.evaluate(
        """() => {
            const gd = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
            if (!gd || !gd._fullData) return 0;
            return gd._fullData.reduce((sum, trace) => sum + (trace._length || 0), 0);
        }"""
    )
    return count


def test_a_million_points_draw_and_a_box_selection_returns_the_rows_inside(
    page: Page, scale_app: tuple[AppServer, Path]
) -> None:
    server, folder = scale_app
    started = time.perf_counter()
    page.goto(server.url)
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible(timeout=120_000)
    page.wait_for_function(
        f"() => {{ const gd = document.querySelector('.js-plotly-plot');"
        f" return gd && gd._fullData && gd._fullData.reduce((s, t) => s + (t._length || 0), 0)"
        f" === {POINTS}; }}",
        timeout=120_000,
    )
    wait_for_app(page)
    print(f"\n1,000,000 points drawn {time.perf_counter() - started:.1f} s after opening the page")
    assert plotted_points(page) == POINTS
    assert page.locator("[data-testid=stPlotlyChart] canvas").count() > 0
    assert_no_exception(page)

    chart.hover()
    chart.locator('[data-title="Box Select"]').first.click()
    area = chart.locator(".nsewdrag").first.bounding_box()
    assert area is not None
    x0, y0 = area["x"] + area["width"] * 0.55, area["y"] + area["height"] * 0.40
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + DRAG[0], y0 + DRAG[1], steps=8)
    page.mouse.up()
    started = time.perf_counter()
    shown = page.get_by_text(re.compile(r"^[1-9][\d]* selected rows$"))
    expect(shown).to_be_visible(timeout=60_000)
    print(f"selection back on the page in {time.perf_counter() - started:.1f} s")
    wait_for_app(page)
    assert_no_exception(page)

    written = json.loads((folder / "selection.json").read_text())
    (box,) = written["box"]
    coords = np.load(folder / "coords.npy")
    (left, right), (bottom, top) = sorted(box["x"]), sorted(box["y"])
    x, y = coords[:, 0].astype(np.float64), coords[:, 1].astype(np.float64)
    # plotly tests points in pixels (float32): allow a hundredth of a pixel at the box's edges
    eps = 0.01 * (right - left) / DRAG[0]

    def inside(margin: float) -> set[int]:
        hit = (
            (x > left + margin) & (x < right - margin) & (y > bottom + margin) & (y < top - margin)
        )
        return {int(r) for r in np.flatnonzero(hit)}

    rows = set(written["rows"])
    assert len(rows) == len(written["rows"]) == int(shown.inner_text().split()[0])
    odd = sorted(inside(eps) ^ rows)
    assert inside(eps) <= rows <= inside(-eps), [(r, coords[r].tolist(), box) for r in odd[:5]]
    assert 20 <= len(rows) <= 5_000
