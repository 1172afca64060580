"""OpenAI/xAI-shaped requests and answers, translated for llama.cpp (pure functions).

A request is the body a client sent to ``/v1/chat/completions`` or ``/v1/completions``;
:func:`map_request` makes the one-choice request llama.cpp takes. Answers come back with chat-style
logprobs, which :func:`to_completion_logprobs` turns into the completions format; errors (dicts or
exceptions) become :class:`LLMError` with the status the client should see.
"""

from __future__ import annotations

import uuid
from typing import Any

__all__ = [
    "LLMError",
    "echo_prefix",
    "map_request",
    "new_id",
    "requested_top_k",
    "sum_usage",
    "to_completion_logprobs",
    "to_error",
    "trim_chat_logprobs",
    "usage",
    "with_banned",
]

Json = dict[str, Any]

OBJECT: Json = {"type": "object"}  # the JSON schema of "any object"
# Handled by the engine or meaningless to llama.cpp: never forwarded as given.
_DROP = {"model", "n", "stream", "stream_options", "echo", "suffix", "user"}


class LLMError(Exception):
    """A failed request: ``status`` is 400 (bad request, prompt too long) or 500."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def to_completion_logprobs(content: list[Json], start_offset: int, top: int | None = None) -> Json:
    """Convert chat-style ``logprobs.content`` to the legacy completions logprobs format.

    ``text_offset`` counts characters from the start of the prompt (OpenAI style), so the first
    generated token sits at ``start_offset`` (``len(prompt)``). ``top`` trims each top dict.
    """
    out: Json = {"tokens": [], "token_logprobs": [], "top_logprobs": [], "text_offset": []}
    pos = start_offset
    for item in content:
        token = str(item.get("token", ""))
        out["tokens"].append(token)
        out["token_logprobs"].append(item.get("logprob"))
        tops = (item.get("top_logprobs") or [])[:top]
        out["top_logprobs"].append({t["token"]: t["logprob"] for t in tops})
        out["text_offset"].append(pos)
        pos += len(token)
    return out


def trim_chat_logprobs(logprobs: Json, top_n: int) -> Json:
    """Keep ``top_n`` alternatives per token and drop llama.cpp's extra ``id`` fields."""

    def strip(d: Json) -> Json:
        return {k: v for k, v in d.items() if k != "id"}

    content = [
        strip(item) | {"top_logprobs": [strip(t) for t in item.get("top_logprobs") or []][:top_n]}
        for item in logprobs.get("content") or []
    ]
    return {"content": content}


def map_request(request: Json, kind: str, *, banned: tuple[int, ...] = ()) -> Json:
    """Translate one OpenAI-shaped body (``kind`` "chat" or "completion") for llama.cpp.

    Returns a single-choice, non-streaming request; the token ids in ``banned`` are never sampled
    (added to the client's ``logit_bias``). Raises :class:`LLMError` (400) for requests the local
    model cannot serve, ``tools`` among them.
    """
    req = {k: v for k, v in request.items() if k not in _DROP and v is not None}
    if banned or "logit_bias" in req:
        req["logit_bias"] = with_banned(req.get("logit_bias"), banned)
    if req.get("max_completion_tokens") is not None:
        req["max_tokens"] = req.pop("max_completion_tokens")
    if kind == "chat":
        if not isinstance(request.get("messages"), list) or not request["messages"]:
            raise LLMError(400, "'messages' must be a non-empty list")
        if req.get("tools") or req.get("tool_choice"):
            raise LLMError(
                400,
                "The local model does not support tool calling (it writes no structured tool "
                "calls): send the request without 'tools' and 'tool_choice'.",
            )
        for empty in ("tools", "tool_choice"):  # [] or "": nothing to refuse, nothing to forward
            req.pop(empty, None)
        _check_text_only(request["messages"])
        top = req.pop("top_logprobs", 0)
        if req.pop("logprobs", False):  # llama.cpp returns no logprobs at all for top_logprobs=0
            req |= {"logprobs": True, "top_logprobs": max(1, int(top))}
    else:
        prompt = request.get("prompt")
        if isinstance(prompt, list) and len(prompt) == 1:
            prompt = prompt[0]
        if not isinstance(prompt, str):
            raise LLMError(400, "'prompt' must be a string (lists of prompts are not supported)")
        req["prompt"] = prompt
        k = req.pop("logprobs", None)
        if k is not None and k is not False:  # an int; llama.cpp returns nothing for 0
            req["logprobs"] = max(1, int(k))
        rf = _response_format(req.pop("response_format", None))  # completions ignore it
        if rf.get("type") == "json_object":
            req["json_schema"] = dict(OBJECT)
        elif rf.get("type") == "json_schema":
            schema = _response_format(rf.get("json_schema")).get("schema")
            req["json_schema"] = schema if isinstance(schema, dict) and schema else dict(OBJECT)
    if _response_format(req.get("response_format")).get("type") == "text":
        del req["response_format"]
    return req


def with_banned(logit_bias: Any, banned: tuple[int, ...]) -> list[list[Any]]:
    """The client's ``logit_bias`` (OpenAI's ``{"token id": bias}`` or llama.cpp's pairs) as
    llama.cpp's ``[[token, bias], ...]``, followed by ``[id, False]`` (never) for each banned id;
    llama.cpp adds the biases up, so a banned token stays banned whatever the client asked."""
    pairs: list[list[Any]] = []
    if isinstance(logit_bias, dict):
        for key, bias in logit_bias.items():
            token: Any = int(key) if str(key).lstrip("-").isdigit() else str(key)
            pairs.append([token, bias])
    elif isinstance(logit_bias, list):
        pairs = [list(pair) for pair in logit_bias if isinstance(pair, list | tuple)]
    return pairs + [[token_id, False] for token_id in banned]


def _response_format(value: Any) -> Json:
    """``response_format`` (or its ``json_schema``) as an object; anything else is a 400."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LLMError(400, 'response_format must be an object, e.g. {"type": "json_object"}')
    return value


def _check_text_only(messages: list[Any]) -> None:
    """Refuse content parts other than text (the local model has no image input)."""
    for number, message in enumerate(messages, start=1):
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else []:
            kind = part.get("type") if isinstance(part, dict) else None
            if kind != "text":
                raise LLMError(
                    400,
                    f"The local model reads text only: message {number} has a "
                    f"{kind or 'untyped'} content part. Send text parts only.",
                )


def usage(prompt: int, completion: int, cached: int = 0) -> Json:
    """xAI's chat/completions ``Usage``: token counts with their (text-only) details, and a
    cost of zero ticks (the local models are free)."""
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {
            "text_tokens": prompt,
            "audio_tokens": 0,
            "image_tokens": 0,
            "cached_tokens": min(cached, prompt),
        },
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
        "num_sources_used": 0,
        "cost_in_usd_ticks": 0,
    }


def sum_usage(usages: list[Json | None]) -> Json:
    """Usage of n choices: the prompt counted once (OpenAI semantics), completions summed."""
    found = [u for u in usages if u]
    first = found[0] if found else {}
    cached = int((first.get("prompt_tokens_details") or {}).get("cached_tokens", 0))
    done = sum(int(u.get("completion_tokens", 0)) for u in found)
    return usage(int(first.get("prompt_tokens", 0)), done, cached)


def to_error(payload: Any) -> LLMError:
    """Turn an xllamacpp error dict (``{"error": {...}}``) or exception into an LLMError."""
    if isinstance(payload, LLMError):
        return payload
    if isinstance(payload, ValueError):
        # llama.cpp's std::invalid_argument while reading the request (a message without
        # content, an unknown response_format type): the request's fault.
        return LLMError(400, f"The local model cannot take this request: {payload}")
    if isinstance(payload, BaseException):
        return LLMError(500, f"llama.cpp error: {payload}")
    err = payload.get("error", payload) if isinstance(payload, dict) else payload
    if not isinstance(err, dict):
        return LLMError(500, f"llama.cpp error: {err}")
    if err.get("type") == "exceed_context_size_error":
        return LLMError(
            400,
            f"This model's context is {err.get('n_ctx')} tokens; the prompt has "
            f"{err.get('n_prompt_tokens')} tokens. Shorten the prompt or the conversation.",
        )
    code, message = err.get("code"), str(err.get("message") or err)
    return LLMError(400 if isinstance(code, int) and 400 <= code < 500 else 500, message)


def new_id(kind: str) -> str:
    return f"{'chatcmpl' if kind == 'chat' else 'cmpl'}-{uuid.uuid4().hex}"


def requested_top_k(kind: str, request: Json) -> int:
    """How many alternatives per token the client asked for."""
    return int(request.get("top_logprobs" if kind == "chat" else "logprobs") or 0)


def echo_prefix(kind: str, request: Json) -> str | None:
    """The prompt to put before the completion text when a completions request asks for echo."""
    if kind != "completion" or not request.get("echo"):
        return None
    prompt = request.get("prompt")
    return prompt[0] if isinstance(prompt, list) else prompt
