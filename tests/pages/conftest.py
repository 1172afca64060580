"""Fixtures for AppTest page tests: clean Streamlit caches and the app pointed at a backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

from local_backend.launcher import LocalBackendProcess
from tests.fake_xai import FakeXai


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
