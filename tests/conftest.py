"""Shared fixtures: one fake xAI server, the local backend, and the browser and app, each once for
the whole test session; and an app on the local backend once for each module that asks for it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from local_backend.launcher import LocalBackendProcess, start_local_backend
from tests.apptest import (
    _clear_streamlit_caches,
    downloads,
    env_fake,
    env_local,
)
from tests.browser.conftest import CHROMIUM_ARGS, AppServer, chromium_path, run_app
from tests.fake_xai import FakeXai

__all__ = [
    "_clear_streamlit_caches",
    "downloads",
    "env_fake",
    "env_local",
]  # the AppTest fixtures, for every folder


@pytest.fixture(scope="session")
def fake_xai() -> Iterator[FakeXai]:
    """A fake api.x.ai on 127.0.0.1 (free port), shared by every test of the session."""
    with FakeXai() as fake:
        yield fake


@pytest.fixture(scope="session")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBackendProcess]:
    """The real local backend (Gemma 3 270M + MiniLM) as a child process on 127.0.0.1."""
    log = tmp_path_factory.mktemp("local-backend") / "server.log"
    server = start_local_backend(log_path=log)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session; skipped (or failed on CI) when it is missing."""
    executable = chromium_path()
    if executable is None:
        message = (
            "Chromium not found (set CHROMIUM_PATH or `apt-get install -y chromium`; "
            "`playwright install` cannot work here)"
        )
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def app_server(fake_xai: FakeXai, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app, shared by the session, talking to the fake server with its valid key."""
    overrides = {"XAI_BASE_URL": fake_xai.base_url, "XAI_API_KEY": fake_xai.api_key}
    with run_app(overrides, tmp_path_factory.mktemp("app")) as server:
        yield server


@pytest.fixture(scope="module")
def local_app(
    local_server: LocalBackendProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """An app of the module's own on the session's local backend (no second backend starts)."""
    env = {"LOCAL_BACKEND_URL": local_server.base_url, "LOCAL_API_KEY": local_server.api_key}
    with run_app(env, tmp_path_factory.mktemp("local-app")) as server:
        yield server


@pytest.fixture(scope="session")
def app_url(app_server: AppServer, browser: Browser) -> str:
    """Base URL of the shared app (no trailing slash)."""
    return app_server.url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context and page per test (no cookies or storage shared)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _fresh_fake_xai(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests using ``fake_xai`` start with no recorded requests, faults or stream scripts."""
    if "fake_xai" not in request.fixturenames:
        yield
        return
    fake: FakeXai = request.getfixturevalue("fake_xai")
    reset = getattr(fake, "reset", None) or getattr(fake, "clear", None)
    if reset is not None:
        reset()
    yield
    if reset is not None:
        reset()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ``REQUIRE_BROWSER_TESTS=1`` (CI), a skipped test fails the run: nothing is silently
    left out, the browser tests above all. With ``REQUIRE_DATABASE_TESTS=1``, a skipped
    ``database`` test (PostgreSQL, tests/store) does."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    for variable, marker in (
        ("REQUIRE_BROWSER_TESTS", None),
        ("REQUIRE_DATABASE_TESTS", "database"),
    ):
        if os.environ.get(variable) != "1":
            continue
        left_out = [r for r in skipped if marker is None or marker in getattr(r, "keywords", {})]
        if left_out:
            names = ", ".join(report.nodeid for report in left_out[:5])
            print(f"\nerror: {len(left_out)} test(s) skipped while {variable}=1: {names}")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
