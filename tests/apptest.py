"""AppTest helpers and fixtures for page tests: the app from its router, clean Streamlit caches,
the app pointed at the fake server or the local backend, and the files it offers for download."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest, app_test
from streamlit.testing.v1.element_tree import Radio

from local_backend.launcher import LocalBackendProcess
from tests.fake_xai import FakeXai

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = REPO_ROOT / "app.py"  # absolute: AppTest resolves relative paths against the test file


#: The Chat page's API choice, one per backend (playground/chat/responses_panel.py).
CHAT_API_KEYS = ("chat_api_local", "chat_api_xai", "chat_api_custom")


def new_app(timeout: float = 30, *, chat_api: str | None = "chat") -> AppTest:
    """The multipage app from its router script, with a timeout fit for a cold first run.

    The Chat page uses ``chat_api`` on every backend: ``"chat"`` (Chat Completions, what the
    page tests written before the Responses API drive), ``"responses"``, or None for the page's
    own default (Responses on xAI and the local backend)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.secrets["XAI_API_KEY"] = ""  # a developer's own .streamlit/secrets.toml stays out
    if chat_api is not None:
        for key in CHAT_API_KEYS:
            at.session_state[key] = chat_api
    return at


def open_page(path: str, timeout: float = 30, *, chat_api: str | None = "chat") -> AppTest:
    """The app switched to the page script ``path`` (``playground/<feature>/page.py``), run
    without exception (the Chat page on ``chat_api``, see :func:`new_app`)."""
    at = new_app(timeout, chat_api=chat_api).run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def workspace_session(
    workspace: str, page: str | None = None, *, timeout: float = 30, **query: str
) -> AppTest:
    """A new browser session (a new tab, a reload) of ``workspace`` on ``page`` (the app's
    default page, Chat, when None) with ``query`` in its URL; no exception shown."""
    at = new_app(timeout)
    at.session_state["_workspace_id"] = workspace
    if page is None:
        at.query_params.update(query)
        at.run()
    else:
        at.run()
        at.query_params.update(query)
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(*groups: object) -> list[str]:
    """The ``value`` of every element in the given AppTest element lists."""
    return [str(el.value) for group in groups for el in group]  # type: ignore[attr-defined]


def history_list(at: AppTest, key: str) -> Radio[str] | None:
    """The list of the history panel ``key`` (shell/history.py; its widget key changes with what
    it shows), or None when it lists nothing."""
    radios = [r for r in at.sidebar.radio if str(r.key).startswith(f"{key}_list")]
    return radios[0] if radios else None


def listed(at: AppTest, key: str) -> list[str]:
    """The lines the history panel ``key`` lists, newest first (``title · time``)."""
    radio = history_list(at, key)
    return [] if radio is None else [str(o) for o in radio.options]


def share_token(at: AppTest, key: str) -> str:
    """Click the history panel's "Copy link" and return the token of the link it shows."""
    at.button(key=f"{key}_share").click().run()
    assert not at.exception, [e.value for e in at.exception]
    link = texts(at.sidebar.code)[-1]
    token = re.search(r"\?share=([\w-]+)$", link)
    assert token is not None, link
    return token.group(1)


@pytest.fixture(autouse=True)
def _clear_streamlit_caches(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No ``st.cache_data``/``st.cache_resource`` value survives from one test to the next, no
    test inherits a backend from the developer's environment, and each test's app saves into a
    workspace store of its own (an SQLite file in a temporary folder; a test may point
    ``PLAYGROUND_DB_URL`` elsewhere), never into the developer's data folder."""
    for name in ("XAI_API_KEY", "XAI_BASE_URL", "LOCAL_BACKEND_URL", "LOCAL_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    database = tmp_path_factory.mktemp("store") / "workspace.db"
    monkeypatch.setenv("PLAYGROUND_DB_URL", f"sqlite:///{database}")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


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
