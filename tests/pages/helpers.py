"""Helpers for AppTest page tests."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "app.py"  # absolute: AppTest resolves relative paths against the test file


def new_app(timeout: float = 30) -> AppTest:
    """The multipage app from its router script, with a timeout fit for a cold first run."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.secrets["XAI_API_KEY"] = ""  # a developer's own .streamlit/secrets.toml stays out
    return at


def open_page(path: str, timeout: float = 30) -> AppTest:
    """The app switched to the page script ``path`` (``app_pages/...``), run without exception."""
    at = new_app(timeout).run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(*groups: object) -> list[str]:
    """The ``value`` of every element in the given AppTest element lists."""
    return [str(el.value) for group in groups for el in group]  # type: ignore[attr-defined]
