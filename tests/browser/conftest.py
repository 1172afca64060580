"""Browser test helpers: a real ``streamlit run`` server and Debian's Chromium driven by Playwright.

The fixtures built on them (``browser``, ``page``, ``app_server``, ``app_url``) live in
tests/conftest.py, once for every folder: two definitions of a session fixture would start a
second Playwright in the same thread, which Playwright refuses.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
]
STARTUP_TIMEOUT = 60.0  # seconds for /_stcore/health to answer "ok"
APP_READY_SELECTOR = "[data-testid=stApp][data-test-script-state=notRunning]"


def chromium_path() -> str | None:
    """``$CHROMIUM_PATH`` if set, else Debian's ``/usr/bin/chromium`` (or one on ``PATH``)."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class AppServer:
    """A running ``streamlit run app.py``: its URL and the file its output goes to."""

    url: str
    log_path: Path

    def log_text(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.read().decode().strip() == "ok")
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def run_app(
    env_overrides: Mapping[str, str], log_dir: Path, script: str | Path = "app.py"
) -> Iterator[AppServer]:
    """Start the app (or another Streamlit ``script``, run from the repository with its
    ``.streamlit/config.toml``) on a free port with a clean xAI environment, an empty embeddings
    cache and a workspace store of its own in ``log_dir``, plus ``env_overrides``; wait for
    ``/_stcore/health``; stop it (terminate, then kill after 10 s) on exit."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("XAI_API_KEY", "XAI_BASE_URL")}
    env["EMBEDDINGS_CACHE_DIR"] = str(log_dir / "embeddings")
    env["PLAYGROUND_DB_URL"] = f"sqlite:///{log_dir / 'workspace.db'}"
    env.update(env_overrides)
    env["PYTHONUNBUFFERED"] = "1"
    log_path = log_dir / f"streamlit-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = AppServer(url, log_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = "\n".join(server.log_text().splitlines()[-40:])
                state = f"exited with {process.returncode}" if process.poll() is not None else ""
                pytest.fail(f"streamlit did not become healthy {state}:\n{tail}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_app(page: Page, settle_ms: int = 300) -> None:
    """Wait until the script run has finished, then give the frontend a moment to paint."""
    page.wait_for_selector(APP_READY_SELECTOR, state="attached")
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_READY_SELECTOR, state="attached")


def open_app(page: Page, url: str) -> None:
    """Open ``url`` and wait for its script run, which must show no exception."""
    page.goto(url)
    wait_for_app(page)
    assert_no_exception(page)


def open_tab(page: Page, label: str) -> None:
    """Switch to the tab labelled ``label`` and wait for the run it starts, with no exception."""
    page.get_by_role("tab", name=label).click()
    wait_for_app(page)
    assert_no_exception(page)


def go_to(page: Page, title: str) -> None:
    """Switch page with the navigation at the top (same session; a reload would start anew) and
    wait for the page's run, which must show no exception."""
    page.get_by_test_id("stTopNav").get_by_role("link", name=title).click()
    expect(page.locator("h1", has_text=title)).to_be_visible(timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)


def connection_settings(page: Page) -> Locator:
    """Open the connection settings (the popover of the sidebar's status line, e.g. "xAI · key
    ok": backend, base URL, API key, the server's word) and return them."""
    settings = page.get_by_test_id("stPopoverBody")
    if not settings.is_visible():
        page.get_by_test_id("stSidebar").get_by_test_id("stPopover").get_by_role("button").click()
    expect(settings).to_be_visible()
    return settings


def close_connection_settings(page: Page) -> None:
    """Close the connection settings (they cover the top of the sidebar while open)."""
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stPopoverBody")).to_have_count(0)


def type_key(page: Page, key: str) -> Locator:
    """Type ``key`` into the connection settings' "API key" field, let the run it starts finish
    and return the settings, still open."""
    settings = connection_settings(page)
    field = settings.get_by_label("API key", exact=True)
    field.fill(key)
    field.press("Enter")
    wait_for_app(page)
    assert_no_exception(page)
    return settings


def use_chat_completions(page: Page) -> None:
    """Pick Chat Completions in the Chat sidebar's API choice (Responses is the default on xAI
    and the local backend) and wait for the run the click starts."""
    page.get_by_test_id("stSidebar").get_by_text(re.compile(r"^Chat Completions")).click()
    wait_for_app(page)


def compare_with(page: Page, model: str) -> None:
    """Turn on the Chat sidebar's "Compare models" and pick ``model`` to answer beside the
    main one, waiting for each run."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Compare models").click()
    wait_for_app(page)
    sidebar.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name=model).click()
    page.keyboard.press("Escape")
    wait_for_app(page)


def send_chat(page: Page, text: str) -> None:
    """Type ``text`` into the Chat page's input and send it with Enter."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")


def set_number(page: Page, label: str, value: str) -> None:
    """Type ``value`` into the sidebar field labelled exactly ``label``, commit it with Enter and
    wait for the run it starts (the field must be visible: open its expander first)."""
    field = page.get_by_test_id("stSidebar").get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")
    wait_for_app(page)


def expect_token_view(page: Page, prompt: str, max_tokens: int) -> None:
    """The Completions page shows the token view of the last run: the prompt, 1 to ``max_tokens``
    tokens whose hover lists the alternatives, and the mean log-probability."""
    view = page.locator(".token-view")
    expect(view).to_be_visible(timeout=60_000)
    expect(view).to_contain_text(prompt)
    tokens = view.locator(".token")
    assert 1 <= tokens.count() <= max_tokens
    assert "top: " in (tokens.first.get_attribute("title") or "")  # hover shows alternatives
    expect(page.get_by_text("mean log-probability")).to_be_visible()


def assert_no_exception(page: Page) -> None:
    """No uncaught exception box anywhere on the page."""
    count = page.locator("[data-testid=stException]").count()
    assert count == 0, page.locator("[data-testid=stException]").all_inner_texts()
