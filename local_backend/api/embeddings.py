"""``/v1/embeddings``: unit vectors as floats or base64, optionally shortened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from fastapi import APIRouter

from local_backend.api.state import AUTH, BackendDep
from local_backend.engines.base import Embedder
from local_backend.engines.embedder import encode_base64, truncate_dimensions
from local_backend.errors import ApiError
from local_backend.schemas import MAX_EMBEDDING_INPUTS, EmbeddingRequest

__all__ = ["router"]

router = APIRouter(prefix="/v1", dependencies=AUTH, tags=["generation"])


@router.post("/embeddings")
async def embeddings(body: EmbeddingRequest, backend: BackendDep) -> dict[str, Any]:
    """One vector per input text, in input order."""
    entry = backend.registry.embedding_model(body.model)
    texts = body.texts()
    if len(texts) > MAX_EMBEDDING_INPUTS:
        raise ApiError(
            400, f"Too many inputs: {len(texts)}; at most {MAX_EMBEDDING_INPUTS} per request."
        )
    embedder: Embedder = await backend.run(backend.models.embedder, entry)
    dims = body.dimensions
    if dims is not None and dims > embedder.dimensions:
        raise ApiError(
            400, f"dimensions must be at most {embedder.dimensions} for {embedder.model_id}."
        )
    vectors, tokens = await backend.run(embedder.embed, texts)
    if dims is not None and dims < embedder.dimensions:
        vectors = truncate_dimensions(vectors, dims)
    encode: Callable[[np.ndarray[Any, Any]], Any] = (
        encode_base64 if body.encoding_format == "base64" else lambda v: v.tolist()
    )
    return {
        "object": "list",
        "model": embedder.model_id,
        "data": [
            {"index": i, "embedding": encode(vector), "object": "embedding"}
            for i, vector in enumerate(vectors)
        ],
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }
