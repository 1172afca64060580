"""The llama.cpp server, once for the session of the tests in this folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.compat.llamacpp_server import LlamaCppServer, run_llamacpp_server


@pytest.fixture(scope="session")
def llamacpp() -> Iterator[LlamaCppServer]:
    """llama.cpp's own HTTP server with Gemma 3 270M on 127.0.0.1 (free port, a test key)."""
    with run_llamacpp_server() as server:
        yield server
