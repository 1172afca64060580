"""Helpers for the client tests: recorded fixtures served through ``httpx.MockTransport``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from xai_core import XaiClient

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BASE_URL = "https://api.x.test/v1"
API_KEY = "xai-secret-key-for-tests-0001"

Handler = Callable[[httpx.Request], httpx.Response]


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sse_body(events: list[dict[str, Any]], *, done: bool = True) -> bytes:
    """Events framed as ``data: {json}`` blocks, ending with ``data: [DONE]`` unless told not to."""
    body = b"".join(b"data: " + json.dumps(event).encode() + b"\n\n" for event in events)
    return body + (b"data: [DONE]\n\n" if done else b"")


def split_events(body: bytes) -> list[bytes]:
    """A recorded stream cut into its events, each with its blank line."""
    return [event + b"\n\n" for event in body.split(b"\n\n") if event]


def sse_response(body: bytes, *, chunk_size: int | None = None) -> httpx.Response:
    """A streaming event-stream response, optionally cut into network chunks of ``chunk_size``."""
    size = chunk_size or len(body) or 1
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, stream=ByteChunks(pieces)
    )


class ByteChunks(httpx.SyncByteStream):
    """A response body delivered in given pieces; it can fail after them, and records ``close``."""

    def __init__(self, pieces: list[bytes], fail_with: Exception | None = None) -> None:
        self.pieces = pieces
        self.fail_with = fail_with
        self.closed = False
        self.delivered = 0

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            self.delivered += 1
            yield piece
        if self.fail_with is not None:
            raise self.fail_with

    def close(self) -> None:
        self.closed = True


class Recorder:
    """Serves answers from a handler and keeps every request it saw, plus the client's sleeps."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def client(self, **kwargs: Any) -> XaiClient:
        http = httpx.Client(transport=httpx.MockTransport(self))
        client = XaiClient(api_key=API_KEY, base_url=BASE_URL, http_client=http, **kwargs)
        client.sleep = self.sleeps.append
        return client

    @property
    def last_body(self) -> Any:
        return json.loads(self.requests[-1].content)


@pytest.fixture
def serve() -> Callable[[Handler], Recorder]:
    """``serve(handler)`` gives a Recorder whose ``.client()`` talks to that handler."""
    return Recorder
