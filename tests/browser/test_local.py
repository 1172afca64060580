"""With no key and no base URL, the real app starts its own local backend and works offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    run_app,
    send_chat,
    set_number,
    wait_for_app,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app with no xAI configuration at all: it must start the local backend itself."""
    log_dir = tmp_path_factory.mktemp("offline-app")
    with run_app({"LOCAL_BACKEND_CACHE": str(log_dir)}, log_dir) as app:
        yield app


def test_offline_app_uses_the_local_backend(page: Page, offline_app: AppServer) -> None:
    page.goto(f"{offline_app.url}/models")
    wait_for_app(page)
    assert_no_exception(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Local (offline)", timeout=90_000)
    frames = page.get_by_test_id("stDataFrame")
    expect(frames).to_have_count(2)
    expect(frames.nth(0).locator("[role=gridcell]", has_text="gemma-3-270m")).to_have_count(1)
    expect(frames.nth(1).locator("[role=gridcell]", has_text="all-minilm-l6-v2")).to_have_count(1)


def test_offline_chat_streams_text(page: Page, offline_app: AppServer) -> None:
    page.goto(offline_app.url)  # the chat page is the default page
    wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_text("Parameters").click()
    set_number(page, "Max tokens", "24")  # Responses: the local default
    set_number(page, "Temperature", "0")  # sampled, the model once declined the story in 14 tokens
    send_chat(page, "Write a long story about a lighthouse keeper.")
    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(2, timeout=60_000)
    reply = messages.nth(1)
    # the stats line comes last
    expect(reply).to_contain_text("qwen2.5-coder-0.5b-instruct", timeout=60_000)
    expect(reply).to_contain_text("24 out")
    assert_no_exception(page)


def test_offline_chat_answers_a_question(page: Page, offline_app: AppServer) -> None:
    """The headline: no key, no settings, an everyday question gets a short correct answer."""
    page.goto(f"{offline_app.url}/chat")
    wait_for_app(page)
    send_chat(page, "What is the capital of France?")
    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(2, timeout=60_000)
    reply = messages.nth(1)
    expect(reply).to_contain_text("qwen2.5-coder-0.5b-instruct", timeout=60_000)  # stats: done
    expect(reply).to_contain_text("Paris")
    assert len(reply.inner_text()) < 600, reply.inner_text()  # short: it ended on its own
    assert_no_exception(page)


def test_offline_compare_streams_two_local_models(page: Page, offline_app: AppServer) -> None:
    """Compare out of the box: the toggle picks the other local model, both answer side by side."""
    page.goto(f"{offline_app.url}/chat")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Parameters").click()
    set_number(page, "Max tokens", "16")
    sidebar.get_by_text("Compare models").click()
    wait_for_app(page)
    expect(sidebar.get_by_test_id("stMultiSelect")).to_contain_text("gemma-3-270m")
    send_chat(page, "Name a colour.")
    continue_buttons = page.get_by_role("button", name="Continue with this reply")
    expect(continue_buttons).to_have_count(2, timeout=90_000)
    wait_for_app(page)
    columns = page.get_by_test_id("stMainBlockContainer").get_by_test_id("stColumn")
    texts = [columns.nth(i).inner_text() for i in range(columns.count())]
    answered = [t for t in texts if "Continue with this reply" in t]
    assert len(answered) == 2, texts
    assert "qwen2.5-coder-0.5b-instruct" in answered[0] and "gemma-3-270m" in answered[1]
    assert all("finish: " in t for t in answered), answered  # each reply's stats: it finished
    assert_no_exception(page)
