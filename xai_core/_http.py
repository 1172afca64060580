"""Transport limits: the timeout (``XAI_TIMEOUT``), size caps, capped JSON and SSE reading.

Every byte the client reads from a server goes through :func:`read_capped`,
:func:`read_error_body` or :func:`iter_sse_events`, so a misbehaving server cannot make it hold
more than ``max_response_bytes`` in memory (counted after decompression: a gzip bomb stops too).
"""

from __future__ import annotations

import codecs
import json
import logging
import math
import os
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
from httpx_sse import ServerSentEvent
from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from xai_core._errors import APIConnectionError, APITimeoutError, InvalidResponseError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_ERROR_BODY_BYTES",
    "TIMEOUT_ENV",
    "content_type",
    "describe_size",
    "iter_sse_events",
    "new_http_client",
    "read_capped",
    "read_error_body",
    "read_json",
    "timeout_from_env",
]

logger = logging.getLogger("xai_core")

DEFAULT_CONNECT_TIMEOUT_S = 10.0
#: ``read`` is the longest silence between two chunks, not a deadline for the whole reply.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=DEFAULT_CONNECT_TIMEOUT_S)
#: Seconds; sets the read, write and pool timeouts (and the connect one, when shorter than 10 s).
TIMEOUT_ENV = "XAI_TIMEOUT"
#: Room for 128 embeddings of 3072 floats as JSON (about 8 MB) many times over.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: An error answer is only read this far: its message is what matters, not a whole HTML page.
MAX_ERROR_BODY_BYTES = 64 * 1024


def timeout_from_env(env: Mapping[str, str] | None = None) -> httpx.Timeout:
    """The timeout ``XAI_TIMEOUT`` asks for (seconds), else 60 s read / 10 s connect.

    An unreadable or non-positive value is ignored with a warning in the log: a typo in the
    environment must not stop the app from starting.
    """
    raw = (os.environ if env is None else env).get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        logger.warning("Ignoring %s=%r: expected a positive number of seconds.", TIMEOUT_ENV, raw)
        return DEFAULT_TIMEOUT
    return httpx.Timeout(seconds, connect=min(seconds, DEFAULT_CONNECT_TIMEOUT_S))


def new_http_client(
    timeout: httpx.Timeout | None = None, *, env: Mapping[str, str] | None = None
) -> httpx.Client:
    """An ``httpx.Client`` fit to be shared by many ``XaiClient`` (it holds no key).

    Without ``timeout`` it follows ``XAI_TIMEOUT`` (see :func:`timeout_from_env`).
    """
    return httpx.Client(
        timeout=timeout if timeout is not None else timeout_from_env(env),
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        headers={"User-Agent": "xai-playground/0.1"},
    )


def describe_size(size: int) -> str:
    """``64 MB``, ``12 KB`` or ``300 bytes`` (binary units, whole numbers when exact)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def too_large(limit: int) -> InvalidResponseError:
    """The error for an answer past the size cap."""
    return InvalidResponseError(
        f"The server's answer is larger than {describe_size(limit)}, the most this client reads; "
        "it was not read to its end."
    )


def content_type(response: httpx.Response) -> str:
    """The media type alone, lower case (``text/html`` for ``text/html; charset=utf-8``)."""
    header: str = response.headers.get("content-type", "")
    return header.partition(";")[0].strip().lower()


def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The whole body, or :func:`too_large` as soon as it passes ``limit`` bytes (a declared
    ``Content-Length`` past it is refused before reading anything)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and "content-encoding" not in response.headers and int(declared) > limit:
        raise too_large(limit)
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > limit:
            raise too_large(limit)
    return bytes(body)


def read_json(response: httpx.Response, limit: int) -> Any:
    """The body as JSON (at most ``limit`` bytes read), or an :class:`InvalidResponseError`
    saying what came instead."""
    try:
        raw = read_capped(response, limit)
    except httpx.TimeoutException as exc:
        raise APITimeoutError("The server stopped sending in the middle of its answer.") from exc
    except httpx.TransportError as exc:
        raise APIConnectionError("The connection dropped while reading the answer.") from exc
    finally:
        response.close()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        kind = content_type(response) or "no content type"
        preview = raw[:120].decode("utf-8", errors="replace")
        raise InvalidResponseError(
            f"Expected JSON but the server sent {kind}: {preview!r}"
        ) from None


def read_error_body(response: httpx.Response, limit: int = MAX_ERROR_BODY_BYTES) -> bytes:
    """At most ``limit`` bytes of an error answer (the rest is not read); errors while reading
    leave what arrived."""
    body = bytearray()
    try:
        for piece in response.iter_bytes():
            body += piece
            if len(body) >= limit:
                break
    except httpx.TransportError:
        pass
    return bytes(body[:limit])


def iter_sse_events(response: httpx.Response, limit: int) -> Iterator[ServerSentEvent]:
    """The server-sent events of ``response``; :func:`too_large` once the stream passed ``limit``
    bytes in all (so a single endless event is stopped too)."""
    text = codecs.getincrementaldecoder("utf-8")(errors="replace")
    lines = SSELineDecoder()
    events = SSEDecoder()
    received = 0
    for piece in response.iter_bytes():
        received += len(piece)
        if received > limit:
            raise too_large(limit)
        decoded = text.decode(piece)
        for line in lines.decode(decoded) if decoded else []:
            event = events.decode(line.rstrip("\n"))
            if event is not None:
                yield event
    tail = text.decode(b"", final=True)
    for line in [*(lines.decode(tail) if tail else []), *lines.flush()]:
        event = events.decode(line.rstrip("\n"))
        if event is not None:
            yield event
