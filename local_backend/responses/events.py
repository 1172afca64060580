"""A streamed chat generation as Responses events, in the order xAI sends them
(``docs/xai-responses.md`` §4): ``response.created``, ``response.in_progress``,
``response.output_item.added``, ``response.content_part.added``, ``response.output_text.delta``
..., ``response.output_text.done``, ``response.content_part.done``, ``response.output_item.done``,
then ``response.completed`` (``response.incomplete`` when the reply hit ``max_output_tokens``,
``response.failed`` when the model failed mid-way). ``sequence_number`` counts 0, 1, 2, ...

:class:`ResponseEvents` is a ``StreamFrame`` for ``api.streaming.stream``: it turns each chat chunk
into events and says what opens and closes the stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from local_backend.errors import STATUS_CODES, ApiError
from local_backend.responses.objects import (
    ResponseDraft,
    message_item,
    output_text_part,
    responses_usage,
)

__all__ = ["ResponseEvents"]

Json = dict[str, Any]


class ResponseEvents:
    """The events of one streamed response; ``on_done`` gets the final response object (to
    store it) when the stream completes or stops at the length limit."""

    def __init__(self, draft: ResponseDraft, on_done: Callable[[Json], None]) -> None:
        self.draft = draft
        self._on_done = on_done
        self._sequence = 0
        self._text: list[str] = []
        self._finish: str | None = None
        self._usage: Json | None = None

    def _event(self, kind: str, **fields: Any) -> Json:
        event = {"type": kind, "sequence_number": self._sequence} | fields
        self._sequence += 1
        return event

    def _where(self) -> Json:
        return {"item_id": self.draft.message_id, "output_index": 0, "content_index": 0}

    def open(self) -> list[Json]:
        """The response created and in progress, its message item and text part opened."""
        draft = self.draft
        started = draft.body(status="in_progress", output=[])
        item = message_item(draft.message_id, None, "in_progress")
        return [
            self._event("response.created", response=started),
            self._event("response.in_progress", response=started),
            self._event("response.output_item.added", output_index=0, item=item),
            self._event("response.content_part.added", **self._where(), part=output_text_part("")),
        ]

    def chunk(self, chunk: Json) -> list[Json]:
        """A text delta for each piece of text in a chat chunk (usage and finish kept)."""
        self._usage = chunk.get("usage") or self._usage
        self.draft.fingerprint = str(chunk.get("system_fingerprint") or self.draft.fingerprint)
        events = []
        for choice in chunk.get("choices") or []:
            self._finish = choice.get("finish_reason") or self._finish
            delta = (choice.get("delta") or {}).get("content")
            if delta:
                self._text.append(delta)
                events.append(
                    self._event("response.output_text.delta", **self._where(), delta=delta)
                    | {"logprobs": []}
                )
        return events

    def close(self) -> list[Json]:
        """The text, part, item and response done; ``on_done`` is called with the response."""
        text = "".join(self._text)
        status = "incomplete" if self._finish == "length" else "completed"
        item = message_item(self.draft.message_id, text, status)
        final = self.draft.body(status=status, output=[item], usage=responses_usage(self._usage))
        self._on_done(final)
        return [
            self._event("response.output_text.done", **self._where(), text=text, logprobs=[]),
            self._event("response.content_part.done", **self._where(), part=output_text_part(text)),
            self._event("response.output_item.done", output_index=0, item=item),
            self._event(f"response.{status}", response=final),
        ]

    def fail(self, error: ApiError) -> list[Json]:
        """``response.failed`` with the text so far and the error."""
        item = message_item(self.draft.message_id, "".join(self._text), "incomplete")
        problem = {"code": STATUS_CODES.get(error.status, "Error"), "message": error.message}
        failed = self.draft.body(status="failed", output=[item], error=problem)
        return [self._event("response.failed", response=failed)]
