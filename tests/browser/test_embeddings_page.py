"""The embeddings explorer in headless Chromium against the real local backend (MiniLM)."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from playground.embeddings.data.sample import SAMPLE_PATH
from tests.browser.conftest import AppServer, assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

PER_TOPIC = 20  # 7 topics x 20 = 140 rows: small enough to keep the test quick


@pytest.fixture(scope="module")
def upload_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A CSV of the first 20 sample texts of each topic, and each text's topic."""
    with SAMPLE_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for i, r in enumerate(rows) if i % 40 < PER_TOPIC]
    path = tmp_path_factory.mktemp("upload") / "texts.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "topic"])
        writer.writeheader()
        writer.writerows(kept)
    return path, {r["text"]: r["topic"] for r in kept}


def choose_settings(page: Page, method: str = "PCA", view: str = "2D") -> None:
    """The map settings (drawn before Embed): method and view."""
    for label, value in (("Method", method), ("View", view)):
        radio = page.get_by_test_id("stRadio").filter(has_text=label)
        radio.get_by_text(value, exact=True).click()
        wait_for_app(page)


def upload_and_embed(
    page: Page, app: AppServer, path: Path, method: str = "PCA", view: str = "2D"
) -> None:
    """Upload ``path``, keep its topic labels, choose the map settings, then Embed: the map is
    computed on the same click."""
    page.goto(f"{app.url}/embeddings")
    wait_for_app(page)
    page.get_by_text("Upload a file").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)
    read = page.get_by_text(re.compile(r"^140 texts( with labels)?\.$"))
    expect(read).to_be_visible(timeout=30_000)
    wait_for_app(page)
    if read.inner_text() == "140 texts.":  # after a reload the label column is already kept
        page.get_by_test_id("stSelectbox").filter(has_text="Label column").click()
        page.get_by_role("option", name="topic").click()
        wait_for_app(page)
    expect(page.get_by_text("140 texts with labels.", exact=True)).to_be_visible()
    choose_settings(page, method, view)
    page.get_by_role("button", name="Embed 140 texts and map them").click()
    expect(page.get_by_text("140 distinct texts with all-minilm-l6-v2")).to_be_visible(
        timeout=90_000
    )
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(2, timeout=120_000)  # + heatmap
    wait_for_app(page, settle_ms=800)


def map_traces(page: Page) -> list[dict[str, object]]:
    """Name, type and hover texts of the map's traces, read from plotly in the page."""
    return page.evaluate(
        """() => {
          const gd = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
          return gd.data.map(t => ({name: t.name, type: t.type,
            hover: Array.from(t.hovertext || [])}));
        }"""
    )


def test_upload_embed_and_pca_map_then_search_highlights_the_topic(
    page: Page, local_app: AppServer, upload_csv: tuple[Path, dict[str, str]]
) -> None:
    path, topic_of = upload_csv
    upload_and_embed(page, local_app, path)
    expect(page.get_by_text("140 embedded")).to_be_visible()
    summary = page.get_by_text("140 distinct texts with all-minilm-l6-v2")
    expect(summary).to_contain_text(" tokens · free · ")  # the local model is free, not "$0.000000"
    assert_no_exception(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".main-svg").first).to_be_attached()
    # The chart drew one SVG path per point (fewer than 1,000 points: SVG, not WebGL).
    expect(chart.locator(".scatterlayer path.point")).to_have_count(140)
    traces = map_traces(page)
    assert sum(len(t["hover"]) for t in traces) == 140  # type: ignore[arg-type]
    assert len(traces) == 7

    query = page.get_by_label("Search the map")
    query_text = "a rocket launched astronauts into orbit around the planet"
    query.fill(query_text)
    query.press("Enter")
    expect(page.get_by_text("Nearest neighbours", exact=True)).to_be_visible(timeout=30_000)
    wait_for_app(page, settle_ms=800)
    traces = {t["name"]: t for t in map_traces(page)}
    neighbours = traces["nearest neighbours"]["hover"]
    assert len(neighbours) == 10  # type: ignore[arg-type]
    topics = [topic_of[html.unescape(text)] for text in neighbours]  # type: ignore[union-attr]
    assert topics.count("space") >= 8, topics
    assert traces["query"]["hover"] == [query_text]
    expect(chart.locator(".scatterlayer path.point")).to_have_count(140 + 10 + 1)
    assert_no_exception(page)


def test_umap_3d_view_draws_with_webgl(
    page: Page, local_app: AppServer, upload_csv: tuple[Path, dict[str, str]]
) -> None:
    path, _ = upload_csv
    upload_and_embed(page, local_app, path, "UMAP", "3D")
    # a page reload: a new session, the same cache
    upload_and_embed(page, local_app, path, "UMAP", "3D")
    expect(page.get_by_text("140 from the on-disk cache")).to_be_visible()
    assert_no_exception(page)
    traces = map_traces(page)
    assert {t["type"] for t in traces} == {"scatter3d"}
    assert sum(len(t["hover"]) for t in traces) == 140  # type: ignore[arg-type]
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator("canvas").first).to_be_attached()
    drew = page.evaluate(
        """() => {
          const canvas = document.querySelector('[data-testid=stPlotlyChart] canvas');
          const gl = canvas && (canvas.getContext('webgl') || canvas.getContext('webgl2'));
          return Boolean(canvas && canvas.width > 0 && canvas.height > 0 && gl !== undefined);
        }"""
    )
    assert drew


def test_a_file_in_the_wrong_encoding_says_what_to_fix(
    page: Page, local_app: AppServer, tmp_path: Path
) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("text\ncaf\xe9 au lait\n".encode("latin-1"))
    page.goto(f"{local_app.url}/embeddings")
    wait_for_app(page)
    page.get_by_text("Upload a file").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(bad)
    alert = page.get_by_test_id("stAlert").filter(has_text="not UTF-8")
    expect(alert).to_contain_text("Save it as UTF-8", timeout=30_000)
    assert_no_exception(page)


def test_cancel_stops_embedding_and_keeps_the_finished_batches(
    page: Page, local_app: AppServer, tmp_path: Path
) -> None:
    many = tmp_path / "many.csv"
    rows = [f"Cancellable sentence number {i} about topic {i % 17}." for i in range(4000)]
    many.write_text("text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page.goto(f"{local_app.url}/embeddings")
    wait_for_app(page)
    page.get_by_text("Upload a file").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(many)
    embed = page.get_by_role("button", name="Embed 4,000 texts and map them")
    embed.click()
    progress = page.get_by_text(re.compile(r"[1-9][\d,]* / 4,000 distinct texts"))
    expect(progress).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Cancel").click()
    notice = page.get_by_test_id("stAlert").filter(has_text="Embedding was cancelled after")
    expect(notice).to_be_visible(timeout=30_000)
    found = re.search(r"after ([\d,]+) of", notice.inner_text())
    assert found is not None
    done = int(found.group(1).replace(",", ""))
    assert 0 < done < 4000
    assert_no_exception(page)
    embed.click()  # continues from the cache
    summary = page.get_by_text(re.compile(r"4,000 distinct texts with all-minilm-l6-v2"))
    expect(summary).to_be_visible(timeout=60_000)
    cached = re.search(r"([\d,]+) from the on-disk cache", summary.inner_text())
    assert cached is not None and int(cached.group(1).replace(",", "")) >= done


def test_box_selection_lists_the_selected_rows(
    page: Page, local_app: AppServer, upload_csv: tuple[Path, dict[str, str]]
) -> None:
    path, _ = upload_csv
    upload_and_embed(page, local_app, path)
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    chart.locator('[data-title="Box Select"]').first.click()
    area = chart.locator(".nsewdrag").first.bounding_box()
    assert area is not None
    # a box over the whole plot area selects every point
    page.mouse.move(area["x"] + 2, area["y"] + 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] - 2, area["y"] + area["height"] - 2, steps=12)
    page.mouse.up()
    expect(page.get_by_text(re.compile(r"^\d+ selected rows$"))).to_be_visible(timeout=30_000)
    count = int(page.get_by_text(re.compile(r"^\d+ selected rows$")).inner_text().split()[0])
    assert 100 <= count <= 140  # points under the legend or an axis edge may fall outside
    expect(page.get_by_role("button", name="Download the selection (CSV)")).to_be_visible()
    assert_no_exception(page)


def colour_choice(page: Page) -> str:
    """The "Colour by" option the browser shows checked."""
    radio = page.get_by_test_id("stRadio").filter(has_text="Colour by")
    checked = radio.locator("label").filter(has=page.locator("input:checked"))
    return checked.inner_text().strip()


def test_the_colour_choice_matches_the_map_after_switching_datasets(
    page: Page, local_app: AppServer
) -> None:
    """Issue 16: after an unlabelled paste and a switch to the sample, "Colour by" showed
    "label" while the map was coloured by cluster, and clicking "label" did nothing."""
    page.goto(f"{local_app.url}/embeddings")
    wait_for_app(page)
    page.get_by_text("Paste lines").click()
    wait_for_app(page)
    lines = "\n".join(f"Pasted sentence {i} about subject {i % 4}." for i in range(40))
    page.get_by_label("One text per line").fill(lines)
    page.get_by_label("One text per line").press("Control+Enter")
    wait_for_app(page)
    choose_settings(page, "PCA")
    page.get_by_role("button", name="Embed 40 texts and map them").click()
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=90_000)
    wait_for_app(page, settle_ms=500)
    assert colour_choice(page) == "HDBSCAN clusters"
    page.get_by_test_id("stRadio").filter(has_text="Colour by").get_by_text(
        "k-means clusters"
    ).click()
    wait_for_app(page, settle_ms=500)
    page.get_by_test_id("stRadio").filter(has_text="Data").get_by_text("Sample dataset").click()
    wait_for_app(page)
    page.get_by_role("button", name="Embed 280 texts and map them").click()
    expect(page.get_by_text("280 distinct texts with all-minilm-l6-v2")).to_be_visible(
        timeout=120_000
    )
    wait_for_app(page, settle_ms=800)
    names = {str(t["name"]) for t in map_traces(page)}
    shown = colour_choice(page)
    assert shown == "k-means clusters", (shown, names)  # what colours the map
    assert all(n.split(" · ")[0].isdigit() for n in names), names
    page.get_by_test_id("stRadio").filter(has_text="Colour by").get_by_text(
        "label", exact=True
    ).click()
    wait_for_app(page, settle_ms=800)
    assert colour_choice(page) == "label"
    assert len(map_traces(page)) == 7  # one per topic: the click changed the colours
    assert_no_exception(page)
