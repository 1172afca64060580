"""Serving what the registry holds, with the real Gemma 3 270M: the bundled GGUF under a second id
(in process), and ``LOCAL_LLM_GGUF`` files under their file stems (``python -m local_backend``),
a good one beside a missing one and one that is not a GGUF."""

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
    registry = Registry(
        (replace(GEMMA_3_270M, load="start"), replace(GEMMA_3_270M, id=TWIN, load="first use"))
    )
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
    """``python -m local_backend`` with ``LOCAL_LLM_GGUF`` naming a symlink to the bundled GGUF,
    a text file and a file that does not exist."""
    folder = tmp_path_factory.mktemp("custom-gguf")
    link = folder / "my-model.Q4.gguf"
    link.symlink_to(GEMMA_3_270M.file.locate())
    (folder / "notes.gguf").write_text("not a model")
    paths = [link, folder / "notes.gguf", folder / "gone.gguf"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOCAL_LLM_GGUF", ",".join(map(str, paths)))
        server = start_local_backend(log_path=folder / "server.log")
    yield server
    server.stop()


def test_local_llm_gguf_files_are_served_under_their_file_stems_bad_ones_named(
    custom_gguf_server: LocalBackendProcess,
) -> None:
    with httpx.Client(
        base_url=custom_gguf_server.base_url.removesuffix("/v1"),
        headers={"Authorization": f"Bearer {custom_gguf_server.api_key}"},
        timeout=120,
    ) as client:
        ids = [m["id"] for m in client.get("/v1/models").json()["data"]]
        bundled = ["qwen2.5-coder-0.5b-instruct", "gemma-3-270m", "all-minilm-l6-v2"]
        assert ids == ["my-model.Q4", "notes", "gone", *bundled]
        language = client.get("/v1/language-models").json()["models"]
        assert [m["id"] for m in language] == ["my-model.Q4", "notes", "gone", *bundled[:2]]
        assert {m["kind"] for m in language[:3]} == {"chat"}
        answers(client, "my-model.Q4")
        answers(client, "gemma-3-270m")  # the bundled base model, loaded on its first request
        for model, problem in [("notes", "not a GGUF file"), ("gone", "does not exist")]:
            body = {"model": model, "messages": HELLO, "max_tokens": 2}
            response = client.post("/v1/chat/completions", json=body)
            assert response.status_code == 503, response.text
            message = response.json()["error"]
            assert f"{model} is not available" in message and problem in message
            assert "fix LOCAL_LLM_GGUF" in message
    log = custom_gguf_server.log_tail(200)
    assert "notes is not available" in log and "gone is not available" in log
