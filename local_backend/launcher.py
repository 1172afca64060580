"""Start the local backend as a child process and wait until it serves (used by the app and tests),
and prepare its model files beforehand with progress (:func:`prepare_model_files`).

Light on purpose: it imports no model code, so the app's start-up stays fast.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from local_backend.registry import Registry

__all__ = [
    "LocalBackendError",
    "LocalBackendProcess",
    "free_port",
    "prepare_model_files",
    "start_local_backend",
]

REPO_ROOT = Path(__file__).resolve().parent.parent


class LocalBackendError(RuntimeError):
    """The local backend did not come up; the message ends with its log's last lines."""


def free_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalBackendProcess:
    """A running local backend. The key is its own (random per start), never a user's."""

    base_url: str
    api_key: str = field(repr=False)
    process: subprocess.Popen[bytes] = field(repr=False)
    log_path: Path
    #: the launcher chose the log's path (in the cache): deleted after a clean stop
    log_is_temporary: bool = False

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        return ""

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the process; its log is deleted when it ended cleanly (one file per start would
        otherwise pile up in the cache) if the launcher chose its path, kept when it failed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.log_is_temporary and self.process.returncode in (0, -signal.SIGTERM):
            with contextlib.suppress(OSError):
                self.log_path.unlink()


def start_local_backend(
    *,
    port: int | None = None,
    api_key: str | None = None,
    log_path: Path | None = None,
    timeout: float = 180.0,
    extra_args: list[str] | None = None,
) -> LocalBackendProcess:
    """Start ``python -m local_backend`` on loopback and return once ``/health`` answers."""
    port = port or free_port()
    key = api_key or "local-" + secrets.token_urlsafe(24)
    temporary_log = log_path is None
    if log_path is None:
        log_dir = Path(os.environ.get("LOCAL_BACKEND_CACHE", Path.home() / ".cache/xai-playground"))
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"local-backend-{port}.log"
    command = [sys.executable, "-m", "local_backend", "--port", str(port)]
    command += ["--exit-with-parent", str(os.getpid()), *(extra_args or [])]
    child_env = {**os.environ, "LOCAL_API_KEY": key}  # the child's environment, not ours
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            command, cwd=REPO_ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT
        )
    backend = LocalBackendProcess(
        f"http://127.0.0.1:{port}/v1", key, process, log_path, log_is_temporary=temporary_log
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not backend.running:
            raise LocalBackendError(f"The local backend exited at start:\n{backend.log_tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1.0).status_code == 200:
                return backend
        time.sleep(0.1)
    backend.stop()
    raise LocalBackendError(
        f"The local backend did not start in {timeout:.0f} s:\n{backend.log_tail()}"
    )


def prepare_model_files(
    on_progress: Callable[[str, int, int], None] | None = None,
    *,
    registry: Registry | None = None,
) -> list[str]:
    """Make every model file of the default registry (or ``registry``) ready, in this process:
    assemble the missing ones (calling ``on_progress(model_id, bytes_done, bytes_total)`` as they
    are written) and check the others are there. Idempotent, and fast once done. Returns a plain
    message per model that could not be prepared (what to reinstall or fix); never raises for
    those."""
    from local_backend.locators import AssembledFile
    from local_backend.registry import default_registry

    try:
        registry = registry or default_registry()
    except ValueError as exc:  # LOCAL_LLM_GGUF names two files with one stem
        return [str(exc)]
    problems = []
    for entry in registry.entries:
        try:
            if isinstance(entry.file, AssembledFile):
                model_id = entry.id

                def report(done: int, total: int, model_id: str = model_id) -> None:
                    if on_progress is not None:
                        on_progress(model_id, done, total)

                entry.file.locate(report)
            else:
                entry.file.locate()
            if entry.tokenizer is not None:
                entry.tokenizer.locate()
        except Exception as exc:  # one model's problem; the others are still prepared
            problems.append(f"{entry.id}: {exc}")
    return problems
