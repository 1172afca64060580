"""``/v1/chat/completions``."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse

from local_backend.api.state import AUTH, BackendDep
from local_backend.api.streaming import GENERATION_RESPONSES, stream
from local_backend.api.text import check_size, text_model
from local_backend.schemas import ChatRequest

__all__ = ["router"]

router = APIRouter(prefix="/v1", dependencies=AUTH, tags=["generation"])


@router.post("/chat/completions", response_model=None, responses=GENERATION_RESPONSES)
async def chat_completions(
    body: ChatRequest, backend: BackendDep
) -> JSONResponse | StreamingResponse:
    """A chat reply, whole or streamed."""
    llm = await text_model(backend, body.model)
    check_size(body, llm)
    request = body.body()
    if body.stream:
        return await stream(backend, llm.stream_chat, request)
    return JSONResponse(await backend.run(llm.chat, request))
