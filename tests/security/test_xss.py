"""Text from models, servers and files that holds ``<script>``, ``<img onerror>``, ``<svg onload>``
and ``javascript:`` links is shown as text on every page: nothing runs, nothing becomes markup."""

from __future__ import annotations

import copy
import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    close_connection_settings,
    connection_settings,
    open_app,
    open_tab,
    run_app,
    send_chat,
    use_chat_completions,
    wait_for_app,
)
from tests.fake_xai import FakeXai, load_json, sse_event
from tests.security import xss
from tests.security.helpers import go_to, reply_stream

pytestmark = pytest.mark.browser

MODEL_IDS = [xss.SCRIPT, xss.IMG, xss.LINK]


@pytest.fixture(scope="module")
def xss_fake() -> Iterator[FakeXai]:
    with FakeXai() as fake:
        yield fake


@pytest.fixture
def fake(xss_fake: FakeXai) -> Iterator[FakeXai]:
    xss_fake.clear()
    yield xss_fake
    xss_fake.clear()


@pytest.fixture(scope="module")
def xss_app(xss_fake: FakeXai, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    env = {"XAI_BASE_URL": xss_fake.base_url, "XAI_API_KEY": xss_fake.api_key}
    with run_app(env, tmp_path_factory.mktemp("xss")) as app:
        yield app


@pytest.fixture
def watch(page: Page) -> xss.XssWatch:
    return xss.XssWatch(page)


def visible_text(page: Page, text: str) -> None:
    expect(page.get_by_text(text, exact=False).first).to_be_visible()


def test_chat_reply_reasoning_and_tool_call_stay_text(
    page: Page, watch: xss.XssWatch, xss_app: AppServer, fake: FakeXai
) -> None:
    tool_call = {"function": {"name": xss.IMG, "arguments": f'{{"q": "{xss.SCRIPT}"}}'}}
    fake.set_stream_script(reply_stream(xss.ALL, reasoning=xss.ALL, tool_call=tool_call))
    open_app(page, xss_app.url)
    use_chat_completions(page)  # the scripted reply is a Chat Completions stream
    send_chat(page, f"user text {xss.SVG}")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("Tool call", timeout=15_000)
    wait_for_app(page)
    reply.get_by_text("Thinking").click()
    assert_no_exception(page)
    expect(reply).to_contain_text(xss.SCRIPT)
    expect(reply).to_contain_text(xss.IMG)
    # Replies are Markdown (a chat feature): the link keeps its words and loses its target.
    expect(reply.get_by_text("click here").first).to_be_visible()
    watch.assert_inert()


def test_responses_reply_tool_activity_and_sources_stay_text(
    page: Page, watch: xss.XssWatch, xss_app: AppServer, fake: FakeXai
) -> None:
    """The Responses mode's own views: the fake echoes the message into the reply, the web
    search query and the X search input; all of it stays text."""
    open_app(page, xss_app.url)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Server-side tools").click()
    sidebar.get_by_text("Web search", exact=True).click()
    wait_for_app(page)
    sidebar.get_by_text("X search", exact=True).click()
    wait_for_app(page)
    send_chat(page, xss.ALL)
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply).to_contain_text("billed", timeout=20_000)
    wait_for_app(page)
    assert_no_exception(page)
    expect(reply).to_contain_text(xss.SCRIPT)
    expect(reply).to_contain_text(xss.IMG)
    hrefs = reply.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # sources and citations link out over https; the echoed javascript: link keeps no target
    assert "https://x.ai/" in hrefs, hrefs
    assert all(h == "#" or h.startswith("https://") for h in hrefs), hrefs
    watch.assert_inert()


def completion_events(pieces: list[str]) -> list[str]:
    events = []
    for offset, piece in enumerate(pieces):
        logprobs = {
            "tokens": [piece],
            "token_logprobs": [-0.5],
            "top_logprobs": [{piece: -0.5, xss.SVG: -1.5}],
            "text_offset": [offset],
        }
        choice = {"index": 0, "text": piece, "logprobs": logprobs}
        events.append(sse_event({"model": "grok-3-mini", "choices": [choice]}))
    done = {"index": 0, "text": "", "finish_reason": "stop"}
    events.append(sse_event({"model": "grok-3-mini", "choices": [done]}))
    return [*events, "data: [DONE]\n\n"]


def test_completion_output_and_token_view_stay_text(
    page: Page, watch: xss.XssWatch, xss_app: AppServer, fake: FakeXai
) -> None:
    fake.set_stream_script(completion_events([xss.SCRIPT, " and ", xss.IMG, " and ", xss.LINK]))
    open_app(page, xss_app.url)
    go_to(page, "Completions")
    prompt = page.get_by_label("Prompt")
    prompt.fill(f"prompt {xss.SVG}")
    prompt.press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Run", exact=True).click()
    view = page.locator(".token-view, .continuation").first
    expect(view).to_contain_text(xss.SCRIPT, timeout=15_000)
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.locator(".token-view, .continuation").first).to_contain_text(xss.LINK)
    watch.assert_inert()


def hostile_model_lists() -> tuple[dict, dict]:
    language = load_json("language_models.json")
    models = load_json("models.json")
    language["models"] = [
        {**copy.deepcopy(item), "id": name, "aliases": []}
        for item, name in zip(language["models"], MODEL_IDS, strict=False)
    ]
    models["data"] = [{**models["data"][0], "id": name} for name in MODEL_IDS]
    return language, models


def test_model_names_from_the_server_stay_text(
    page: Page, watch: xss.XssWatch, xss_app: AppServer, fake: FakeXai
) -> None:
    language, models = hostile_model_lists()
    fake.fail_next(200, language, path="/v1/language-models", times=None)
    fake.fail_next(200, models, path="/v1/models", times=None)
    open_app(page, xss_app.url)  # the chat's model picker
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Model")
    expect(picker).to_have_value(re.compile(r"^<script>window"), timeout=20_000)
    # The picker sits below the sidebar's fold: a click that has to scroll the sidebar first is
    # taken by the scroll when Playwright scrolls and clicks at once (the list does not open).
    picker.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    picker.click()
    expect(page.get_by_role("option").first).to_be_visible()
    watch.assert_inert()
    page.keyboard.press("Escape")
    go_to(page, "Models & pricing")
    table = page.get_by_test_id("stDataFrame").first
    expect(table.locator("[role=gridcell]", has_text=xss.SCRIPT)).to_have_count(1, timeout=20_000)
    watch.assert_inert()
    for tab in ("Cost calculator", "Charts"):
        open_tab(page, tab)
        expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=20_000)
        labels = xss.hover_points(page)  # each hover label draws a model name
        assert labels and any("<script>" in label or "<img" in label for label in labels), labels
        watch.assert_inert()


def test_the_key_name_from_the_server_stays_text(
    page: Page, watch: xss.XssWatch, xss_app: AppServer, fake: FakeXai
) -> None:
    info = {**load_json("api_key.json"), "name": xss.ALL, "team_id": xss.IMG}
    fake.fail_next(200, info, path="/v1/api-key", times=None)
    open_app(page, xss_app.url)
    expect(connection_settings(page)).to_contain_text(xss.SCRIPT, timeout=20_000)
    watch.assert_inert()
    close_connection_settings(page)
    go_to(page, "Models & pricing")
    open_tab(page, "API key")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    watch.assert_inert()


@pytest.fixture(scope="module")
def hostile_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xss-upload") / "texts.csv"
    payloads = [xss.SCRIPT, xss.IMG, xss.LINK, xss.SVG, xss.ALL]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for index in range(12):
            writer.writerow([f"{payloads[index % 5]} #{index}", payloads[index % 2]])
    return path


def test_uploaded_embedding_texts_stay_text(
    page: Page, watch: xss.XssWatch, xss_app: AppServer, fake: FakeXai, hostile_csv: Path
) -> None:
    open_app(page, xss_app.url)
    go_to(page, "Embeddings")
    page.get_by_text("Upload a file").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(hostile_csv)
    expect(page.get_by_text("12 texts", exact=False).first).to_be_visible(timeout=30_000)
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Label column").click()
    page.get_by_role("option", name="label").click()
    wait_for_app(page)
    method = page.get_by_test_id("stRadio").filter(has_text="Method")
    method.get_by_text("PCA", exact=True).click()  # the map settings come before Embed
    wait_for_app(page)
    page.get_by_role("button", name="Embed 12 texts and map them").click()
    expect(page.get_by_text("12 distinct texts", exact=False)).to_be_visible(timeout=60_000)
    wait_for_app(page)
    watch.assert_inert()
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".scatterlayer path.point")).to_have_count(12, timeout=60_000)
    wait_for_app(page, settle_ms=800)
    labels = xss.hover_points(page)  # plotly renders some HTML tags in hover labels
    assert len(labels) == 12
    shown = " ".join(labels)
    assert "<script>" in shown and "<img src=x" in shown, labels  # as text, not as markup
    assert_no_exception(page)
    watch.assert_inert()


def test_the_watch_catches_a_payload_that_runs(page: Page) -> None:
    """The checks above can fail: the same watch on a page that does run the payloads."""
    watch = xss.XssWatch(page)
    page.set_content(f"<div>{xss.IMG}</div>")
    with pytest.raises(AssertionError, match="a payload ran"):
        watch.assert_inert()
    page.set_content("<a href=\"javascript:alert('x')\">x</a>")
    with pytest.raises(AssertionError, match="javascript:"):
        watch.assert_inert()
