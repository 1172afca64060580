"""The completions page in Chromium against the real local backend (Gemma 3 270M)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    expect_token_view,
    set_number,
    wait_for_app,
)
from tests.fake_xai import FakeXai

pytestmark = pytest.mark.browser


def open_page(page: Page, app: AppServer, prompt: str) -> None:
    page.goto(f"{app.url}/completions")
    wait_for_app(page)
    expect(page.get_by_label("Prompt")).to_be_visible(timeout=60_000)
    page.get_by_label("Prompt").fill(prompt)
    page.get_by_label("Prompt").press("Control+Enter")
    wait_for_app(page)


def test_a_completion_with_logprobs_renders_the_token_view(
    page: Page, local_app: AppServer
) -> None:
    open_page(page, local_app, "The capital of France is")
    set_number(page, "Max tokens", "6")
    set_number(page, "Log probabilities", "3")
    page.get_by_role("button", name="Run", exact=True).click()
    expect_token_view(page, "The capital of France is", max_tokens=6)
    expect(page.get_by_text("gemma-3-270m ·")).to_be_visible()  # the stats line
    assert_no_exception(page)


def test_a_three_value_temperature_sweep_renders_three_cells(
    page: Page, local_app: AppServer
) -> None:
    open_page(page, local_app, "Once upon a time")
    set_number(page, "Max tokens", "5")
    page.get_by_role("tab", name="Parameter sweep").click()
    values = page.get_by_label("Values (comma-separated)")
    values.fill("0, 0.7, 1.4")
    values.press("Enter")
    wait_for_app(page)
    estimate = page.get_by_text("Estimate: 3 requests · ")
    expect(estimate).to_contain_text("up to 15 output tokens · free")  # a local model's prices
    page.get_by_role("button", name="Run sweep").click()
    cells = page.get_by_text("temperature = ")
    expect(cells).to_have_count(3, timeout=90_000)
    for value in ("0", "0.7", "1.4"):
        expect(page.get_by_text(f"temperature = {value} · sample 1")).to_have_count(1)
    cell_lines = page.get_by_text(" tokens · ").filter(has_not_text="Prompt: ")
    expect(cell_lines.filter(has_not_text="Estimate: ")).to_have_count(3)
    expect(page.get_by_text("Total: 3 requests · ")).to_contain_text("tokens out · free")
    expect(page.get_by_text("Prompt: ")).to_contain_text("(exact)")  # the local tokenizer's
    page.get_by_text("Show differences").click()
    wait_for_app(page)
    expect(page.locator(".differences")).to_have_count(2)
    assert_no_exception(page)


def test_a_refusal_from_xai_offers_the_emulated_chat_run(
    page: Page, app_url: str, fake_xai: FakeXai
) -> None:
    fake_xai.fail_next(
        400,
        {"code": "Client specified an invalid argument", "error": "Model does not support it."},
        path="/v1/completions",
    )
    page.goto(f"{app_url}/completions")
    wait_for_app(page)
    page.get_by_label("Prompt").fill("The sea is")
    page.get_by_label("Prompt").press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_text("The server refused the completion request")).to_be_visible()
    expect(page.get_by_text("Model does not support it.")).to_be_visible()
    page.get_by_role("button", name="Run as chat (emulated)").click()
    expect(page.get_by_text("Emulated with chat")).to_be_visible()
    expect(page.locator(".continuation", has_text="Olá!")).to_have_count(1)
    assert_no_exception(page)


def test_stop_keeps_the_partial_completion(page: Page, local_app: AppServer) -> None:
    open_page(page, local_app, "Here is a very long story about the sea:")
    set_number(page, "Max tokens", "400")  # about 10 s here: time enough to stop it
    page.get_by_role("button", name="Run", exact=True).click()
    streaming = page.locator(".continuation .output")
    expect(streaming).to_contain_text("▌", timeout=60_000)  # text is arriving
    page.get_by_test_id("stTabs").get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_text("Stopped: the text below is partial.")).to_be_visible()
    expect(page.get_by_text("gemma-3-270m ·")).to_be_visible()  # stats of what came
    kept = page.locator(".continuation .output")
    expect(kept).to_have_count(1)
    expect(kept).not_to_contain_text("▌")  # the run is over...
    assert kept.inner_text().strip()  # ...and the partial text is still there
    assert_no_exception(page)


def test_presets_export_and_import_as_json_files(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/completions")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Presets", exact=True).click()
    with page.expect_download() as download:
        sidebar.get_by_role("button", name="Export presets (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["presets"]["Deterministic"] == {"temperature": 0.0, "seed": 42}

    upload = {"presets": {"Imported one": {"temperature": 0.3, "max_tokens": 9}}}
    sidebar.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "mine.json",
                "mimeType": "application/json",
                "buffer": json.dumps(upload).encode(),
            }
        ]
    )
    expect(sidebar.get_by_text("Imported 1 preset(s): Imported one.")).to_be_visible()
    wait_for_app(page)  # the import's rerun must finish before the preset list is opened
    sidebar.get_by_label("Preset", exact=True).click()
    page.get_by_role("option", name="Imported one").click()
    wait_for_app(page)
    sidebar.get_by_role("button", name="Load preset").click()
    wait_for_app(page)
    expect(sidebar.get_by_label("Max tokens", exact=True)).to_have_value("9")
    assert_no_exception(page)
