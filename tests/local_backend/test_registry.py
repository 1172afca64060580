"""The model registry, its file locators and the model pool, without loading a real model; the
catalog and 404 answers through the app, with stand-in engines."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from local_backend.engines.pool import EngineSettings, ModelPool
from local_backend.errors import ApiError
from local_backend.locators import AssembledFile, LocalFile
from local_backend.registry import (
    GEMMA_3_270M,
    MINILM_L6_V2,
    ModelEntry,
    Registry,
    UnknownModel,
    default_registry,
    gguf_entry,
)
from local_backend.server import create_app

KEY = "local-test-key-0123456789"
NOT_FOUND = "Some requested entity was not found"
BASE = ModelEntry(id="tiny-base", kind="base", file=LocalFile(Path("/nowhere.gguf")))
REGISTRY = Registry((GEMMA_3_270M, BASE, MINILM_L6_V2))


# ---------------------------------------------------------------- entries and lookups


def test_lookup_by_id_and_kind() -> None:
    assert REGISTRY.model("tiny-base") is BASE
    assert REGISTRY.text_model("gemma-3-270m") is GEMMA_3_270M
    assert REGISTRY.language_model("tiny-base") is BASE
    assert REGISTRY.embedding_model("all-minilm-l6-v2") is MINILM_L6_V2
    assert [e.id for e in REGISTRY.language_models] == ["gemma-3-270m", "tiny-base"]
    assert [e.id for e in REGISTRY.embedding_models] == ["all-minilm-l6-v2"]


@pytest.mark.parametrize(
    ("find", "message"),
    [
        (REGISTRY.model, "The model grok-9 does not exist."),
        (REGISTRY.language_model, "The language model grok-9 does not exist."),
        (REGISTRY.embedding_model, "The embedding model grok-9 does not exist."),
        (
            REGISTRY.text_model,
            "The model grok-9 does not exist (this server has gemma-3-270m, tiny-base for text).",
        ),
    ],
    ids=["model", "language", "embedding", "generation"],
)
def test_an_unknown_id_is_a_404_saying_so(find: Any, message: str) -> None:
    with pytest.raises(UnknownModel) as raised:
        find("grok-9")
    assert isinstance(raised.value, ApiError)
    assert (raised.value.status, raised.value.message) == (404, message)


def test_a_model_of_another_kind_is_not_found_as_that_kind() -> None:
    with pytest.raises(UnknownModel):
        REGISTRY.text_model("all-minilm-l6-v2")
    with pytest.raises(UnknownModel):
        REGISTRY.embedding_model("gemma-3-270m")


def test_kinds_decide_listing_modalities_and_tools() -> None:
    assert GEMMA_3_270M.is_text and not GEMMA_3_270M.accepts_tools  # built-in "gemma" template
    assert BASE.is_text and BASE.accepts_tools  # the GGUF's own (Jinja) template
    assert replace(BASE, chat_template="{{ messages }}").accepts_tools
    assert not MINILM_L6_V2.is_text and not MINILM_L6_V2.accepts_tools
    assert MINILM_L6_V2.output_modalities == ("embedding",)
    assert GEMMA_3_270M.output_modalities == ("text",)


def test_ids_are_unique() -> None:
    with pytest.raises(ValueError, match="gemma-3-270m"):
        Registry((GEMMA_3_270M, replace(GEMMA_3_270M, chat_template=None)))


def test_with_context_changes_text_models_only() -> None:
    changed = REGISTRY.with_context(1024)
    assert [e.context_length for e in changed.language_models] == [1024, 1024]
    assert changed.embedding_models == [MINILM_L6_V2]


# ---------------------------------------------------------------- defaults, LOCAL_LLM_GGUF


def test_default_registry_is_gemma_and_minilm_loaded_at_start() -> None:
    registry = default_registry(environ={})
    assert registry.entries == (GEMMA_3_270M, MINILM_L6_V2)
    assert all(entry.preload for entry in registry.entries)
    assert GEMMA_3_270M.chat_template == "gemma" and GEMMA_3_270M.context_length == 4096


def test_local_llm_gguf_is_the_default_text_model_under_its_stem(tmp_path: Path) -> None:
    path = tmp_path / "my-model.Q4.gguf"
    registry = default_registry(environ={"LOCAL_LLM_GGUF": str(path)})
    custom = registry.entries[0]
    assert (custom.id, custom.kind, custom.chat_template, custom.preload) == (
        "my-model.Q4",
        "chat",
        None,
        True,
    )
    assert [e.id for e in registry.entries] == ["my-model.Q4", "gemma-3-270m", "all-minilm-l6-v2"]
    gemma = registry.model("gemma-3-270m")
    assert not gemma.preload  # beside it, loaded on first use: start-up stays as fast
    assert registry.model("all-minilm-l6-v2").preload
    with pytest.raises(FileNotFoundError, match="LOCAL_LLM_GGUF"):
        custom.file.locate()
    path.write_bytes(b"x")
    assert custom.file.locate() == path


def test_gguf_option_wins_and_a_same_named_file_replaces_the_bundled_model(tmp_path: Path) -> None:
    option = tmp_path / "gemma-3-270m.gguf"
    registry = default_registry(option, environ={"LOCAL_LLM_GGUF": "/elsewhere/other.gguf"})
    assert [e.id for e in registry.entries] == ["gemma-3-270m", "all-minilm-l6-v2"]
    assert registry.entries[0] == gguf_entry(option, "--gguf")
    assert registry.entries[0].chat_template is None


# ---------------------------------------------------------------- locators


def test_an_assembled_file_is_made_once_then_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_BACKEND_CACHE", str(tmp_path))
    calls: list[Path] = []

    def assemble(target: Path) -> None:
        calls.append(target)
        target.write_bytes(b"weights")

    pinned = hashlib.sha256(b"weights").hexdigest()
    located = AssembledFile("m.gguf", assemble, sha256=pinned)
    assert located.locate() == tmp_path / "m.gguf"
    assert located.locate() == tmp_path / "m.gguf"
    assert len(calls) == 1 and not calls[0].exists()  # written aside, then renamed
    assert (tmp_path / "m.gguf").read_bytes() == b"weights"


def test_an_assembled_file_with_the_wrong_hash_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_BACKEND_CACHE", str(tmp_path))
    located = AssembledFile("m.gguf", lambda target: target.write_bytes(b"bad"), sha256="0" * 64)
    with pytest.raises(FileNotFoundError, match="SHA-256"):
        located.locate()
    assert list(tmp_path.iterdir()) == []  # nothing kept


def test_the_bundled_gguf_in_the_cache_is_not_assembled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_BACKEND_CACHE", str(tmp_path))
    (tmp_path / "gemma-3-270m-q4_k_m.gguf").write_bytes(b"x")
    assert GEMMA_3_270M.file.locate() == tmp_path / "gemma-3-270m-q4_k_m.gguf"


# ---------------------------------------------------------------- the pool and the app


class FakeEngine:
    def __init__(self, entry: ModelEntry) -> None:
        self.model_id, self.n_ctx, self.dimensions = entry.id, entry.context_length, 384

    def chat(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"model": self.model_id, "choices": []}


def test_the_pool_loads_preloaded_models_at_start_and_others_once_on_first_use() -> None:
    loaded: list[str] = []

    def loader(entry: ModelEntry, settings: EngineSettings) -> Any:
        loaded.append(entry.id)
        return FakeEngine(entry)

    pool = ModelPool(REGISTRY, loader=loader)
    pool.preload()
    assert sorted(loaded) == ["all-minilm-l6-v2", "gemma-3-270m"]
    assert pool.text(BASE).model_id == "tiny-base"
    assert pool.text(BASE) is pool.text(BASE)
    assert loaded.count("tiny-base") == 1
    with pytest.raises(ValueError, match="not a text model"):
        pool.text(MINILM_L6_V2)


@pytest.fixture(scope="module")
def app() -> Iterator[TestClient]:
    pool = ModelPool(REGISTRY, loader=lambda entry, settings: FakeEngine(entry))
    with TestClient(create_app(pool, api_key=KEY)) as client:
        client.headers["Authorization"] = f"Bearer {KEY}"
        yield client


def test_the_catalog_lists_what_the_registry_holds(app: TestClient) -> None:
    ids = [m["id"] for m in app.get("/v1/models").json()["data"]]
    assert ids == ["gemma-3-270m", "tiny-base", "all-minilm-l6-v2"]
    language = app.get("/v1/language-models").json()["models"]
    assert [m["id"] for m in language] == ["gemma-3-270m", "tiny-base"]
    assert language[1]["max_prompt_length"] == 4096 and language[1]["version"] == "tiny-base"
    [embedding] = app.get("/v1/embedding-models").json()["models"]
    assert embedding["version"] == "384d-int8"
    assert embedding["output_modalities"] == ["embedding"]
    assert app.get("/v1/language-models/tiny-base").json()["id"] == "tiny-base"


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "/v1/models/grok-9", None, "The model grok-9 does not exist."),
        ("GET", "/v1/language-models/grok-9", None, "The language model grok-9 does not exist."),
        ("GET", "/v1/embedding-models/grok-9", None, "The embedding model grok-9 does not exist."),
        (
            "POST",
            "/v1/chat/completions",
            {"model": "grok-9", "messages": [{"role": "user", "content": "hi"}]},
            "The model grok-9 does not exist (this server has gemma-3-270m, tiny-base for text).",
        ),
        (
            "POST",
            "/v1/embeddings",
            {"model": "grok-9", "input": "hi"},
            "The embedding model grok-9 does not exist.",
        ),
    ],
)
def test_unknown_ids_get_the_flat_404_body(
    app: TestClient, method: str, path: str, body: Any, message: str
) -> None:
    response = app.request(method, path, json=body)
    assert response.status_code == 404
    assert response.json() == {"code": NOT_FOUND, "error": message}


def test_a_lazily_loaded_model_answers(app: TestClient) -> None:
    body = {"model": "tiny-base", "messages": [{"role": "user", "content": "hi"}]}
    assert app.post("/v1/chat/completions", json=body).json()["model"] == "tiny-base"
