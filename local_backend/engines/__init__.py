"""The engines that run the registry's models: llama.cpp for text (``llm``, with the pure
request/answer translations in ``llm_format``), onnxruntime for embeddings (``embedder``), and
the pool that loads each model once (``pool``). Heavy imports stay inside the loaders."""

from __future__ import annotations

from local_backend.engines.base import Embedder, OnChunk, TextModel
from local_backend.engines.pool import EngineSettings, ModelPool, load_engine

__all__ = ["Embedder", "EngineSettings", "ModelPool", "OnChunk", "TextModel", "load_engine"]
