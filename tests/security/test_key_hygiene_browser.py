"""In the browser, with a typed key and with the operator's key: no page's HTML, no download
(chat JSON/Markdown, completion presets, models CSV, embeddings CSV), no error message and not
the Streamlit server's log holds the key, even after the server echoed it back in errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import (
    AppServer,
    close_connection_settings,
    connection_settings,
    open_app,
    open_tab,
    run_app,
    send_chat,
    wait_for_app,
)
from tests.fake_xai import FakeXai
from tests.security.conftest import OPERATOR_KEY, TYPED_KEY
from tests.security.helpers import go_to, type_key

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def operator_app(
    hygiene_fake: FakeXai, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    env = {"XAI_BASE_URL": hygiene_fake.base_url, "XAI_API_KEY": OPERATOR_KEY}
    with run_app(env, tmp_path_factory.mktemp("hygiene")) as app:
        yield app


def download(page: Page, label: str, attempts: int = 3) -> bytes:
    """Click a download button and read the file. A deferred download (data made on click) is
    tied to the script run that drew the button: a click that lands while a rerun replaces it
    fetches nothing, so wait for the app to settle and click again, as a user would."""
    for attempt in range(1, attempts + 1):
        wait_for_app(page, settle_ms=500)
        button = page.get_by_role("button", name=label)
        # Streamlit disables every widget while its websocket reconnects (seen once in CI:
        # over 30 s on a loaded machine); wait for it rather than fail on the click
        expect(button).to_be_enabled(timeout=90_000)
        try:
            with page.expect_download(timeout=20_000) as info:
                button.click()
        except PlaywrightTimeoutError:
            if attempt == attempts:
                raise
            continue
        return Path(info.value.path()).read_bytes()
    raise AssertionError("unreachable")


class KeyWatch:
    """Collects every page's HTML and every download, to search them for the key at the end."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: list[tuple[str, bytes]] = []

    def snapshot(self, where: str) -> None:
        self.seen.append((where, self.page.content().encode()))

    def download(self, label: str) -> bytes:
        data = download(self.page, label)
        self.seen.append((f"download {label}", data))
        return data

    def assert_never(self, *secrets: str) -> None:
        for where, data in self.seen:
            for secret in secrets:
                assert secret.encode() not in data, f"the key is in {where}"


@pytest.mark.parametrize("source", ["typed", "operator"])
def test_the_key_is_nowhere_in_pages_downloads_errors_or_logs(
    page: Page, operator_app: AppServer, hygiene_fake: FakeXai, source: str
) -> None:
    fake = hygiene_fake
    fake.clear()
    key = TYPED_KEY if source == "typed" else OPERATOR_KEY
    watch = KeyWatch(page)
    open_app(page, operator_app.url)
    if source == "typed":
        type_key(page, key)
    expect(connection_settings(page)).to_contain_text("Connected as", timeout=20_000)
    close_connection_settings(page)
    sidebar = page.get_by_test_id("stSidebar")
    watch.snapshot("chat page")

    echo = {"code": "Internal error", "error": f"rejected key {key} (Bearer {key})"}
    fake.fail_next(500, echo, path="/v1/responses", times=None)  # the Chat default
    send_chat(page, "first try")
    expect(page.get_by_test_id("stAlertContentError").first).to_contain_text(
        "rejected key", timeout=20_000
    )
    wait_for_app(page)
    watch.snapshot("chat error")
    fake.clear()
    send_chat(page, "second try")
    expect(page.get_by_test_id("stChatMessage").last).to_contain_text(
        "finish: completed", timeout=20_000
    )
    wait_for_app(page)
    sidebar.get_by_text("Export / import").click()
    assert b"second try" in watch.download("Export JSON")
    watch.download("Export Markdown")
    page.get_by_role("button", name="View code").click()
    dialog = page.get_by_role("dialog")
    for tab in ("Python (xai_core)", "Python (openai SDK)", "curl"):
        dialog.get_by_role("tab", name=tab).click()
        watch.snapshot(f"view code {tab}")
    page.keyboard.press("Escape")

    go_to(page, "Completions")
    watch.snapshot("completions page")
    page.get_by_test_id("stSidebar").get_by_text("Presets", exact=True).click()
    watch.download("Export presets (JSON)")

    go_to(page, "Models & pricing")
    watch.download("Export models as CSV")
    for tab in ("Cost calculator", "Charts", "Snapshot", "API key"):
        open_tab(page, tab)
        watch.snapshot(f"models {tab}")

    go_to(page, "Embeddings")
    method = page.get_by_test_id("stRadio").filter(has_text="Method")
    method.get_by_text("PCA", exact=True).click()  # the map settings come before Embed
    wait_for_app(page)
    page.get_by_role("button", name="Embed 280 texts and map them").click()
    expect(page.get_by_text("280 distinct texts", exact=False)).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    assert b"text" in watch.download("All rows as CSV")
    watch.snapshot("embeddings page")

    assert {r.auth for r in fake.requests} == {"valid"}
    watch.assert_never(TYPED_KEY, OPERATOR_KEY)
    log = operator_app.log_text()
    assert TYPED_KEY not in log and OPERATOR_KEY not in log
