"""What other OpenAI-compatible servers send, read into the shapes this client promises.

Pure functions on decoded JSON, called by the response types' validators (so a streamed chunk and
a whole answer are read alike):

- :func:`completion_logprobs_from_chat`: a text completion whose logprobs come in the chat format,
  ``{"content": [{"token", "logprob", "bytes", "top_logprobs"}]}`` with the completions lists
  empty or absent (llama.cpp's own server), becomes the completions format (``tokens``,
  ``token_logprobs``, ``top_logprobs`` as ``{token: logprob}``, ``text_offset``). llama.cpp's
  ``post_sampling_probs`` spelling (``prob``, ``top_probs``) is read too.
- :func:`merged_reasoning`: ``reasoning`` (vLLM, Ollama, OpenRouter) and ``reasoning_content``
  (xAI, DeepSeek, llama.cpp) in a message or a delta become the one ``reasoning_content``, taken
  once when a server sends both.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["completion_logprobs_from_chat", "merged_reasoning"]

_COMPLETION_LISTS = ("tokens", "token_logprobs", "top_logprobs", "text_offset")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _logprob(item: dict[str, Any]) -> float | None:
    """``logprob``, else the log of ``prob`` (a probability of 0 has no logprob: ``None``)."""
    logprob = _number(item.get("logprob"))
    if logprob is not None:
        return logprob
    prob = _number(item.get("prob"))
    return math.log(prob) if prob is not None and prob > 0 else None


def _alternatives(item: dict[str, Any]) -> dict[str, float]:
    """``{token: logprob}`` of an entry's alternatives, most likely first; a token that comes
    twice (two ids decoding to the same text) keeps its first, likeliest, value."""
    found: dict[str, float] = {}
    alternatives = item.get("top_logprobs")
    if alternatives is None:
        alternatives = item.get("top_probs")
    for alternative in alternatives if isinstance(alternatives, list) else []:
        if not isinstance(alternative, dict) or "token" not in alternative:
            continue
        logprob = _logprob(alternative)
        if logprob is not None:
            found.setdefault(str(alternative["token"]), logprob)
    return found


def completion_logprobs_from_chat(data: Any) -> dict[str, Any] | None:
    """``data`` (a completion choice's ``logprobs``) in the completions format when it came in
    the chat format; ``None`` when it needs no conversion.

    ``text_offset`` then counts characters from the start of this piece of generated text (the
    server does not say where the prompt ends); a stream's accumulator shifts each chunk's
    offsets by the text before it. Other fields the server sent are kept.
    """
    if not isinstance(data, dict) or any(data.get(name) for name in ("tokens", "token_logprobs")):
        return None
    content = data.get("content")
    if not isinstance(content, list):
        return None
    tokens: list[str] = []
    token_logprobs: list[float | None] = []
    top_logprobs: list[dict[str, float] | None] = []
    text_offset: list[int] = []
    offset = 0
    for item in content:
        if not isinstance(item, dict):
            continue
        token = str(item.get("token") or "")
        tokens.append(token)
        token_logprobs.append(_logprob(item))
        top_logprobs.append(_alternatives(item))
        text_offset.append(offset)
        offset += len(token)
    rest = {k: v for k, v in data.items() if k != "content" and k not in _COMPLETION_LISTS}
    return {
        **rest,
        "tokens": tokens,
        "token_logprobs": token_logprobs,
        "top_logprobs": top_logprobs,
        "text_offset": text_offset,
    }


def merged_reasoning(data: Any) -> Any:
    """A message or delta with its reasoning text under ``reasoning_content`` only: the first of
    ``reasoning_content`` and ``reasoning`` that holds text (``reasoning`` is dropped, so the text
    is never kept twice). Anything else is returned as it came."""
    if not isinstance(data, dict) or "reasoning" not in data:
        return data
    other = data["reasoning"]
    if other is not None and not isinstance(other, str):
        return data  # not a reasoning text (some other server's object): left as an extra field
    merged = {k: v for k, v in data.items() if k != "reasoning"}
    if not merged.get("reasoning_content") and other:
        merged["reasoning_content"] = other
    return merged
