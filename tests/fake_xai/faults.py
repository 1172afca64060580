"""What the fake records (each request) and what it is told to do next: faults, slow starts and
stream scripts, each used up by the matching requests."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: str
    body: Any  # parsed JSON body, or None (no body / invalid JSON)
    auth: Literal["valid", "invalid", "missing"]  # never the key itself
    key_name: str | None = None  # the name of the valid key used (see ``FakeXai.key_names``)


@dataclass
class Fault:
    status: int
    body: Any = None  # dict/list -> JSON; str/bytes -> sent as is; None -> empty
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1  # None: until clear()
    path: str | None = None  # exact path, e.g. "/v1/chat/completions"; None matches any
    method: str | None = None
    delay: float = 0.0  # seconds to wait before answering
    size: int | None = None  # a generated JSON body of this many bytes instead of ``body``
    chunked: bool = False  # send the body chunked, without a Content-Length


@dataclass
class SlowStart:
    """Wait ``delay`` s before the status line, then answer as usual."""

    delay: float
    times: int | None = 1
    path: str | None = None
    method: str | None = None


QueuedT = TypeVar("QueuedT", Fault, SlowStart)


@dataclass
class StreamScript:
    events: list[str]
    delay: float = 0.0
    cut_after: int | None = None
    stall_after: int | None = None  # go silent after this many events...
    stall_for: float | None = None  # ...for this many seconds (None: until the client hangs up)


def take_matching(queue: deque[QueuedT], method: str, path: str) -> QueuedT | None:
    """The first entry of ``queue`` matching ``method`` and ``path``, used up once."""
    for entry in queue:
        if entry.path in (None, path) and entry.method in (None, method):
            if entry.times is not None:
                entry.times -= 1
                if entry.times <= 0:
                    queue.remove(entry)
            return entry
    return None
