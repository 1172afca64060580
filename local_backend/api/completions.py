"""``/v1/completions``: one prompt or a list of them (not streamed), ``n`` choices each."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse

from local_backend.api.state import AUTH, BackendDep
from local_backend.api.streaming import GENERATION_RESPONSES, stream
from local_backend.api.text import check_size, text_model
from local_backend.engines.llm_format import usage
from local_backend.errors import ApiError
from local_backend.schemas import MAX_CHOICES, CompletionRequest

__all__ = ["merge_completions", "router"]

router = APIRouter(prefix="/v1", dependencies=AUTH, tags=["generation"])


@router.post("/completions", response_model=None, responses=GENERATION_RESPONSES)
async def completions(
    body: CompletionRequest, backend: BackendDep
) -> JSONResponse | StreamingResponse:
    """A raw completion, whole or streamed."""
    llm = await text_model(backend, body.model)
    check_size(body, llm)
    prompts = len(body.prompt) if isinstance(body.prompt, list) else 1
    if prompts * (body.n or 1) > MAX_CHOICES:
        raise ApiError(
            400,
            f"{prompts} prompts × n={body.n or 1} asks for {prompts * (body.n or 1)} "
            f"completions; this server makes at most {MAX_CHOICES} per request.",
        )
    request = body.body()
    if body.stream:
        if isinstance(body.prompt, list) and len(body.prompt) > 1:
            raise ApiError(400, "Streaming takes one prompt at a time; send a single prompt.")
        return await stream(backend, llm.stream_complete, request)
    if isinstance(body.prompt, list) and len(body.prompt) > 1:
        answers = [await backend.run(llm.complete, {**request, "prompt": p}) for p in body.prompt]
        return JSONResponse(merge_completions(answers))
    return JSONResponse(await backend.run(llm.complete, request))


def merge_completions(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """One completion answer for a list of prompts: choices in prompt order, usage added up."""
    merged = dict(answers[0])
    choices = [choice for answer in answers for choice in answer.get("choices", [])]
    merged["choices"] = [{**choice, "index": i} for i, choice in enumerate(choices)]
    counts = [answer.get("usage") or {} for answer in answers]
    prompt = sum(int(count.get("prompt_tokens", 0)) for count in counts)
    merged["usage"] = usage(prompt, sum(int(c.get("completion_tokens", 0)) for c in counts))
    return merged
