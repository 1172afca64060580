"""Loading the two local models: the heavy imports live here, off the app's start-up path."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from local_backend.server import Embedder, TextModel

__all__ = ["LocalEngines"]


@dataclass(frozen=True)
class LocalEngines:
    """Gemma 3 270M (or ``LOCAL_LLM_GGUF``) on llama.cpp, and MiniLM on onnxruntime."""

    gguf_path: Path | None = None
    n_ctx: int = 4096
    n_parallel: int = 4
    threads: int = max(1, min(4, os.cpu_count() or 2))

    def load(self) -> tuple[TextModel, Embedder]:
        """Load both models at once (the text model takes about a second)."""
        from local_backend.embedder import MiniLMEmbedder
        from local_backend.llm import LocalLLM, default_gguf_path

        def text_model() -> LocalLLM:
            return LocalLLM(
                self.gguf_path or default_gguf_path(),
                n_ctx=self.n_ctx,
                n_parallel=self.n_parallel,
                threads=self.threads,
            )

        with ThreadPoolExecutor(max_workers=2) as pool:
            llm = pool.submit(text_model)
            embedder = pool.submit(MiniLMEmbedder, threads=self.threads)
            return llm.result(), embedder.result()
