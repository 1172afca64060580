"""Fixtures for the fault-injection tests: the AppTest page ones (the browser ones are in
tests/conftest.py)."""

from __future__ import annotations

from tests.pages.conftest import _clear_streamlit_caches, env_fake

__all__ = ["_clear_streamlit_caches", "env_fake"]
