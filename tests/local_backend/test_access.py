"""Who may use the local backend: every ``/v1`` route needs its key, the server listens on
loopback only, and the CLI refuses a non-loopback ``--host`` unless told ``--allow-remote``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from local_backend.launcher import LocalBackendProcess

REPO_ROOT = Path(__file__).resolve().parents[2]
WRONG_KEY = "local-wrong-key-9f8e7d6c5b4a"
MODEL_IDS = {"/v1/embedding-models/{model_id}": "all-minilm-l6-v2"}
BODIES = {
    "/v1/chat/completions": {
        "model": "gemma-3-270m",
        "messages": [{"role": "user", "content": "hi"}],
    },
    "/v1/completions": {"model": "gemma-3-270m", "prompt": "hi", "max_tokens": 1},
    "/v1/embeddings": {"model": "all-minilm-l6-v2", "input": ["hi"]},
}


def v1_routes(local_server: LocalBackendProcess) -> list[tuple[str, str, str]]:
    """(method, template, concrete path) of every ``/v1`` route the server's OpenAPI lists."""
    root = local_server.base_url.removesuffix("/v1")
    spec = httpx.get(f"{root}/openapi.json", timeout=30).json()
    routes = []
    for template, operations in spec["paths"].items():
        if not template.startswith("/v1/"):
            continue
        concrete = template.replace("{model_id}", MODEL_IDS.get(template, "gemma-3-270m"))
        routes += [(method.upper(), template, concrete) for method in operations]
    return routes


def call(local_server: LocalBackendProcess, method: str, template: str, path: str, **kw):
    root = local_server.base_url.removesuffix("/v1")
    body = BODIES.get(template)
    return httpx.request(method, root + path, json=body, timeout=60, **kw)


def test_the_spec_lists_every_route_we_expect(local_server: LocalBackendProcess) -> None:
    templates = {template for _, template, _ in v1_routes(local_server)}
    assert {"/v1/api-key", "/v1/models", "/v1/models/{model_id}", *BODIES} <= templates
    assert len(templates) >= 10


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "local-no-scheme-key"},
    ],
    ids=["none", "empty bearer", "basic", "no scheme"],
)
def test_every_v1_route_refuses_a_request_without_a_key(
    local_server: LocalBackendProcess, headers: dict[str, str]
) -> None:
    for method, template, path in v1_routes(local_server):
        response = call(local_server, method, template, path, headers=headers)
        assert response.status_code == 401, (method, path, response.text)
        body = response.json()
        assert set(body) == {"code", "error"}, body  # xAI's flat error body
        assert "Authorization" in body["error"]


def test_every_v1_route_refuses_a_wrong_key_without_echoing_it(
    local_server: LocalBackendProcess,
) -> None:
    headers = {"Authorization": f"Bearer {WRONG_KEY}"}
    for method, template, path in v1_routes(local_server):
        response = call(local_server, method, template, path, headers=headers)
        assert response.status_code in (400, 401), (method, path, response.text)
        body = response.json()
        assert set(body) == {"code", "error"}, body
        assert body["error"].startswith("Incorrect API key provided")
        assert WRONG_KEY not in response.text
        assert local_server.api_key not in response.text


def test_a_key_that_only_starts_like_the_right_one_is_refused(
    local_server: LocalBackendProcess,
) -> None:
    for candidate in (local_server.api_key[:-1], local_server.api_key + "x"):
        response = httpx.get(
            f"{local_server.base_url}/models", headers={"Authorization": f"Bearer {candidate}"}
        )
        assert response.status_code == 400
    ok = httpx.get(
        f"{local_server.base_url}/models",
        headers={"Authorization": f"Bearer {local_server.api_key}"},
    )
    assert ok.status_code == 200  # the refusals above are about the key, not the route


def test_the_server_listens_on_loopback_only(local_server: LocalBackendProcess) -> None:
    """Every listening socket of the backend (its API, and llama.cpp's own internal listener) is
    on 127.0.0.1, and the internal one wants a key too."""
    port = int(local_server.base_url.rsplit(":", 1)[1].split("/")[0])
    process = psutil.Process(local_server.process.pid)
    family = [process, *process.children(recursive=True)]
    listening = [
        conn.laddr
        for proc in family
        for conn in proc.net_connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN
    ]
    assert port in {addr.port for addr in listening}, listening
    assert {addr.ip for addr in listening} == {"127.0.0.1"}, listening
    for internal in {addr.port for addr in listening} - {port}:
        response = httpx.post(
            f"http://127.0.0.1:{internal}/completion",
            json={"prompt": "hi", "n_predict": 1},
            timeout=60,
        )
        assert response.status_code == 401, (internal, response.text)


def test_the_key_never_reaches_the_backends_log(local_server: LocalBackendProcess) -> None:
    headers = {"Authorization": f"Bearer {WRONG_KEY}"}
    httpx.get(f"{local_server.base_url}/models", headers=headers)
    httpx.get(
        f"{local_server.base_url}/models",
        headers={"Authorization": f"Bearer {local_server.api_key}"},
    )
    log = local_server.log_path.read_text(encoding="utf-8", errors="replace")
    assert local_server.api_key not in log
    assert WRONG_KEY not in log


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.com"])
def test_the_cli_refuses_a_non_loopback_host_without_allow_remote(host: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "local_backend", "--host", host, "--port", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr  # argparse's usage error, before any model loads
    assert f"--host {host} is not a loopback address; add --allow-remote" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Local backend:" not in done.stdout  # it never started serving
