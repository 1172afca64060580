"""The events of a Responses stream, typed by their ``type``; unknown types kept whole.

Each event is a pydantic model that keeps every field it came with. An event type this client
does not know parses as the base :class:`ResponseEvent` (its fields kept as extras), so a stream
with new event types still reads, and the caller sees them.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from xai_core._base import XaiModel
from xai_core._response_items import Annotation, OutputContent, OutputItem, SummaryText
from xai_core._responses import Response

__all__ = [
    "TERMINAL_EVENTS",
    "ResponseAnnotationEvent",
    "ResponseArgumentsDeltaEvent",
    "ResponseArgumentsDoneEvent",
    "ResponseContentPartEvent",
    "ResponseErrorEvent",
    "ResponseEvent",
    "ResponseItemEvent",
    "ResponseLifecycleEvent",
    "ResponseSummaryPartEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseToolProgressEvent",
    "event_class",
    "parse_event",
]

#: The events that end a response, each carrying the whole response.
TERMINAL_EVENTS = frozenset({"response.completed", "response.incomplete", "response.failed"})


class ResponseEvent(XaiModel):
    """Any stream event: ``type`` and ``sequence_number``, every other field kept."""

    type: str
    sequence_number: int | None = None


class ResponseLifecycleEvent(ResponseEvent):
    """``response.created`` / ``in_progress`` / ``completed`` / ``incomplete`` / ``failed``."""

    response: Response = Field(default_factory=Response)


class _ItemRef(ResponseEvent):
    item_id: str | None = None
    output_index: int = 0


class ResponseItemEvent(ResponseEvent):
    """``response.output_item.added`` / ``.done``: the whole item (with, on ``done``, what was
    streamed and, for reasoning, ``encrypted_content``)."""

    output_index: int = 0
    item: OutputItem


class ResponseContentPartEvent(_ItemRef):
    """``response.content_part.added`` / ``.done``."""

    content_index: int = 0
    part: OutputContent = Field(default_factory=OutputContent)


class ResponseSummaryPartEvent(_ItemRef):
    """``response.reasoning_summary_part.added`` / ``.done``."""

    summary_index: int = 0
    part: SummaryText = Field(default_factory=SummaryText)


class ResponseTextDeltaEvent(_ItemRef):
    """A piece of text: ``output_text.delta``, ``reasoning_summary_text.delta``,
    ``reasoning_text.delta``, ``refusal.delta``."""

    delta: str = ""
    content_index: int = 0
    summary_index: int = 0


class ResponseTextDoneEvent(_ItemRef):
    """The whole text of a part: ``output_text.done``, ``reasoning_summary_text.done`` ..."""

    text: str = ""
    content_index: int = 0
    summary_index: int = 0


class ResponseAnnotationEvent(_ItemRef):
    """``response.output_text.annotation.added``: a citation on a text part."""

    content_index: int = 0
    annotation_index: int = 0
    annotation: Annotation = Field(default_factory=Annotation)


class ResponseArgumentsDeltaEvent(_ItemRef):
    """A piece of a call's input: ``function_call_arguments.delta``,
    ``custom_tool_call_input.delta``, ``mcp_call_arguments.delta``, ``code_interpreter_call_code
    .delta``."""

    delta: str = ""


class ResponseArgumentsDoneEvent(_ItemRef):
    """The whole input of a call: ``arguments`` (function, MCP), ``input`` (custom tool) or
    ``code`` (code interpreter); ``name`` when the server says it."""

    arguments: str | None = None
    input: str | None = None
    code: str | None = None
    name: str | None = None


class ResponseToolProgressEvent(_ItemRef):
    """``response.<tool>_call.<phase>``: a server-side call's progress (``in_progress``,
    ``searching``, ``executing``, ``generating``, ``completed``, ``failed`` ...)."""

    @property
    def phase(self) -> str:
        return self.type.rsplit(".", 1)[-1]


class ResponseErrorEvent(ResponseEvent):
    """``error``: the stream failed (``code``, ``message``, ``param``)."""

    code: str | int | None = None
    message: str | None = None
    param: str | None = None


_EVENT_TYPES: dict[str, type[ResponseEvent]] = {
    "response.created": ResponseLifecycleEvent,
    "response.in_progress": ResponseLifecycleEvent,
    "response.queued": ResponseLifecycleEvent,
    "response.completed": ResponseLifecycleEvent,
    "response.incomplete": ResponseLifecycleEvent,
    "response.failed": ResponseLifecycleEvent,
    "response.output_item.added": ResponseItemEvent,
    "response.output_item.done": ResponseItemEvent,
    "response.content_part.added": ResponseContentPartEvent,
    "response.content_part.done": ResponseContentPartEvent,
    "response.reasoning_summary_part.added": ResponseSummaryPartEvent,
    "response.reasoning_summary_part.done": ResponseSummaryPartEvent,
    "response.output_text.delta": ResponseTextDeltaEvent,
    "response.output_text.done": ResponseTextDoneEvent,
    "response.refusal.delta": ResponseTextDeltaEvent,
    "response.refusal.done": ResponseTextDoneEvent,
    "response.reasoning_summary_text.delta": ResponseTextDeltaEvent,
    "response.reasoning_summary_text.done": ResponseTextDoneEvent,
    "response.reasoning_text.delta": ResponseTextDeltaEvent,
    "response.reasoning_text.done": ResponseTextDoneEvent,
    "response.output_text.annotation.added": ResponseAnnotationEvent,
    "response.function_call_arguments.delta": ResponseArgumentsDeltaEvent,
    "response.function_call_arguments.done": ResponseArgumentsDoneEvent,
    "response.custom_tool_call_input.delta": ResponseArgumentsDeltaEvent,
    "response.custom_tool_call_input.done": ResponseArgumentsDoneEvent,
    "response.mcp_call_arguments.delta": ResponseArgumentsDeltaEvent,
    "response.mcp_call_arguments.done": ResponseArgumentsDoneEvent,
    "response.code_interpreter_call_code.delta": ResponseArgumentsDeltaEvent,
    "response.code_interpreter_call_code.done": ResponseArgumentsDoneEvent,
    "error": ResponseErrorEvent,
}


def event_class(kind: str) -> type[ResponseEvent]:
    """The model for an event ``type``: a known one, a tool call's progress, else the base."""
    known = _EVENT_TYPES.get(kind)
    if known is not None:
        return known
    head, _, _phase = kind.rpartition(".")
    if head.startswith("response.") and head.endswith("_call") and "." not in head[9:]:
        return ResponseToolProgressEvent
    return ResponseEvent


def parse_event(payload: dict[str, Any]) -> ResponseEvent:
    """The typed event for one decoded JSON payload (which must have a string ``type``)."""
    return event_class(payload["type"]).model_validate(payload)
