"""Fixtures and payloads of the fake: recorded answers, SSE events in xAI's framing, flat errors,
deterministic embeddings."""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_json(name: str) -> Any:
    """Parse tests/fixtures/<name>."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def load_sse(name: str) -> list[str]:
    """Split tests/fixtures/<name> into raw events, each keeping its own terminator (LF or CRLF)."""
    text = (FIXTURES / name).read_bytes().decode("utf-8")
    return [part for part in re.split(r"(?<=\n\n)|(?<=\r\n\r\n)", text) if part]


def sse_event(obj: Any) -> str:
    """Format one ``data: {json}`` event (compact JSON, raw non-ASCII characters)."""
    return f"data: {json.dumps(obj, ensure_ascii=False, separators=(',', ':'))}\n\n"


#: An event whose data is not JSON (a truncated object).
MALFORMED_EVENT = 'data: {"choices": [{"index": 0, "delta": {"content": "x\n\n'
DONE_EVENT = "data: [DONE]\n\n"
#: The start and end of :meth:`FakeXai.oversize_next`'s body: valid JSON listing nothing.
OVERSIZE_PREFIX = b'{"object": "list", "data": [], "models": [], "padding": "'
OVERSIZE_SUFFIX = b'"}'


def text_events(
    pieces: list[str], model: str = "grok-4.3", *, finish: bool = True, done: bool = True
) -> list[str]:
    """A chat stream of ``pieces`` as content deltas, then a ``stop`` finish chunk and
    ``[DONE]`` (each left out when told)."""
    events = [
        sse_event({"model": model, "choices": [{"index": 0, "delta": {"content": piece}}]})
        for piece in pieces
    ]
    if finish:
        stop = {"index": 0, "delta": {}, "finish_reason": "stop"}
        events.append(sse_event({"model": model, "choices": [stop]}))
    return [*events, DONE_EVENT] if done else events


def completion_events(
    pieces: list[str], model: str = "grok-4.3", *, done: bool = True
) -> list[str]:
    """A text-completion stream of ``pieces``, the last one with ``finish_reason: stop``."""
    events = [
        sse_event(
            {
                "object": "text_completion",
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "text": piece,
                        "finish_reason": "stop" if k == len(pieces) - 1 and done else None,
                    }
                ],
            }
        )
        for k, piece in enumerate(pieces)
    ]
    return [*events, DONE_EVENT] if done else events


def error_event(message: str, code: str = "overloaded") -> str:
    """An error object in the middle of a stream, the way xAI sends one."""
    return sse_event({"error": {"message": message, "type": "server_error", "code": code}})


def redact(key: str) -> str:
    """Redact a key the way xAI's error message does: first 2 + '***' + last 2."""
    return f"{key[:2]}***{key[-2:]}"


def flat_error(code: str, message: str) -> dict[str, str]:
    """An error body in xAI's flat shape: ``{"code": ..., "error": ...}``."""
    return {"code": code, "error": message}


def fake_embedding(text: str, dim: int) -> list[float]:
    """A deterministic unit vector derived from sha256(text), exactly representable in float32."""
    seed = b"".join(hashlib.sha256(f"{i}:{text}".encode()).digest() for i in range(dim // 8 + 1))
    vals = [int.from_bytes(seed[4 * i : 4 * i + 4], "little") / 2**31 - 1.0 for i in range(dim)]
    norm = sum(v * v for v in vals) ** 0.5 or 1.0
    return list(struct.unpack(f"<{dim}f", struct.pack(f"<{dim}f", *(v / norm for v in vals))))


#: The local backend's catalog as issue 13's contract has it: an instruct chat model (first), a
#: base model and an embedding model, each saying what it is for and what it can do.
LOCAL_CATALOG: list[dict[str, Any]] = [
    {
        "id": "qwen2.5-coder-0.5b-instruct",
        "kind": "chat",
        "description": "Instruction-tuned chat model (0.5B, runs here): answers questions, "
        "can be wrong.",
        "context_length": 4096,
        "capabilities": {"reasoning_effort": [], "default_reasoning_effort": None, "tools": False},
    },
    {
        "id": "gemma-3-270m",
        "kind": "base",
        "description": "Base model (270M, runs here): continues text; best for raw completions.",
        "context_length": 4096,
        "capabilities": {"reasoning_effort": [], "default_reasoning_effort": None, "tools": False},
    },
    {
        "id": "all-minilm-l6-v2",
        "kind": "embedding",
        "description": "Sentence embeddings (384 dimensions, runs here).",
    },
]


def catalog_lists(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The bodies of ``/v1/models``, ``/v1/language-models`` and ``/v1/embedding-models`` for
    ``entries`` (each an id plus any of kind, description, context_length, capabilities): every
    entry on ``/v1/models``, the text ones (zero prices, ``max_prompt_length``) and the embedding
    ones on their own lists."""
    listed = [{"object": "model", "owned_by": "local", "created": 0, **e} for e in entries]
    text = [e for e in listed if e.get("kind") != "embedding"]
    zero = {"prompt_text_token_price": 0, "completion_text_token_price": 0}
    return {
        "/v1/models": {"object": "list", "data": listed},
        "/v1/language-models": {
            "models": [
                {
                    **e,
                    **zero,
                    "input_modalities": ["text"],
                    "output_modalities": ["text"],
                    "max_prompt_length": e.get("context_length"),
                }
                for e in text
            ]
        },
        "/v1/embedding-models": {
            "models": [
                {**e, "prompt_text_token_price": 0, "input_modalities": ["text"]}
                for e in listed
                if e.get("kind") == "embedding"
            ]
        },
    }


def token_logprobs(text: str, top: int) -> list[dict[str, Any]]:
    """Chat ``logprobs.content`` items for ``text``, one per word piece, with ``top``
    alternatives each (the piece itself first). Deterministic: each piece's probability comes
    from its digest (0.30 to 0.99), the alternatives share part of the rest, so every position's
    probabilities add up to at most 1."""
    pieces = [piece for piece in text.replace(" ", "\x00 ").split("\x00") if piece] or [text]
    items = []
    for piece in pieces:
        p = 0.30 + 0.69 * hashlib.sha256(piece.encode()).digest()[0] / 255
        alternatives = [(piece, p)] + [
            (f"{piece}~{k}", (1 - p) / 2**k) for k in range(1, max(top, 1))
        ]
        top_items = [
            {"token": token, "logprob": math.log(q), "bytes": list(token.encode())}
            for token, q in alternatives[:top]
        ]
        items.append(
            {
                "token": piece,
                "logprob": math.log(p),
                "bytes": list(piece.encode()),
                "top_logprobs": top_items,
            }
        )
    return items


def with_chat_logprobs(obj: dict[str, Any], top: int) -> dict[str, Any]:
    """A chat completion or chunk with ``logprobs.content`` on every choice that brings text
    (as xAI answers ``logprobs: true``, ``top_logprobs: top``)."""
    choices = []
    for choice in obj.get("choices") or []:
        message = choice.get("delta") or choice.get("message") or {}
        text = message.get("content")
        if isinstance(text, str) and text:
            choice = {**choice, "logprobs": {"content": token_logprobs(text, top)}}
        choices.append(choice)
    return {**obj, "choices": choices}
