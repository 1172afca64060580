"""Request parameters: every optional field of each request body, and the rule that what the caller
did not set is not sent (reasoning models reject some fields outright, so ``None`` means absent)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

__all__ = [
    "ChatParams",
    "CompletionParams",
    "EmbeddingParams",
    "ResponseInput",
    "ResponseParams",
    "build_body",
    "chat_body",
    "completion_body",
    "responses_body",
]

Message = dict[str, Any]
#: ``input`` of ``POST /v1/responses``: a text, or a list of items (messages, earlier output
#: items, ``function_call_output`` ...).
ResponseInput = str | Sequence[Mapping[str, Any]]


class ChatParams(TypedDict, total=False):
    """Optional fields of ``POST /v1/chat/completions`` (``model``, ``messages`` are arguments)."""

    frequency_penalty: float | None
    logit_bias: dict[str, float] | None
    logprobs: bool | None
    max_tokens: int | None
    max_completion_tokens: int | None
    n: int | None
    presence_penalty: float | None
    reasoning_effort: str | None
    response_format: dict[str, Any] | None
    seed: int | None
    stop: str | list[str] | None
    stream_options: dict[str, Any] | None
    temperature: float | None
    tool_choice: str | dict[str, Any] | None
    tools: list[dict[str, Any]] | None
    top_logprobs: int | None
    top_p: float | None
    user: str | None


class CompletionParams(TypedDict, total=False):
    """Optional fields of ``POST /v1/completions`` (``model`` and ``prompt`` are arguments)."""

    best_of: int | None
    echo: bool | None
    frequency_penalty: float | None
    logit_bias: dict[str, float] | None
    logprobs: int | None
    max_tokens: int | None
    n: int | None
    presence_penalty: float | None
    seed: int | None
    stop: str | list[str] | None
    stream_options: dict[str, Any] | None
    suffix: str | None
    temperature: float | None
    top_p: float | None
    user: str | None


class EmbeddingParams(TypedDict, total=False):
    """Optional fields of ``POST /v1/embeddings`` (``model`` and ``input`` are arguments)."""

    dimensions: int | None
    encoding_format: str | None
    user: str | None


class ResponseParams(TypedDict, total=False):
    """Optional fields of ``POST /v1/responses`` (``model`` and ``input`` are arguments).

    xAI-only: ``max_turns`` (agentic tool turns), ``reasoning_effort`` (used when ``reasoning``
    is unset), ``top_k``, ``min_p``. ``instructions`` cannot go with ``previous_response_id``.
    """

    instructions: str | None
    previous_response_id: str | None
    store: bool | None
    temperature: float | None
    top_p: float | None
    max_output_tokens: int | None
    max_turns: int | None
    reasoning: dict[str, Any] | None
    reasoning_effort: str | None
    include: list[str] | None
    parallel_tool_calls: bool | None
    tool_choice: str | dict[str, Any] | None
    tools: list[dict[str, Any]] | None
    text: dict[str, Any] | None
    logprobs: bool | None
    top_logprobs: int | None
    prompt_cache_key: str | None
    service_tier: str | None
    user: str | None
    seed: int | None
    top_k: int | None
    min_p: float | None


def build_body(
    required: Mapping[str, Any],
    params: Mapping[str, Any],
    allowed: type[Any],
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON body: the required fields, then each parameter that is set (not ``None``).

    An unknown parameter name is a programming error and raises ``TypeError`` naming it; fields the
    client does not know yet can still be sent through ``extra_body``.
    """
    known = allowed.__annotations__
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise TypeError(f"Unknown request parameter(s) {unknown}; known: {sorted(known)}")
    body = dict(required)
    body.update({name: value for name, value in params.items() if value is not None})
    if extra_body:
        body.update(extra_body)
    return body


def chat_body(
    model: str,
    messages: Sequence[Message],
    params: Mapping[str, Any],
    *,
    stream: bool,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The exact JSON body of ``POST /chat/completions`` as :class:`XaiClient` sends it.

    Parameters left ``None`` are dropped; an unknown name raises ``TypeError``. A streaming body
    asks for usage (``stream_options.include_usage``) unless ``params`` name ``stream_options``.
    """
    return _generation_body(
        {"model": model, "messages": list(messages)}, params, ChatParams, stream, extra_body
    )


def completion_body(
    model: str,
    prompt: str | Sequence[str],
    params: Mapping[str, Any],
    *,
    stream: bool,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The exact JSON body of ``POST /completions`` as :class:`XaiClient` sends it; see
    :func:`chat_body`."""
    return _generation_body(
        {"model": model, "prompt": as_list_or_str(prompt)},
        params,
        CompletionParams,
        stream,
        extra_body,
    )


def responses_body(
    model: str,
    input: ResponseInput,
    params: Mapping[str, Any],
    *,
    stream: bool,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The exact JSON body of ``POST /responses`` as :class:`XaiClient` sends it: parameters
    left ``None`` are dropped, an unknown name raises ``TypeError``, ``extra_body`` goes last."""
    items: str | list[Any] = input if isinstance(input, str) else [dict(i) for i in input]
    required: dict[str, Any] = {"model": model, "input": items}
    if stream:
        required["stream"] = True
    return build_body(required, params, ResponseParams, extra_body)


def as_list_or_str(value: str | Sequence[str]) -> str | list[str]:
    """A prompt or embedding input as JSON takes it: one string, or a list of strings."""
    return value if isinstance(value, str) else list(value)


def _generation_body(
    required: dict[str, Any],
    params: Mapping[str, Any],
    allowed: type[Any],
    stream: bool,
    extra_body: Mapping[str, Any] | None,
) -> dict[str, Any]:
    if not stream:
        return build_body(required, params, allowed, extra_body)
    params = {**params}
    params.setdefault("stream_options", {"include_usage": True})
    return build_body({**required, "stream": True}, params, allowed, extra_body)
