"""xai_core: a small typed client for the xAI REST API (and other OpenAI-compatible servers).

It never imports Streamlit, so it works the same from a notebook::

    from xai_core import XaiClient
    client = XaiClient()                      # XAI_API_KEY, XAI_BASE_URL from the environment
    with client.stream_chat(model="grok-4.3", messages=[{"role": "user", "content": "Hi"}]) as s:
        for text in s.text_stream():
            print(text, end="")
    print(s.result.usage, s.stats)

The Responses API (xAI's recommended one) streams typed events and adds them up into a
``Response``: text, reasoning summary, server-side tool calls with their queries and sources,
citations, usage with the billed ticks::

    with client.stream_response(model="grok-4.3", input="Who founded xAI?",
                                tools=[{"type": "web_search"}]) as s:
        for text in s.text_stream():
            print(text, end="")
    r = s.result                              # kept even when the stream raised
    for call in r.server_tool_calls:
        print(call.kind, call.query, call.sources)
    print(r.citations, r.usage.as_usage() if r.usage else None)
    nxt = client.create_response(model="grok-4.3", previous_response_id=r.id, input="And when?")
    # stateless: store=False, include=["reasoning.encrypted_content"],
    #            input=[*r.replay_items(), {"role": "user", "content": "And when?"}]
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
    ResponseIncompleteError,
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
    ResponseInput,
    ResponseParams,
    chat_body,
    completion_body,
    responses_body,
)
from xai_core._response_events import (
    ResponseAnnotationEvent,
    ResponseArgumentsDeltaEvent,
    ResponseArgumentsDoneEvent,
    ResponseContentPartEvent,
    ResponseErrorEvent,
    ResponseEvent,
    ResponseItemEvent,
    ResponseLifecycleEvent,
    ResponseSummaryPartEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseToolProgressEvent,
)
from xai_core._response_items import (
    Annotation,
    Citation,
    CodeInterpreterCallItem,
    CustomToolCallItem,
    FileSearchCallItem,
    FunctionCallItem,
    ImageGenerationCallItem,
    McpCallItem,
    MessageItem,
    OutputContent,
    OutputItem,
    OutputItemBase,
    ReasoningItem,
    ServerToolCall,
    SummaryText,
    UnknownItem,
    WebSearchAction,
    WebSearchCallItem,
    XSearchCallItem,
)
from xai_core._response_stream import ResponseAccumulator, ResponseStream
from xai_core._responses import (
    DeletedResponse,
    InputItemList,
    Response,
    ResponseError,
    ResponseUsage,
    TextToken,
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
    "Annotation",
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
    "Citation",
    "CodeInterpreterCallItem",
    "Completion",
    "CompletionChoice",
    "CompletionChunk",
    "CompletionLogprobs",
    "CompletionParams",
    "CompletionStream",
    "CostBreakdown",
    "CustomToolCallItem",
    "DeletedResponse",
    "EmbeddingData",
    "EmbeddingModel",
    "EmbeddingParams",
    "EmbeddingResponse",
    "FileSearchCallItem",
    "FunctionCallItem",
    "Generation",
    "ImageGenerationCallItem",
    "InputItemList",
    "InternalServerError",
    "InvalidResponseError",
    "LanguageModel",
    "McpCallItem",
    "Message",
    "MessageItem",
    "Model",
    "ModelCapabilities",
    "ModelPrices",
    "NotFoundError",
    "OutputContent",
    "OutputItem",
    "OutputItemBase",
    "PermissionDeniedError",
    "RateLimitError",
    "ReasoningItem",
    "Response",
    "ResponseAccumulator",
    "ResponseAnnotationEvent",
    "ResponseArgumentsDeltaEvent",
    "ResponseArgumentsDoneEvent",
    "ResponseContentPartEvent",
    "ResponseError",
    "ResponseErrorEvent",
    "ResponseEvent",
    "ResponseIncompleteError",
    "ResponseInput",
    "ResponseItemEvent",
    "ResponseLifecycleEvent",
    "ResponseParams",
    "ResponseStream",
    "ResponseSummaryPartEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseToolProgressEvent",
    "ResponseUsage",
    "ServerToolCall",
    "Stream",
    "StreamStats",
    "SummaryText",
    "TextToken",
    "TokenLogprob",
    "ToolCall",
    "ToolCallFunction",
    "TopLogprob",
    "UnknownItem",
    "UnprocessableEntityError",
    "Usage",
    "WebSearchAction",
    "WebSearchCallItem",
    "XSearchCallItem",
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
    "responses_body",
    "ticks_to_usd",
    "timeout_from_env",
    "tool_fees_in_ticks",
    "usd_per_million",
]
