"""``/v1/tokenize-text``: a text in a language model's own tokens (llama.cpp's tokenizer)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from local_backend.api.state import AUTH, BackendDep
from local_backend.api.text import text_model
from local_backend.errors import ApiError
from local_backend.schemas import MAX_TOKENIZE_CHARS, TokenizeRequest

__all__ = ["router"]

router = APIRouter(prefix="/v1", dependencies=AUTH, tags=["generation"])


@router.post("/tokenize-text")
async def tokenize_text(body: TokenizeRequest, backend: BackendDep) -> dict[str, Any]:
    """Each token's id, text and bytes, in order (no start-of-text token): the bytes joined are
    the text's UTF-8 bytes. 404 for a model that is not a language model here."""
    if len(body.text) > MAX_TOKENIZE_CHARS:
        raise ApiError(
            400, f"The text is {len(body.text):,} characters; at most {MAX_TOKENIZE_CHARS:,}."
        )
    llm = await text_model(backend, body.model)
    tokens: list[tuple[int, bytes]] = await backend.run(llm.tokenize, body.text)
    return {
        "token_ids": [
            {
                "token_id": token_id,
                "string_token": raw.decode("utf-8", errors="replace"),
                "token_bytes": list(raw),
            }
            for token_id, raw in tokens
        ]
    }
