"""The app's Custom backend against llama.cpp's own HTTP server, in Chromium: the key typed in the
connection settings connects, a chat reply streams, and a completion with logprobs shows the
token view (llama.cpp answers them in the chat format, which the client normalises)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AppServer,
    assert_no_exception,
    close_connection_settings,
    connection_settings,
    expect_token_view,
    go_to,
    run_app,
    send_chat,
    set_number,
    type_key,
    wait_for_app,
)
from tests.compat.llamacpp_server import MODEL_ID, LlamaCppServer, run_llamacpp_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def llamacpp() -> Iterator[LlamaCppServer]:
    with run_llamacpp_server() as server:
        yield server


@pytest.fixture(scope="module")
def custom_app(
    llamacpp: LlamaCppServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The app offering only the Custom backend, its URL field set to the llama.cpp server."""
    env = {"PLAYGROUND_BACKENDS": "custom", "XAI_BASE_URL": llamacpp.base_url}
    with run_app(env, tmp_path_factory.mktemp("custom-llamacpp")) as app:
        yield app


def connect(page: Page, app: AppServer, key: str) -> None:
    """Open the app and type the server's key in the sidebar (an environment key is never sent
    to a custom URL)."""
    page.goto(app.url)
    wait_for_app(page)
    settings = type_key(page, key)
    expect(settings.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        "Connected", timeout=30_000
    )
    close_connection_settings(page)


def test_a_chat_reply_streams_from_llamacpp(
    page: Page, custom_app: AppServer, llamacpp: LlamaCppServer
) -> None:
    connect(page, custom_app, llamacpp.api_key)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Custom · 1 model")
    settings = connection_settings(page)
    expect(settings.get_by_role("textbox", name="Base URL")).to_have_value(llamacpp.base_url)
    close_connection_settings(page)
    page.get_by_test_id("stSidebar").get_by_text("Parameters").click()
    set_number(page, "Max tokens", "12")
    send_chat(page, "Say hello to the sea.")
    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(2, timeout=60_000)
    reply = messages.nth(1)
    expect(reply).to_contain_text(MODEL_ID, timeout=60_000)  # the stats line comes last
    expect(reply).to_contain_text(re.compile(r"\b([1-9]|1[0-2]) out\b"))  # llama.cpp's usage
    answer = reply.inner_text().split(MODEL_ID)[0].replace("smart_toy", "").strip()
    assert answer, "the streamed reply text is shown above the stats"
    assert_no_exception(page)
    assert llamacpp.api_key not in page.content()
    assert llamacpp.api_key not in custom_app.log_text()


def test_a_completion_with_logprobs_shows_the_token_view(
    page: Page, custom_app: AppServer, llamacpp: LlamaCppServer
) -> None:
    connect(page, custom_app, llamacpp.api_key)
    go_to(page, "Completions")
    prompt = page.get_by_label("Prompt")
    prompt.fill("The capital of France is")
    prompt.press("Control+Enter")
    wait_for_app(page)
    set_number(page, "Max tokens", "6")
    set_number(page, "Log probabilities", "2")
    page.get_by_role("button", name="Run", exact=True).click()
    expect_token_view(page, "The capital of France is", max_tokens=6)
    assert_no_exception(page)
