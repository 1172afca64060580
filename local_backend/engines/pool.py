"""The registry's models, each loaded once, when its entry's ``load`` says: at ``"start"``
(:meth:`ModelPool.preload`, before the server answers), in the ``"background"`` right after
(:meth:`ModelPool.warm`), or on its first request. The heavy imports (llama.cpp, onnxruntime)
happen in the loader, off the app's import path.

A model that cannot be loaded (a part package missing or damaged, a ``LOCAL_LLM_GGUF`` that is not
a GGUF, llama.cpp refusing the file) does not stop the others: the problem is written to the
backend's log once, and every request for that model gets a 503 naming it and what to fix.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import cast

from local_backend.engines.base import Embedder, TextModel
from local_backend.errors import ApiError
from local_backend.registry import ModelEntry, Registry

__all__ = ["EngineSettings", "Loader", "ModelPool", "ModelUnavailable", "load_engine"]


class ModelUnavailable(ApiError):
    """A served model that could not be loaded (503); the message says what to fix."""

    def __init__(self, model_id: str, problem: BaseException) -> None:
        reason = getattr(problem, "message", None) or str(problem) or type(problem).__name__
        super().__init__(
            503,
            f"The local model {model_id} is not available: {reason} "
            "(then restart the local backend). The other models still answer.",
        )


_CPUS = os.cpu_count() or 2
#: Seconds after start before the background models load (see :meth:`ModelPool.warm`).
WARM_DELAY_S = 3.0


@dataclass(frozen=True)
class EngineSettings:
    """How every model runs: simultaneous generations per text model; CPU threads for the
    embedder and the text model loaded at start (the chat default), and for every other text
    model.

    The other text models get what cores are left, at least one: llama.cpp's threads are
    OpenMP's, and once a process holds more of them than there are cores, libgomp stops
    spinning at its barriers, which slows every model. Measured on 2 cores: the chat default
    at 40 tokens/s alone fell to 26 with Gemma loaded at 2 threads, and stayed at 35 of 35 with
    Gemma at 1.
    """

    n_parallel: int = 4
    threads: int = max(1, min(4, _CPUS))
    other_text_threads: int = max(1, _CPUS - max(1, min(4, _CPUS)))


def load_engine(entry: ModelEntry, settings: EngineSettings) -> TextModel | Embedder:
    """Load one entry: llama.cpp for a text model, onnxruntime for an embedder."""
    if entry.kind == "embedding":
        from local_backend.engines.embedder import MiniLMEmbedder

        return MiniLMEmbedder.from_entry(entry, threads=settings.threads)
    from local_backend.engines.llm import LocalLLM

    threads = settings.threads if entry.load == "start" else settings.other_text_threads
    return LocalLLM.from_entry(entry, n_parallel=settings.n_parallel, threads=threads)


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
        self._failures: dict[str, ModelUnavailable] = {}
        self._locks = {entry.id: threading.Lock() for entry in registry.entries}

    @property
    def problems(self) -> dict[str, str]:
        """The models that could not be loaded, with what to fix."""
        return {model_id: error.message for model_id, error in self._failures.items()}

    def preload(self) -> None:
        """Load the entries marked ``"start"``, side by side; a failure is kept, not raised."""
        self._load_all([e for e in self.registry.entries if e.load == "start"])

    def warm(self, delay: float = WARM_DELAY_S) -> threading.Thread:
        """Load the ``"background"`` entries one after the other in a daemon thread (started
        here, after ``delay`` seconds; returned so a caller may join it). The delay leaves the
        cores to the first chat request of a fresh start; a request for a background model
        that comes sooner loads it at once."""

        def load() -> None:
            time.sleep(delay)
            self._load_all(entries, 1)

        entries = [e for e in self.registry.entries if e.load == "background"]
        thread = threading.Thread(target=load, name="model-warm", daemon=True)
        thread.start()
        return thread

    def _load_all(self, entries: list[ModelEntry], workers: int | None = None) -> None:
        if not entries:
            return
        with ThreadPoolExecutor(max_workers=workers or len(entries)) as pool:
            for future in [pool.submit(self._engine, entry) for entry in entries]:
                with contextlib.suppress(ModelUnavailable):  # logged, and kept for its requests
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
            if entry.id in self._failures:
                raise self._failures[entry.id]
            if entry.id not in self._engines:
                try:
                    self._engines[entry.id] = self._loader(entry, self._settings)
                except Exception as exc:
                    failure = self._failures[entry.id] = ModelUnavailable(entry.id, exc)
                    print(f"local backend: {failure.message}", file=sys.stderr, flush=True)
                    raise failure from exc
            return self._engines[entry.id]
