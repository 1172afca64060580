"""The registry's models, each loaded once: at start-up when its entry says ``preload``, else on
its first request. The heavy imports (llama.cpp, onnxruntime) happen in the loader, off the app's
import path."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import cast

from local_backend.engines.base import Embedder, TextModel
from local_backend.registry import ModelEntry, Registry

__all__ = ["EngineSettings", "Loader", "ModelPool", "load_engine"]


@dataclass(frozen=True)
class EngineSettings:
    """How every model runs: simultaneous generations per text model, CPU threads per model."""

    n_parallel: int = 4
    threads: int = max(1, min(4, os.cpu_count() or 2))


def load_engine(entry: ModelEntry, settings: EngineSettings) -> TextModel | Embedder:
    """Load one entry: llama.cpp for a text model, onnxruntime for an embedder."""
    if entry.kind == "embedding":
        from local_backend.engines.embedder import MiniLMEmbedder

        return MiniLMEmbedder.from_entry(entry, threads=settings.threads)
    from local_backend.engines.llm import LocalLLM

    return LocalLLM.from_entry(entry, n_parallel=settings.n_parallel, threads=settings.threads)


Loader = Callable[[ModelEntry, EngineSettings], TextModel | Embedder]


class ModelPool:
    """Loaded engines by model id; safe to call from several threads (each model loads once)."""

    def __init__(
        self,
        registry: Registry,
        settings: EngineSettings | None = None,
        loader: Loader = load_engine,
    ) -> None:
        self.registry = registry
        self._settings = settings or EngineSettings()
        self._loader = loader
        self._engines: dict[str, TextModel | Embedder] = {}
        self._locks = {entry.id: threading.Lock() for entry in registry.entries}

    def preload(self) -> None:
        """Load the entries marked ``preload``, side by side (the text model takes about 1 s)."""
        entries = [entry for entry in self.registry.entries if entry.preload]
        if not entries:
            return
        with ThreadPoolExecutor(max_workers=len(entries)) as pool:
            for future in [pool.submit(self._engine, entry) for entry in entries]:
                future.result()

    def text(self, entry: ModelEntry) -> TextModel:
        """The loaded text model of ``entry`` (loading it now if it was not)."""
        if not entry.is_text:
            raise ValueError(f"{entry.id} is not a text model")
        return cast(TextModel, self._engine(entry))

    def embedder(self, entry: ModelEntry) -> Embedder:
        """The loaded embedding model of ``entry`` (loading it now if it was not)."""
        if entry.kind != "embedding":
            raise ValueError(f"{entry.id} is not an embedding model")
        return cast(Embedder, self._engine(entry))

    def close(self) -> None:
        """Release the loaded models (calls already running finish with their own reference)."""
        engines, self._engines = list(self._engines.values()), {}
        for engine in engines:
            close = getattr(engine, "close", None)
            if callable(close):
                close()

    def _engine(self, entry: ModelEntry) -> TextModel | Embedder:
        with self._locks[entry.id]:
            if entry.id not in self._engines:
                self._engines[entry.id] = self._loader(entry, self._settings)
            return self._engines[entry.id]
