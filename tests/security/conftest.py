"""Security tests: the browser fixtures (tests/browser) and the AppTest ones (tests/pages)."""

from __future__ import annotations

from tests.browser.conftest import browser, page
from tests.pages.conftest import _clear_streamlit_caches, env_fake

__all__ = ["_clear_streamlit_caches", "browser", "env_fake", "page"]
