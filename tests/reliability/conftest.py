"""Fixtures for the fault-injection tests: the browser ones and the AppTest page ones, re-used."""

from __future__ import annotations

from tests.browser.conftest import app_server, app_url, browser, page
from tests.pages.conftest import _clear_streamlit_caches, env_fake

__all__ = ["_clear_streamlit_caches", "app_server", "app_url", "browser", "env_fake", "page"]
