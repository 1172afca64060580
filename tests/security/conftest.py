"""Security tests: the AppTest fixtures of tests/pages (the browser ones: tests/conftest.py)."""

from __future__ import annotations

from tests.pages.conftest import _clear_streamlit_caches, env_fake

__all__ = ["_clear_streamlit_caches", "env_fake"]
