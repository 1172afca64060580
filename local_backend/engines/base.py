"""What the API needs of an engine: a text model and an embedding model, as protocols."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

__all__ = ["Embedder", "OnChunk", "TextModel"]

#: Called with each stream chunk; returning True stops the generation (the client left).
OnChunk = Callable[[dict[str, Any]], bool]


class TextModel(Protocol):
    """A loaded text model (``engines.llm.LocalLLM``); its methods may run in several threads."""

    model_id: str
    n_ctx: int

    def chat(self, request: dict[str, Any]) -> dict[str, Any]: ...
    def complete(self, request: dict[str, Any]) -> dict[str, Any]: ...
    def stream_chat(self, request: dict[str, Any], on_chunk: OnChunk) -> None: ...
    def stream_complete(self, request: dict[str, Any], on_chunk: OnChunk) -> None: ...
    def tokenize(self, text: str) -> list[tuple[int, bytes]]: ...


class Embedder(Protocol):
    """A loaded embedding model (``engines.embedder.MiniLMEmbedder``)."""

    model_id: str
    dimensions: int

    def embed(self, texts: list[str]) -> tuple[np.ndarray[Any, Any], int]: ...
