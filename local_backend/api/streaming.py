"""Server-sent events from a generation running in a worker thread.

Chunks travel from the worker to the event loop through a queue. When the client goes away, the
next chunk callback answers True, which tells llama.cpp to stop and frees its slot.

What is sent for each chunk is the :class:`StreamFrame`'s choice: chat and completions send the
chunks as they come (:class:`PassThrough`); ``/v1/responses`` turns them into its events. Every
stream that completes ends with ``data: [DONE]``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

from fastapi.responses import StreamingResponse

from local_backend.api.state import Backend, as_api_error
from local_backend.engines.base import OnChunk
from local_backend.errors import ApiError

__all__ = ["GENERATION_RESPONSES", "PassThrough", "StreamFrame", "stream"]

#: One server-sent event of a generation stream: ``data`` holds a JSON chunk, or ``[DONE]`` last.
SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {"type": "string", "description": "a JSON chunk, or `[DONE]` at the end"},
        "event": {"type": "string"},
    },
}

#: A generation answers JSON, or an event stream when the request sets ``stream``.
GENERATION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The generation, or with `stream: true` its chunks as server-sent events",
        "content": {"text/event-stream": {"schema": SSE_EVENT}},
    }
}


class StreamFrame(Protocol):
    """What a stream sends: events before the first chunk, for each chunk, after the last one,
    and after an error mid-way (each a list of JSON payloads, one ``data:`` line each)."""

    def open(self) -> list[Any]: ...
    def chunk(self, chunk: dict[str, Any]) -> list[Any]: ...
    def close(self) -> list[Any]: ...
    def fail(self, error: ApiError) -> list[Any]: ...


class PassThrough:
    """The engine's chunks as they come; an error mid-way as an ``error`` object."""

    def open(self) -> list[Any]:
        return []

    def chunk(self, chunk: dict[str, Any]) -> list[Any]:
        return [chunk]

    def close(self) -> list[Any]:
        return []

    def fail(self, error: ApiError) -> list[Any]:
        return [{"error": {"message": error.message, "code": error.status}}]


def _event(payload: Any) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


async def stream(
    backend: Backend,
    generate: Callable[[dict[str, Any], OnChunk], None],
    request: dict[str, Any],
    frame: StreamFrame | None = None,
) -> StreamingResponse:
    """Run a streaming generation; an error before the first chunk is a plain HTTP error."""
    frame = frame or PassThrough()
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
            for payload in frame.open():
                yield _event(payload)
            while True:
                kind, value = item
                if kind == "chunk":
                    payloads = frame.chunk(value)
                elif kind == "error":
                    payloads = frame.fail(as_api_error(value))
                else:
                    payloads = frame.close()
                for payload in payloads:
                    yield _event(payload)
                if kind == "done":
                    yield "data: [DONE]\n\n"
                if kind != "chunk":
                    return
                item = await queue.get()
        finally:
            stop.set()

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
