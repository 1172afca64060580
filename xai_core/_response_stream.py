"""A Responses stream: its events added up into a :class:`Response`, and how the stream ends.

:class:`ResponseStream` is the chat :class:`~xai_core._streaming.Stream` (same transport, byte cap,
read timeout, key scrubbing, SSE parsing, ``close()``, ``stats``, ``text_stream()``) with the
Responses API's events and endings:

- ``response.completed`` -> ``done``;
- ``response.incomplete`` -> :class:`ResponseIncompleteError` (``.reason``);
- ``response.failed`` or an ``error`` event -> :class:`APIStreamError` with the server's message;
- the stream ends without a terminal event -> :class:`APIStreamError`.

In every case ``result`` keeps what arrived. Items are kept by ``output_index`` (several may be
open at once and finish out of order); a ``.done`` event's whole item replaces what its deltas
built (that is where ``encrypted_content`` comes); the terminal event's full response wins,
unless it brings no output (then the items streamed so far stay).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from xai_core._errors import APIStreamError, ResponseIncompleteError, error_from_body
from xai_core._http import DEFAULT_MAX_RESPONSE_BYTES
from xai_core._response_events import (
    TERMINAL_EVENTS,
    ResponseAnnotationEvent,
    ResponseArgumentsDeltaEvent,
    ResponseArgumentsDoneEvent,
    ResponseContentPartEvent,
    ResponseEvent,
    ResponseItemEvent,
    ResponseLifecycleEvent,
    ResponseSummaryPartEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseToolProgressEvent,
    event_class,
)
from xai_core._response_items import OutputItemBase, parse_item
from xai_core._responses import Response
from xai_core._streaming import Stream, not_a_stream_answer
from xai_core._types import Usage

__all__ = ["ResponseAccumulator", "ResponseStream"]

#: The key a call's streamed input fills, by item type (``arguments`` otherwise).
_INPUT_KEYS = {"custom_tool_call": "input", "code_interpreter_call": "code"}
#: The item type a delta implies when its item was never announced.
_IMPLIED_TYPES = {
    "response.output_text.delta": "message",
    "response.refusal.delta": "message",
    "response.reasoning_summary_text.delta": "reasoning",
    "response.reasoning_text.delta": "reasoning",
    "response.function_call_arguments.delta": "function_call",
    "response.custom_tool_call_input.delta": "custom_tool_call",
}


@dataclass
class _ItemParts:
    """One output item while it streams: the item as announced, and the pieces since."""

    item: dict[str, Any]
    whole: OutputItemBase | None = None  # the ``.done`` item, which wins
    parts: dict[int, dict[str, Any]] = field(default_factory=dict)
    texts: dict[int, list[str]] = field(default_factory=dict)
    refusals: dict[int, list[str]] = field(default_factory=dict)
    annotations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    summary: dict[int, list[str]] = field(default_factory=dict)
    reasoning: dict[int, list[str]] = field(default_factory=dict)
    arguments: list[str] = field(default_factory=list)
    phase: str | None = None

    def built(self) -> OutputItemBase:
        """The item as far as it arrived."""
        if self.whole is not None:
            return self.whole
        data = dict(self.item)
        indexes = sorted({*self.parts, *self.texts, *self.refusals, *self.annotations})
        if indexes:
            data["content"] = [self._part(index) for index in indexes]
        if self.summary:
            data["summary"] = [
                {"type": "summary_text", "text": "".join(self.summary[i])}
                for i in sorted(self.summary)
            ]
        if self.reasoning:
            data["content"] = [
                {"type": "reasoning_text", "text": "".join(self.reasoning[i])}
                for i in sorted(self.reasoning)
            ]
        if self.arguments:
            data[_INPUT_KEYS.get(str(data.get("type")), "arguments")] = "".join(self.arguments)
        if self.phase is not None:
            data["status"] = self.phase
        return parse_item(data)

    def _part(self, index: int) -> dict[str, Any]:
        part = dict(self.parts.get(index) or {"type": "output_text", "text": ""})
        if index in self.texts:
            part["text"] = "".join(self.texts[index])
        if index in self.refusals:
            part = {**part, "type": "refusal", "refusal": "".join(self.refusals[index])}
        if index in self.annotations:
            part["annotations"] = list(self.annotations[index])
        return part


class ResponseAccumulator:
    """Adds Responses stream events up into a :class:`Response` (see the module's rules)."""

    def __init__(self) -> None:
        self._envelope: Response | None = None  # from created / in_progress
        self._final: Response | None = None  # from the terminal event
        self.terminal: str | None = None  # that event's type
        self._items: dict[int, _ItemParts] = {}
        self._pieces = 0
        self._cache: Response | None = None

    @property
    def generated_pieces(self) -> int:
        return self._pieces

    @property
    def finished(self) -> bool:
        return self.terminal == "response.completed"

    @property
    def usage(self) -> Usage | None:
        source = self._final or self._envelope
        if source is None or source.usage is None:
            return None
        return source.usage.as_usage()

    def add(self, event: ResponseEvent) -> str | None:
        """Take one event; return the new answer text it brought, if any."""
        self._cache = None
        if isinstance(event, ResponseTextDeltaEvent):
            return self._add_delta(event)
        if isinstance(event, ResponseArgumentsDeltaEvent):
            self._parts(event.output_index, event.type, event.item_id).arguments.append(event.delta)
        elif isinstance(event, ResponseItemEvent):
            self._add_item(event)
        elif isinstance(event, ResponseLifecycleEvent):
            if event.type in TERMINAL_EVENTS:
                self._final, self.terminal = event.response, event.type
            else:
                self._envelope = event.response
        elif isinstance(event, ResponseTextDoneEvent):
            self._add_text_done(event)
        elif isinstance(event, ResponseContentPartEvent):
            self._add_part(event)
        elif isinstance(event, ResponseSummaryPartEvent):
            parts = self._parts(event.output_index, "reasoning", event.item_id)
            parts.summary.setdefault(event.summary_index, [])
            if event.type.endswith(".done"):
                parts.summary[event.summary_index] = [event.part.text]
        elif isinstance(event, ResponseAnnotationEvent):
            parts = self._parts(event.output_index, "message", event.item_id)
            note = event.annotation.model_dump(exclude_unset=True)
            parts.annotations.setdefault(event.content_index, []).append(note)
        elif isinstance(event, ResponseArgumentsDoneEvent):
            whole = event.arguments if event.arguments is not None else event.input or event.code
            if whole is not None:
                self._parts(event.output_index, event.type, event.item_id).arguments = [whole]
        elif isinstance(event, ResponseToolProgressEvent):
            self._parts(event.output_index, event.type, event.item_id).phase = event.phase
        return None

    def result(self) -> Response:
        """The response so far (the terminal one once it came)."""
        if self._cache is None:
            self._cache = self._build()
        return self._cache

    # internals -------------------------------------------------------------------------------
    def _build(self) -> Response:
        base = self._final or self._envelope or Response()
        if self._final is not None and self._final.output:
            return self._final
        items = [self._items[index].built() for index in sorted(self._items)]
        return base.model_copy(update={"output": items})

    def _parts(self, index: int, event_type: str, item_id: str | None) -> _ItemParts:
        parts = self._items.get(index)
        if parts is None:
            kind = _IMPLIED_TYPES.get(event_type, "unknown")
            parts = self._items[index] = _ItemParts(item={"type": kind, "id": item_id})
        return parts

    def _add_delta(self, event: ResponseTextDeltaEvent) -> str | None:
        parts = self._parts(event.output_index, event.type, event.item_id)
        kind = event.type
        if kind == "response.output_text.delta":
            parts.texts.setdefault(event.content_index, []).append(event.delta)
            self._pieces += 1
            return event.delta or None
        if kind == "response.reasoning_summary_text.delta":
            parts.summary.setdefault(event.summary_index, []).append(event.delta)
            self._pieces += 1
        elif kind == "response.reasoning_text.delta":
            parts.reasoning.setdefault(event.content_index, []).append(event.delta)
            self._pieces += 1
        elif kind == "response.refusal.delta":
            parts.refusals.setdefault(event.content_index, []).append(event.delta)
        return None

    def _add_text_done(self, event: ResponseTextDoneEvent) -> None:
        parts = self._parts(event.output_index, event.type, event.item_id)
        if event.type == "response.output_text.done":
            parts.texts[event.content_index] = [event.text]
        elif event.type == "response.reasoning_summary_text.done":
            parts.summary[event.summary_index] = [event.text]
        elif event.type == "response.reasoning_text.done":
            parts.reasoning[event.content_index] = [event.text]
        elif event.type == "response.refusal.done":
            parts.refusals[event.content_index] = [event.text]

    def _add_part(self, event: ResponseContentPartEvent) -> None:
        parts = self._parts(event.output_index, "message", event.item_id)
        part = event.part.model_dump(exclude_unset=True)
        parts.parts[event.content_index] = part
        if event.type.endswith(".done"):
            if part.get("type") == "output_text":
                parts.texts[event.content_index] = [event.part.text]
            if event.part.annotations:
                parts.annotations[event.content_index] = part.get("annotations", [])

    def _add_item(self, event: ResponseItemEvent) -> None:
        parts = self._items.get(event.output_index)
        if event.type.endswith(".done"):
            if parts is None:
                parts = self._items[event.output_index] = _ItemParts(item={})
            parts.whole = event.item
        elif parts is None:
            self._items[event.output_index] = _ItemParts(
                item=event.item.model_dump(exclude_unset=True)
            )
        else:  # pieces came before the item was announced
            parts.item = event.item.model_dump(exclude_unset=True)


class ResponseStream(Stream[ResponseEvent, Response]):
    """An open Responses stream: iterate it for typed events (unknown types too), ``close()`` to
    stop early; ``result`` is the :class:`Response` so far, never ``None``."""

    def __init__(
        self,
        open_response: Callable[[], httpx.Response],
        *,
        clock: Callable[[], float] = time.perf_counter,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        secret: str | None = None,
        read_timeout_s: float | None = None,
    ) -> None:
        self._responses = ResponseAccumulator()
        super().__init__(
            open_response,
            ResponseEvent,
            self._responses,
            clock=clock,
            max_bytes=max_bytes,
            secret=secret,
            read_timeout_s=read_timeout_s,
        )

    def _validate(self, event_name: str, payload: Any, preview: str) -> ResponseEvent:
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            if isinstance(payload, dict) and "error" in payload:
                raise error_from_body(payload)
            return super()._validate(event_name, payload, preview)  # names the bad shape
        if payload["type"] == "error" or event_name == "error":
            raise error_from_body(payload)
        return self._typed(event_class(payload["type"]), payload, preview)

    def _take(self, chunk: ResponseEvent) -> ResponseEvent:
        event = super()._take(chunk)
        if event.type == "response.failed" and isinstance(event, ResponseLifecycleEvent):
            error = event.response.error
            message = (error.message if error else None) or "The response failed."
            raise APIStreamError(
                message, code=error.code if error else None, body=event.model_dump()
            )
        if event.type == "response.incomplete" and isinstance(event, ResponseLifecycleEvent):
            details = event.response.incomplete_details or {}
            reason = details.get("reason") if isinstance(details.get("reason"), str) else None
            raise ResponseIncompleteError(
                f"The response stopped early ({reason or 'no reason given'}).",
                reason=reason,
                body=event.model_dump(),
            )
        return event

    def _end(self, *, done_marker: bool) -> None:
        if self._responses.finished:
            self.done = True
            return
        raise APIStreamError("The stream ended before the response was complete.")

    def _whole_answer(self, payload: Any, kind: str, raw: bytes) -> ResponseEvent:
        """A whole response (JSON) to a stream request reads as its terminal event."""
        if not isinstance(payload, dict) or not isinstance(payload.get("output"), list):
            if isinstance(payload, dict) and "error" in payload:
                raise error_from_body(payload)
            raise not_a_stream_answer(kind, raw, "a response")
        status = payload.get("status")
        ending = status if status in ("incomplete", "failed") else "completed"
        preview = raw[:200].decode("utf-8", errors="replace")
        event = {"type": f"response.{ending}", "response": payload}
        return self._typed(ResponseLifecycleEvent, event, preview)
