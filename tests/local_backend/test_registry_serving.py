"""Serving what the registry holds, with the real Gemma 3 270M: the bundled GGUF under a second id
(in process), and a ``LOCAL_LLM_GGUF`` file under its file stem (``python -m local_backend``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient

from local_backend.engines.pool import EngineSettings, ModelPool
from local_backend.launcher import LocalBackendProcess, start_local_backend
from local_backend.registry import GEMMA_3_270M, Registry
from local_backend.server import create_app

KEY = "local-test-key-0123456789"
TWIN = "gemma-twin"
HELLO = [{"role": "user", "content": "Say hello."}]


def answers(client: httpx.Client, model: str) -> None:
    """A chat and a completion request to ``model`` both come back from ``model``."""
    chat = client.post(
        "/v1/chat/completions", json={"model": model, "messages": HELLO, "max_tokens": 4}
    )
    assert chat.status_code == 200, chat.text
    assert chat.json()["model"] == model
    assert isinstance(chat.json()["choices"][0]["message"]["content"], str)
    completion = client.post(
        "/v1/completions", json={"model": model, "prompt": "Once upon a", "max_tokens": 4}
    )
    assert completion.status_code == 200, completion.text
    assert completion.json()["model"] == model
    assert completion.json()["choices"][0]["text"]


@pytest.fixture(scope="module")
def twins() -> Iterator[TestClient]:
    """The bundled GGUF twice: as itself (loaded at start) and as ``gemma-twin`` (on first use)."""
    registry = Registry((GEMMA_3_270M, replace(GEMMA_3_270M, id=TWIN, preload=False)))
    pool = ModelPool(registry, EngineSettings(n_parallel=1, threads=2))
    with TestClient(create_app(pool, api_key=KEY)) as client:
        client.headers["Authorization"] = f"Bearer {KEY}"
        yield client


def test_the_same_gguf_under_two_ids_is_listed_twice(twins: TestClient) -> None:
    ids = [m["id"] for m in twins.get("/v1/models").json()["data"]]
    assert ids == ["gemma-3-270m", TWIN]
    language = [m["id"] for m in twins.get("/v1/language-models").json()["models"]]
    assert language == ["gemma-3-270m", TWIN]
    assert twins.get("/v1/embedding-models").json() == {"models": []}


@pytest.mark.parametrize("model", ["gemma-3-270m", TWIN])
def test_both_ids_answer_chat_and_completion(twins: TestClient, model: str) -> None:
    answers(twins, model)


@pytest.fixture(scope="module")
def custom_gguf_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LocalBackendProcess]:
    """``python -m local_backend`` with ``LOCAL_LLM_GGUF`` naming a symlink to the bundled GGUF."""
    folder = tmp_path_factory.mktemp("custom-gguf")
    link = folder / "my-model.Q4.gguf"
    link.symlink_to(GEMMA_3_270M.file.locate())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOCAL_LLM_GGUF", str(link))
        server = start_local_backend(log_path=folder / "server.log")
    yield server
    server.stop()


def test_local_llm_gguf_is_served_under_its_file_stem(
    custom_gguf_server: LocalBackendProcess,
) -> None:
    with httpx.Client(
        base_url=custom_gguf_server.base_url.removesuffix("/v1"),
        headers={"Authorization": f"Bearer {custom_gguf_server.api_key}"},
        timeout=120,
    ) as client:
        ids = [m["id"] for m in client.get("/v1/models").json()["data"]]
        assert ids == ["my-model.Q4", "gemma-3-270m", "all-minilm-l6-v2"]
        language = client.get("/v1/language-models").json()["models"]
        assert [m["id"] for m in language] == ["my-model.Q4", "gemma-3-270m"]
        answers(client, "my-model.Q4")
        answers(client, "gemma-3-270m")  # the bundled model, loaded on its first request
