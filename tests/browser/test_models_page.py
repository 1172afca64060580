"""Models & pricing in headless Chromium: against the fake xAI server (live prices, details, the
chat link, calculator, charts, snapshot diff, key panel, CSV export) and the local backend (local
models with the labelled snapshot)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from local_backend.launcher import LocalBackendProcess
from playground.models.data.snapshot import load_snapshot
from tests.browser.conftest import AppServer, assert_no_exception, open_app, open_tab, wait_for_app
from tests.fake_xai import FakeXai, Fault, load_json

pytestmark = pytest.mark.browser

SNAPSHOT_LABEL = load_snapshot().label
HEADER_HEIGHT = ROW_HEIGHT = 35  # st.dataframe's default header and row heights, in px


def open_models(page: Page, base_url: str) -> Locator:
    """Open the page; returns the first table once its cells are there."""
    open_app(page, f"{base_url}/models")
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    return table


def exactly(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}$")


def cell(table: Locator, row_text: str, column: str) -> Locator:
    """The grid cell of the row holding ``row_text`` under header ``column`` (the grid paints on
    a canvas; glide-data-grid mirrors the visible cells in an accessible table)."""
    header = table.locator("[role=columnheader]", has_text=exactly(column))
    index = header.get_attribute("aria-colindex")
    # ``has`` is matched inside each row, so it starts from the page, not the table
    row = table.locator("[role=row]", has=page_cell(table.page, row_text))
    return row.locator(f"[role=gridcell][aria-colindex='{index}']")


def page_cell(scope: Page | Locator, text: str) -> Locator:
    return scope.locator("[role=gridcell]", has_text=exactly(text))


def expect_plotly_drew(chart: Locator) -> None:
    expect(chart).to_be_visible()
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200


def download_text(page: Page, button_label: str) -> str:
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name=button_label).click()
    path = info.value.path()
    return Path(path).read_text(encoding="utf-8")


def test_table_shows_the_fake_prices_per_million(page: Page, app_url: str) -> None:
    table = open_models(page, app_url)
    expect(table.locator("[role=columnheader]", has_text=exactly("input $/1M"))).to_have_count(1)
    # the fake lists grok-3-mini at 3000 / 750 / 5000 (cents per 100M tokens)
    expect(cell(table, "grok-3-mini", "input $/1M")).to_have_text("0.3")
    expect(cell(table, "grok-3-mini", "cached input $/1M")).to_have_text("0.075")
    expect(cell(table, "grok-4.20-0309-reasoning", "input $/1M")).to_have_text("2")
    expect(page.get_by_text("live prices from")).to_be_visible()


def test_table_downloads_as_csv(page: Page, app_url: str, fake_xai: FakeXai) -> None:
    open_models(page, app_url)
    text = download_text(page, "Export models as CSV")
    rows = {row["model"]: row for row in csv.DictReader(io.StringIO(text))}
    assert float(rows["grok-3-mini"]["input $/1M"]) == 0.3
    assert fake_xai.api_key not in text


def test_selected_row_shows_details_and_opens_the_chat(page: Page, app_url: str) -> None:
    table = open_models(page, app_url)
    expect(page_cell(table, "grok-3-mini")).to_have_count(1)
    order = [m["id"] for m in load_json("language_models.json")["models"]]
    box = table.bounding_box()
    assert box is not None
    row_y = box["y"] + HEADER_HEIGHT + ROW_HEIGHT * order.index("grok-3-mini") + ROW_HEIGHT / 2
    page.mouse.click(box["x"] + 18, row_y)  # the row-selection column
    wait_for_app(page)
    expect(page.get_by_test_id("stJson")).to_contain_text("completion_text_token_price")
    expect(page.get_by_role("heading", name="Model grok-3-mini")).to_be_visible()
    page.get_by_role("button", name="Open in Chat").click()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.locator("h1", has_text="Chat")).to_be_visible()
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Model")
    expect(picker).to_have_value(re.compile(r"^grok-3-mini "))


def test_calculator_table_chart_and_csv(page: Page, app_url: str) -> None:
    open_models(page, app_url)
    open_tab(page, "Cost calculator")
    results = page.get_by_test_id("stDataFrame").first
    expect(results.locator("[role=columnheader]", has_text=exactly("per month $"))).to_have_count(1)
    expect_plotly_drew(page.get_by_test_id("stPlotlyChart").first)
    expect(page.get_by_test_id("stPlotlyChart").first.locator("g.point")).to_have_count(5)
    rows = list(csv.DictReader(io.StringIO(download_text(page, "Export results as CSV"))))
    assert rows[0]["model"] == "grok-3-mini"
    # 2,000 prompt x $0.30/M + 500 output x $0.50/M = $0.00085 per request, 1,000 a day, 30 days
    assert float(rows[0]["per request $"]) == pytest.approx(0.00085)
    assert float(rows[0]["per month $"]) == pytest.approx(25.5)


def test_charts_draw_prices_and_cost_curves(page: Page, app_url: str) -> None:
    open_models(page, app_url)
    open_tab(page, "Charts")
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(2)
    expect_plotly_drew(charts.nth(0))
    expect_plotly_drew(charts.nth(1))
    # one point per price pair, each labelled: the two grok-4.20 models share theirs
    expect(charts.nth(0).locator("path.point")).to_have_count(4)
    labels = charts.nth(0).locator("g.textpoint")
    expect(labels).to_have_count(4)
    expect(labels.filter(has_text="grok-4.20-0309-reasoning")).to_contain_text(
        "grok-4.20-0309-non-reasoning"
    )
    expect(charts.nth(1).locator("g.trace.scatter")).to_have_count(3)  # three picked models


def test_snapshot_tab_lists_the_differences(page: Page, app_url: str) -> None:
    open_models(page, app_url)
    open_tab(page, "Snapshot")
    expect(page.get_by_text(f"xAI prices: {SNAPSHOT_LABEL}")).to_be_visible()
    diff = page.get_by_test_id("stDataFrame").first
    expect(cell(diff, "grok-4.6", "change")).to_have_text("removed")
    expect(page.get_by_text("re-priced.")).to_be_visible()


def test_key_panel_and_blocked_key_warning(page: Page, app_url: str, fake_xai: FakeXai) -> None:
    blocked = {**load_json("api_key.json"), "api_key_blocked": True}
    fake_xai.enqueue(Fault(status=200, body=blocked, path="/v1/api-key", times=None))
    open_models(page, app_url)
    open_tab(page, "API key")
    facts = page.get_by_test_id("stDataFrame").first
    expect(cell(facts, "name", "value")).to_have_text("playground-test-key")
    expect(cell(facts, "key", "value")).to_have_text("xai-...b7Qx")
    expect(cell(facts, "key blocked", "value")).to_have_text("yes")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("This API key is blocked")).to_be_visible()
    assert fake_xai.api_key not in page.content()


def test_local_backend_shows_local_models_and_the_labelled_snapshot(
    page: Page, local_app: AppServer, local_server: LocalBackendProcess
) -> None:
    table = open_models(page, local_app.url)
    expect(cell(table, "gemma-3-270m", "input $/1M")).to_have_text("0")
    expect(cell(table, "gemma-3-270m", "source")).to_have_text("local")
    # xAI's models beside the local ones, marked with the snapshot's date
    marked = f"snapshot {load_snapshot().as_of.isoformat()}"
    expect(cell(table, "grok-4.3", "source")).to_have_text(marked)
    expect(cell(table, "grok-4.3", "input $/1M")).to_have_text("1.25")
    expect(page.get_by_test_id("stMain")).to_contain_text(SNAPSHOT_LABEL)
    # its details read in dollars per 1M tokens, every row in view (no inner scrolling)
    box = table.bounding_box()
    assert box is not None
    row = 2  # the two local models come first
    page.mouse.click(box["x"] + 18, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * (row + 0.5))
    wait_for_app(page)
    facts = page.get_by_test_id("stDataFrame").nth(1)
    expect(cell(facts, "input price", "value")).to_have_text("$1.25 per 1M tokens")
    expect(cell(facts, "status", "value")).to_have_text("current")  # the last row, shown
    open_tab(page, "Snapshot")
    snapshot = page.get_by_test_id("stDataFrame").first
    expect(cell(snapshot, "grok-4.3", "input $/1M")).to_have_text("1.25")
    open_tab(page, "Charts")
    expect_plotly_drew(page.get_by_test_id("stPlotlyChart").first)
    assert local_server.api_key not in page.content()
