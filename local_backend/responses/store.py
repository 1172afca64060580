"""Stored responses, in memory, least recently used first out.

Each stored response keeps what a continuation needs: the conversation before it (every earlier
input and output item, in order), its own input items, its output, and its instructions. The store
is bounded both in responses (:data:`MAX_RESPONSES`) and in size (:data:`MAX_CHARS`, the JSON
size of everything kept): storing past either bound drops the least recently used responses.
Nothing survives a restart (xAI keeps them 30 days).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from local_backend.errors import ApiError

__all__ = ["MAX_CHARS", "MAX_RESPONSES", "NOT_FOUND", "ResponseStore", "StoredResponse"]

Json = dict[str, Any]

#: At most this many responses are kept.
MAX_RESPONSES = 1000
#: At most this many characters (JSON) are kept across every stored response (~64 MB).
MAX_CHARS = 64_000_000
#: xAI's message for an unknown (or expired, or deleted) response id.
NOT_FOUND = "No responses could be found with the given response_id."


@dataclass(frozen=True)
class StoredResponse:
    """One stored response and the conversation that led to it."""

    response: Json
    history: list[Json]  # every input and output item before this request's input
    input_items: list[Json]  # this request's input items, as sent
    instructions: str | None

    @property
    def conversation(self) -> list[Json]:
        """The items a continuation starts from: the history, this input, this output."""
        return [*self.history, *self.input_items, *self.response.get("output", [])]

    def size(self) -> int:
        """Characters this entry holds (its JSON)."""
        parts = (self.response, self.history, self.input_items, self.instructions)
        return sum(len(json.dumps(part, ensure_ascii=False)) for part in parts)


class ResponseStore:
    """Responses by id (thread-safe), bounded as the module says."""

    def __init__(self, max_responses: int = MAX_RESPONSES, max_chars: int = MAX_CHARS) -> None:
        self.max_responses, self.max_chars = max_responses, max_chars
        self._items: OrderedDict[str, tuple[StoredResponse, int]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def put(self, stored: StoredResponse) -> None:
        """Keep ``stored`` (most recent), dropping the oldest entries past the bounds; an entry
        larger than the whole bound is not kept."""
        size = stored.size()
        key = str(stored.response["id"])
        with self._lock:
            self._drop(key)
            if size > self.max_chars:
                return
            self._items[key] = (stored, size)
            self._chars += size
            while len(self._items) > self.max_responses or self._chars > self.max_chars:
                self._drop(next(iter(self._items)))

    def get(self, response_id: str) -> StoredResponse:
        """The stored response (now the most recently used); 404 in xAI's words if none."""
        with self._lock:
            found = self._items.get(response_id)
            if found is None:
                raise ApiError(404, NOT_FOUND)
            self._items.move_to_end(response_id)
            return found[0]

    def delete(self, response_id: str) -> None:
        """Forget a response; 404 if there is none by that id."""
        with self._lock:
            if response_id not in self._items:
                raise ApiError(404, NOT_FOUND)
            self._drop(response_id)

    def _drop(self, key: str) -> None:
        found = self._items.pop(key, None)
        if found is not None:
            self._chars -= found[1]
