"""The Responses API's objects: a response, its usage, and the small answers of the other routes.

A :class:`Response` is what ``POST /v1/responses`` answers (and what a stream adds up to): typed
output items (see :mod:`xai_core._response_items`), usage with xAI's tool counters and cost, and
readers for what a page shows: the text, the reasoning summary, function calls, server-side tool
calls with their queries and sources, citations, and the items to resend for a stateless turn.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from xai_core._base import XaiModel
from xai_core._response_items import (
    Citation,
    FunctionCallItem,
    MessageItem,
    OutputItem,
    OutputItemBase,
    ReasoningItem,
    ServerToolCall,
    server_tool_call,
)
from xai_core._types import CompletionTokensDetails, PromptTokensDetails, Usage

__all__ = [
    "DeletedResponse",
    "InputItemList",
    "InputTokensDetails",
    "OutputTokensDetails",
    "Response",
    "ResponseError",
    "ResponseUsage",
    "TextToken",
]

#: Item statuses ``input`` takes back; others (``searching``, ``failed`` ...) are left out.
REPLAYABLE_STATUSES = frozenset({"completed", "in_progress", "incomplete"})


class InputTokensDetails(XaiModel):
    cached_tokens: int | None = None


class OutputTokensDetails(XaiModel):
    reasoning_tokens: int | None = None


class ResponseUsage(XaiModel):
    """Usage of a response. ``input_tokens`` includes the cached ones, ``output_tokens`` the
    reasoning ones, and ``total_tokens`` = input + output. ``cost_in_usd_ticks`` (1 USD =
    10^10 ticks) is the billed amount, tool fees and cache discounts included."""

    input_tokens: int = 0
    input_tokens_details: InputTokensDetails | None = None
    output_tokens: int = 0
    output_tokens_details: OutputTokensDetails | None = None
    total_tokens: int = 0
    num_sources_used: int | None = None
    num_server_side_tools_used: int | None = None
    server_side_tool_usage_details: dict[str, int] | None = None
    cost_in_usd_ticks: int | None = None

    @property
    def cached_tokens(self) -> int:
        details = self.input_tokens_details
        return (details.cached_tokens or 0) if details else 0

    @property
    def reasoning_tokens(self) -> int:
        details = self.output_tokens_details
        return (details.reasoning_tokens or 0) if details else 0

    def as_usage(self) -> Usage:
        """The chat-shaped :class:`Usage` every page prices and shows: prompt = input,
        completion = output (reasoning inside, so total = prompt + completion), the details,
        the ticks and the server-side tool counters."""
        tools: dict[str, Any] = {
            "num_server_side_tools_used": self.num_server_side_tools_used,
            "server_side_tool_usage_details": (
                dict(self.server_side_tool_usage_details)
                if self.server_side_tool_usage_details is not None
                else None
            ),
        }
        return Usage(
            prompt_tokens=self.input_tokens,
            completion_tokens=self.output_tokens,
            total_tokens=self.input_tokens + self.output_tokens,
            prompt_tokens_details=PromptTokensDetails(cached_tokens=self.cached_tokens),
            completion_tokens_details=CompletionTokensDetails(
                reasoning_tokens=self.reasoning_tokens
            ),
            num_sources_used=self.num_sources_used,
            cost_in_usd_ticks=self.cost_in_usd_ticks,
            **tools,
        )


class ResponseError(XaiModel):
    """``response.error`` of a failed response."""

    code: str | None = None
    message: str | None = None


class Response(XaiModel):
    """``POST /v1/responses`` (and ``GET /v1/responses/{id}``); unknown fields are kept."""

    id: str = ""
    object: str = "response"
    model: str = ""
    status: str | None = None
    output: list[OutputItem] = Field(default_factory=list)
    usage: ResponseUsage | None = None
    error: ResponseError | None = None
    incomplete_details: dict[str, Any] | None = None
    previous_response_id: str | None = None
    store: bool | None = None
    created_at: int | None = None
    completed_at: int | None = None

    # --- what the answer says -----------------------------------------------------------------
    def _messages(self) -> list[MessageItem]:
        return [item for item in self.output if isinstance(item, MessageItem)]

    @property
    def output_text(self) -> str:
        """All assistant message text, in order ("" when there is none)."""
        return "".join(
            part.text
            for message in self._messages()
            if message.role == "assistant"
            for part in message.content
            if part.type == "output_text"
        )

    @property
    def reasoning_summary(self) -> str:
        """The reasoning summary parts, a blank line between two ("" when there is none)."""
        parts = [
            part.text
            for item in self.output
            if isinstance(item, ReasoningItem)
            for part in item.summary
            if part.text
        ]
        return "\n\n".join(text.strip("\n") for text in parts)

    @property
    def refusal(self) -> str | None:
        """The model's refusal, when it refused."""
        texts = [
            part.refusal
            for message in self._messages()
            for part in message.content
            if part.type == "refusal" and part.refusal
        ]
        return "\n".join(texts) if texts else None

    @property
    def function_calls(self) -> list[FunctionCallItem]:
        """Calls of the caller's function tools, in order."""
        return [item for item in self.output if isinstance(item, FunctionCallItem)]

    @property
    def server_tool_calls(self) -> list[ServerToolCall]:
        """Each tool call xAI ran (web and X search, code, files, MCP, images), in order."""
        calls = (server_tool_call(item) for item in self.output)
        return [call for call in calls if call is not None]

    @property
    def citations(self) -> list[Citation]:
        """The ``url_citation`` sources of the text, each url once, in order."""
        seen: dict[str, Citation] = {}
        for message in self._messages():
            for part in message.content:
                for note in part.annotations:
                    if note.type == "url_citation" and note.url and note.url not in seen:
                        seen[note.url] = Citation(url=note.url, title=note.title)
        return list(seen.values())

    @property
    def cost_in_usd_ticks(self) -> int | None:
        """The billed cost the server reported, if it did."""
        return self.usage.cost_in_usd_ticks if self.usage is not None else None

    def replay_items(self) -> list[dict[str, Any]]:
        """The output items to resend as ``input`` for a stateless next turn: every item, in
        order (reasoning with its ``encrypted_content``), as the server sent it, without nulls
        and without item statuses ``input`` does not take."""
        return [_replayable(item) for item in self.output]


def _replayable(item: OutputItemBase) -> dict[str, Any]:
    data = item.model_dump(exclude_unset=True, exclude_none=True)
    if data.get("status") not in REPLAYABLE_STATUSES:
        data.pop("status", None)
    return data


class DeletedResponse(XaiModel):
    """``DELETE /v1/responses/{id}`` (a 204 without a body reads as deleted)."""

    id: str = ""
    object: str = "response"
    deleted: bool = True


class InputItemList(XaiModel):
    """``GET /v1/responses/{id}/input_items``: one page of the input items, each with its ``id``."""

    object: str = "list"
    data: list[dict[str, Any]] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


class TextToken(XaiModel):
    """One token of ``POST /v1/tokenize-text``."""

    token_id: int
    string_token: str = ""
    token_bytes: list[int] = Field(default_factory=list)
