"""AppTest helpers and fixtures for page tests: the app from its router, clean Streamlit caches,
the app pointed at the fake server or the local backend, and the files it offers for download."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest, app_test

from local_backend.launcher import LocalBackendProcess
from tests.fake_xai import FakeXai

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = REPO_ROOT / "app.py"  # absolute: AppTest resolves relative paths against the test file


def new_app(timeout: float = 30) -> AppTest:
    """The multipage app from its router script, with a timeout fit for a cold first run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.secrets["XAI_API_KEY"] = ""  # a developer's own .streamlit/secrets.toml stays out
    return at


def open_page(path: str, timeout: float = 30) -> AppTest:
    """The app switched to the page script ``path`` (``playground/<feature>/page.py``), run
    without exception."""
    at = new_app(timeout).run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(*groups: object) -> list[str]:
    """The ``value`` of every element in the given AppTest element lists."""
    return [str(el.value) for group in groups for el in group]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _clear_streamlit_caches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No ``st.cache_data``/``st.cache_resource`` value survives from one test to the next, and no
    test inherits a backend from the developer's environment."""
    for name in ("XAI_API_KEY", "XAI_BASE_URL", "LOCAL_BACKEND_URL", "LOCAL_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def _own_workspace_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test's app saves into a workspace store of its own (an SQLite file in its temporary
    folder), never into the developer's data folder."""
    monkeypatch.setenv("PLAYGROUND_DB_URL", f"sqlite:///{tmp_path / 'workspace.db'}")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every file the app offers for download, by media file id (AppTest keeps only its URL)."""
    stored: dict[str, bytes] = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(
            self,
            path_or_data: Any,
            mimetype: str,
            kind: MediaFileKind,
            filename: str | None = None,
        ) -> str:
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            stored[file_id] = self.get_file(file_id).content
            return file_id

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    return stored


@pytest.fixture
def env_fake(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai) -> FakeXai:
    """Point the app at the fake server with its valid key, as ``XAI_BASE_URL``/``XAI_API_KEY``."""
    monkeypatch.setenv("XAI_BASE_URL", fake_xai.base_url)
    monkeypatch.setenv("XAI_API_KEY", fake_xai.api_key)
    return fake_xai


@pytest.fixture
def env_local(
    monkeypatch: pytest.MonkeyPatch, local_server: LocalBackendProcess
) -> LocalBackendProcess:
    """No xAI configuration: the app's default local backend, already running for the session."""
    monkeypatch.setenv("LOCAL_BACKEND_URL", local_server.base_url)
    monkeypatch.setenv("LOCAL_API_KEY", local_server.api_key)
    return local_server
