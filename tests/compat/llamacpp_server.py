"""llama.cpp's own HTTP server (``xllamacpp.Server``, the ``llama-server`` code) with the bundled
Gemma 3 270M: a real OpenAI-compatible server that nobody in this project wrote.

Small on purpose (2,048 tokens of context over 2 slots, 2 threads), on 127.0.0.1 at a free port,
with a test key. The requests the tests and the fixture recorder send are defined here once.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

MODEL_ID = "gemma-3-270m"
STARTUP_TIMEOUT_S = 60.0

#: A completion with two alternatives per token (llama.cpp answers them in the chat format).
COMPLETION: dict[str, Any] = {
    "model": MODEL_ID,
    "prompt": "The capital of France is",
    "max_tokens": 6,
    "temperature": 0,
    "logprobs": 2,
}
#: A short chat reply.
CHAT: dict[str, Any] = {
    "model": MODEL_ID,
    "messages": [{"role": "user", "content": "Say hello to the sea."}],
    "max_tokens": 12,
    "temperature": 0,
}


@dataclass(frozen=True)
class LlamaCppServer:
    """A running llama.cpp server: its OpenAI base URL (``…/v1``) and the key it accepts."""

    base_url: str
    api_key: str
    model: str = MODEL_ID


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_healthy(root: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            if httpx.get(f"{root}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"llama.cpp's server at {root} did not become healthy")
        time.sleep(0.2)


@contextlib.contextmanager
def run_llamacpp_server() -> Iterator[LlamaCppServer]:
    """Start the server (Gemma 3 270M from the cache, assembled there once if missing), wait for
    ``/health``, yield it; the model is released on exit."""
    import xllamacpp

    from local_backend.registry import default_registry

    gguf = default_registry(environ={}).model(MODEL_ID).file.locate()
    key = f"llamacpp-test-{secrets.token_hex(8)}"
    port = _free_port()
    params = xllamacpp.CommonParams()
    params.model.path, params.model_alias = str(gguf), {MODEL_ID}
    params.n_ctx, params.n_parallel = 2048, 2
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    # as the local backend loads it: without the built-in "gemma" template the GGUF falls back to
    # ChatML and the model echoes its markers. (Tried: with Jinja on, llama.cpp did not render
    # the tools into the prompt, and tool_choice "required" gave plain text, not a call.)
    params.chat_template, params.use_jinja = "gemma", False
    params.hostnames, params.port, params.api_keys = ["127.0.0.1"], port, [key]
    params.ui, params.verbosity = False, 0
    server = xllamacpp.Server(params)
    try:
        root = f"http://127.0.0.1:{port}"
        _wait_healthy(root)
        yield LlamaCppServer(base_url=f"{root}/v1", api_key=key)
    finally:
        del server
