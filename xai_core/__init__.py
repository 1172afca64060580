"""xai_core: a small typed client for the xAI REST API (and other OpenAI-compatible servers).

It never imports Streamlit, so it works the same from a notebook::

    from xai_core import XaiClient
    client = XaiClient()                      # XAI_API_KEY, XAI_BASE_URL from the environment
    with client.stream_chat(model="grok-4.3", messages=[{"role": "user", "content": "Hi"}]) as s:
        for text in s.text_stream():
            print(text, end="")
    print(s.result.usage, s.stats)
"""

from __future__ import annotations

from xai_core import pricing
from xai_core._client import DEFAULT_BASE_URL, XaiClient
from xai_core._errors import (
    APIConnectionError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    XaiError,
    redact_secret,
)
from xai_core._http import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    TIMEOUT_ENV,
    new_http_client,
    timeout_from_env,
)
from xai_core._models import (
    ApiKeyInfo,
    EmbeddingModel,
    LanguageModel,
    Model,
    ModelCapabilities,
)
from xai_core._params import (
    ChatParams,
    CompletionParams,
    EmbeddingParams,
    Message,
    chat_body,
    completion_body,
)
from xai_core._retry import MAX_RETRY_AFTER_S, MAX_TOTAL_RETRY_WAIT_S
from xai_core._streaming import ChatStream, CompletionStream, Stream, StreamStats
from xai_core._types import (
    ChatChoice,
    ChatCompletion,
    ChatCompletionChunk,
    ChatDelta,
    ChatLogprobs,
    ChatMessage,
    Completion,
    CompletionChoice,
    CompletionChunk,
    CompletionLogprobs,
    EmbeddingData,
    EmbeddingResponse,
    Generation,
    TokenLogprob,
    ToolCall,
    ToolCallFunction,
    TopLogprob,
    Usage,
)
from xai_core.pricing import (
    TOOL_FEE_TICKS,
    CostBreakdown,
    ModelPrices,
    cost_breakdown,
    cost_in_ticks,
    cost_in_usd,
    ticks_to_usd,
    tool_fees_in_ticks,
    usd_per_million,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_RETRY_AFTER_S",
    "MAX_TOTAL_RETRY_WAIT_S",
    "TIMEOUT_ENV",
    "TOOL_FEE_TICKS",
    "APIConnectionError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "ApiKeyInfo",
    "AuthenticationError",
    "BadRequestError",
    "ChatChoice",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatDelta",
    "ChatLogprobs",
    "ChatMessage",
    "ChatParams",
    "ChatStream",
    "Completion",
    "CompletionChoice",
    "CompletionChunk",
    "CompletionLogprobs",
    "CompletionParams",
    "CompletionStream",
    "CostBreakdown",
    "EmbeddingData",
    "EmbeddingModel",
    "EmbeddingParams",
    "EmbeddingResponse",
    "Generation",
    "InternalServerError",
    "InvalidResponseError",
    "LanguageModel",
    "Message",
    "Model",
    "ModelCapabilities",
    "ModelPrices",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Stream",
    "StreamStats",
    "TokenLogprob",
    "ToolCall",
    "ToolCallFunction",
    "TopLogprob",
    "UnprocessableEntityError",
    "Usage",
    "XaiClient",
    "XaiError",
    "chat_body",
    "completion_body",
    "cost_breakdown",
    "cost_in_ticks",
    "cost_in_usd",
    "new_http_client",
    "pricing",
    "redact_secret",
    "ticks_to_usd",
    "timeout_from_env",
    "tool_fees_in_ticks",
    "usd_per_million",
]
