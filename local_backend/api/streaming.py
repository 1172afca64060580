"""Server-sent events from a generation running in a worker thread.

Chunks travel from the worker to the event loop through a queue. When the client goes away, the
next chunk callback answers True, which tells llama.cpp to stop and frees its slot.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import StreamingResponse

from local_backend.api.state import Backend, as_api_error
from local_backend.engines.base import OnChunk

__all__ = ["GENERATION_RESPONSES", "stream"]

#: A generation answers JSON, or an event stream when the request sets ``stream``.
GENERATION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The generation, or with `stream: true` its chunks as server-sent events",
        # each event, as SSE readers (schemathesis among them) parse it: its `data` is one JSON
        # chunk, and the last one is `[DONE]`
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "properties": {"data": {"type": "string"}, "event": {"type": "string"}},
                }
            }
        },
    }
}


def _event(payload: Any) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


async def stream(
    backend: Backend,
    generate: Callable[[dict[str, Any], OnChunk], None],
    request: dict[str, Any],
) -> StreamingResponse:
    """Run a streaming generation; an error before the first chunk is a plain HTTP error."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    stop = threading.Event()

    def on_chunk(chunk: dict[str, Any]) -> bool:
        if stop.is_set():
            return True  # the client left: llama.cpp stops and frees the slot
        loop.call_soon_threadsafe(queue.put_nowait, ("chunk", chunk))
        return False

    def work() -> None:
        backend.track(+1)
        try:
            generate(request, on_chunk)
            loop.call_soon_threadsafe(queue.put_nowait, ("done", None))
        except Exception as exc:  # reported to the client, in-band or as HTTP
            loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
        finally:
            backend.track(-1)

    loop.run_in_executor(backend.executor, work)
    try:
        first = await queue.get()
    except asyncio.CancelledError:
        stop.set()
        raise
    if first[0] == "error":
        stop.set()
        raise as_api_error(first[1])

    async def events() -> AsyncIterator[str]:
        item = first
        try:
            while True:
                kind, value = item
                if kind == "chunk":
                    yield _event(value)
                elif kind == "error":
                    error = as_api_error(value)
                    yield _event({"error": {"message": error.message, "code": error.status}})
                    return
                else:
                    yield "data: [DONE]\n\n"
                    return
                item = await queue.get()
        finally:
            stop.set()

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
