"""``/v1/responses``: create (whole or streamed), retrieve, delete, and list a response's input.

A response is made by the chat path: the input (and, with ``previous_response_id``, the stored
conversation before it) becomes chat messages, the model's chat answer or chunks become the
response or its events. Stored responses live in ``backend.responses`` (bounded, in memory).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, StreamingResponse

from local_backend.api.state import AUTH, BackendDep
from local_backend.api.streaming import GENERATION_RESPONSES, stream
from local_backend.api.text import check_size, text_model
from local_backend.errors import ApiError
from local_backend.responses.events import ResponseEvents
from local_backend.responses.objects import ResponseDraft, with_ids
from local_backend.responses.request import ResponseRequest, chat_messages, check_supported
from local_backend.responses.store import StoredResponse

__all__ = ["router"]

router = APIRouter(prefix="/v1", dependencies=AUTH, tags=["responses"])


@router.post("/responses", response_model=None, responses=GENERATION_RESPONSES)
async def create_response(
    body: ResponseRequest, backend: BackendDep
) -> JSONResponse | StreamingResponse:
    """A response, whole or as events; stored unless ``store`` is false. With
    ``previous_response_id`` it continues that stored conversation, under its instructions."""
    llm = await text_model(backend, body.model)
    check_supported(body, llm.model_id)
    check_size(body, llm)
    history: list[dict[str, Any]] = []
    instructions = body.instructions
    if body.previous_response_id is not None:
        previous = backend.responses.get(body.previous_response_id)
        history, instructions = previous.conversation, previous.instructions
    items = body.items()
    request = body.chat_body(chat_messages(instructions, [*history, *items]))
    draft = ResponseDraft(body, llm.model_id, instructions)

    def keep(response: dict[str, Any]) -> None:
        if body.store is not False:
            backend.responses.put(StoredResponse(response, history, items, instructions))

    if body.stream:
        request["stream_options"] = {"include_usage": True}
        return await stream(backend, llm.stream_chat, request, ResponseEvents(draft, keep))
    response = draft.finished(await backend.run(llm.chat, request))
    keep(response)
    return JSONResponse(response)


@router.get("/responses/{response_id}")
async def get_response(response_id: str, backend: BackendDep) -> dict[str, Any]:
    """A stored response; 404 if there is none by that id."""
    return backend.responses.get(response_id).response


@router.delete("/responses/{response_id}")
async def delete_response(response_id: str, backend: BackendDep) -> dict[str, Any]:
    """Forget a stored response; 404 if there is none by that id."""
    backend.responses.delete(response_id)
    return {"id": response_id, "object": "response", "deleted": True}


@router.get("/responses/{response_id}/input_items")
async def list_input_items(
    response_id: str,
    backend: BackendDep,
    limit: int = Query(default=20, ge=1, le=100),
    order: Literal["asc", "desc"] = "asc",
    after: str | None = None,
) -> dict[str, Any]:
    """The input items of a stored response (this request's own), a page at a time."""
    items = with_ids(backend.responses.get(response_id).input_items, response_id)
    if order == "desc":
        items.reverse()
    if after is not None:
        ids = [item["id"] for item in items]
        if after not in ids:
            raise ApiError(400, f"No input item {after} in response {response_id}.")
        items = items[ids.index(after) + 1 :]
    page = items[:limit]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": len(items) > limit,
    }
