"""The fake's ``/v1/responses`` routes and ``/v1/tokenize-text``: what xAI rejects, the stored
responses, the answer (JSON or a stream) for a request. Pure functions of the request, the model
listing and the store; :mod:`tests.fake_xai.handler` sends what they return."""

from __future__ import annotations

import re
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.fake_xai.payloads import flat_error
from tests.fake_xai.response_events import response_object, sse_lines, stream_events
from tests.fake_xai.responses import (
    FAILED_MESSAGE,
    Turn,
    as_items,
    count_tokens,
    is_message,
    item_text,
    output_items,
    text_of,
    tokenize,
    usage,
)

NOT_FOUND = "Some requested entity was not found"
INVALID = "Client specified an invalid argument"
NO_RESPONSE = "No responses could be found with the given response_id."
SERVER_TOOLS = ("web_search", "x_search", "code_interpreter")
REJECTED_TOOL_FIELDS = {  # "Request will be rejected if this field is set" (xAI's spec)
    "web_search": ("search_context_size", "user_location", "external_web_access"),
    "code_interpreter": ("container",),
    "file_search": ("filters", "ranking_options"),
}
MARKERS = {"[[incomplete]]": "incomplete", "[[failed]]": "failed", "[[cut]]": "cut"}


@dataclass
class Answer:
    """What to send: a JSON ``body`` with ``status``, or SSE ``events`` (cut after ``cut``
    events when set; ``drop``: close the connection without an answer)."""

    status: int = 200
    body: Any = None
    events: list[str] | None = None
    cut: int | None = None
    drop: bool = False


@dataclass
class Stored:
    response: dict[str, Any]
    input_items: list[dict[str, Any]]
    conversation: list[str]  # the user messages so far, oldest first
    context_tokens: int  # what the conversation costs as the next prompt


class ResponseStore:
    """Stored responses by id (thread-safe, in memory, as many as the tests make)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[str, Stored] = OrderedDict()

    def put(self, stored: Stored) -> None:
        with self._lock:
            self._items[stored.response["id"]] = stored

    def get(self, response_id: str) -> Stored | None:
        with self._lock:
            return self._items.get(response_id)

    def pop(self, response_id: str) -> Stored | None:
        with self._lock:
            return self._items.pop(response_id, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def find_model(models: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The /v1/models entry whose id or alias is ``name``."""
    return next((m for m in models if name == m["id"] or name in m.get("aliases", [])), None)


def _bad(message: str) -> Answer:
    return Answer(400, flat_error(INVALID, message))


def rejection(body: dict[str, Any], model: dict[str, Any]) -> Answer | None:
    """The 400 xAI answers for a parameter the model or a tool does not take, else None."""
    effort = (body.get("reasoning") or {}).get("effort") or body.get("reasoning_effort")
    if effort is not None:
        efforts = (model.get("capabilities") or {}).get("reasoning_effort") or []
        if not efforts:
            return _bad(f"Model {model['id']} does not support parameter reasoningEffort.")
        if effort not in efforts:
            allowed = ", ".join(efforts)
            return _bad(f"Invalid reasoning effort `{effort}` for model {model['id']}: {allowed}")
    for tool in body.get("tools") or []:
        kind = tool.get("type") if isinstance(tool, dict) else None
        for name in REJECTED_TOOL_FIELDS.get(str(kind), ()):
            if tool.get(name) is not None:
                return _bad(f"Invalid request: `{name}` is not supported for the {kind} tool.")
        problem = _tool_problem(tool) if kind in ("web_search", "x_search") else None
        if problem:
            return _bad(problem)
    return None


def _tool_problem(tool: dict[str, Any]) -> str | None:
    if tool["type"] == "web_search":
        filters = tool.get("filters") or {}
        allowed = tool.get("allowed_domains") or filters.get("allowed_domains") or []
        excluded = tool.get("excluded_domains") or filters.get("excluded_domains") or []
        pair, limit = ("allowed_domains", "excluded_domains"), 5
    else:
        allowed = tool.get("allowed_x_handles") or []
        excluded = tool.get("excluded_x_handles") or []
        pair, limit = ("allowed_x_handles", "excluded_x_handles"), 10
    if allowed and excluded:
        return f"`{pair[0]}` cannot be set together with `{pair[1]}`."
    for name, values in zip(pair, (allowed, excluded), strict=True):
        if len(values) > limit:
            return f"A maximum of {limit} entries can be set in `{name}` ({len(values)} given)."
    dates = {}
    for name in ("from_date", "to_date"):
        value = tool.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"`{name}` must be a date in the format YYYY-MM-DD, got {value!r}."
        try:
            dates[name] = date.fromisoformat(value)
        except ValueError:
            return f"`{name}` is not a valid date: {value!r}."
    if len(dates) == 2 and dates["from_date"] > dates["to_date"]:
        return "`from_date` must not be after `to_date`."
    return None


def plan_turn(
    body: dict[str, Any], model: dict[str, Any], previous: Stored | None, response_id: str
) -> tuple[Turn, list[str]]:
    """The :class:`Turn` ``body`` asks for, and the conversation's user messages with it."""
    items = as_items(body.get("input"))
    said = [text_of(i.get("content")) for i in items if is_message(i, "user")]
    conversation = [*(previous.conversation if previous else []), *said]
    prompt = conversation[-1] if conversation else ""
    last = items[-1] if items else {}
    tool_output = None
    if last.get("type") == "function_call_output":
        output = last.get("output")
        tool_output = output if isinstance(output, str) else text_of(output)
    effort = (body.get("reasoning") or {}).get("effort") or body.get("reasoning_effort")
    efforts = (model.get("capabilities") or {}).get("reasoning_effort") or []
    named = model["id"].endswith("-reasoning") and not model["id"].endswith("non-reasoning")
    include = body.get("include") or []
    tools = [t for t in body.get("tools") or [] if isinstance(t, dict)]
    history = previous.context_tokens if previous else 0
    own = sum(count_tokens(item_text(i)) + 3 for i in items)
    turn = Turn(
        response_id=response_id,
        model=model["id"],
        prompt=prompt,
        earlier=conversation[-2] if len(conversation) > 1 else None,
        tool_output=tool_output,
        tools=tuple(t["type"] for t in tools if t.get("type") in SERVER_TOOLS),
        function=next((t for t in tools if t.get("type") == "function"), None),
        reasons=(bool(efforts) or named) and effort != "none",
        encrypted="reasoning.encrypted_content" in include,
        inline_citations="no_inline_citations" not in include,
        max_output_tokens=body.get("max_output_tokens"),
        ending=next((e for m, e in MARKERS.items() if m in prompt), "completed"),
        context_tokens=history + count_tokens(str(body.get("instructions") or "")) + own,
        cached_tokens=history,
        prices=model,
    )
    return turn, conversation


def create(body: dict[str, Any], models: list[dict[str, Any]], store: ResponseStore) -> Answer:
    """``POST /v1/responses``: a rejection, or the response (JSON, or its stream for
    ``stream: true``), stored unless ``store: false`` or it failed."""
    model = find_model(models, str(body["model"]))
    if model is None:
        msg = f"The model {body['model']} does not exist or your team does not have access to it."
        return Answer(404, flat_error(NOT_FOUND, msg))
    previous = None
    if body.get("previous_response_id") is not None:
        previous = store.get(str(body["previous_response_id"]))
        if previous is None:
            return Answer(404, flat_error(NOT_FOUND, NO_RESPONSE))
    refused = rejection(body, model)
    if refused is not None:
        return refused
    response_id = str(uuid.uuid4())
    turn, conversation = plan_turn(body, model, previous, response_id)
    output = output_items(turn)
    if turn.ending == "completed" and turn.max_output_tokens is not None:
        visible = sum(count_tokens(item_text(i)) for i in output if i["type"] == "message")
        if visible > turn.max_output_tokens:
            turn.ending = "incomplete"
            output = output_items(turn)
    used = usage(turn, output)
    status = "incomplete" if turn.ending == "incomplete" else "completed"
    final = response_object(body, response_id, model["id"], output, used, status)
    if status == "incomplete":
        final["incomplete_details"] = {"reason": "max_output_tokens"}
    if body.get("store", True) is not False and turn.ending in ("completed", "incomplete"):
        items = as_items(body.get("input"))
        listed = [
            {**item, "id": str(item.get("id") or f"item_{response_id}_{n}")}
            for n, item in enumerate(items)
        ]
        store.put(Stored(final, listed, conversation, used["total_tokens"]))
    if body.get("stream"):
        events, cut = stream_events(final, turn.ending)
        return Answer(events=sse_lines(events), cut=cut)
    if turn.ending == "failed":
        return Answer(500, flat_error("Internal error", FAILED_MESSAGE))
    if turn.ending == "cut":
        return Answer(drop=True)
    return Answer(200, final)


def stored_route(
    method: str, response_id: str, rest: str, query: dict[str, str], store: ResponseStore
) -> Answer:
    """``GET``/``DELETE /v1/responses/{id}`` and ``GET /v1/responses/{id}/input_items``."""
    stored = store.get(response_id)
    if stored is None:
        return Answer(404, flat_error(NOT_FOUND, NO_RESPONSE))
    if rest == "" and method == "GET":
        return Answer(200, stored.response)
    if rest == "" and method == "DELETE":
        store.pop(response_id)
        return Answer(200, {"id": response_id, "object": "response", "deleted": True})
    if rest != "input_items" or method != "GET":
        return Answer(405, flat_error("Method Not Allowed", f"{method} /v1/responses/.../{rest}"))
    try:
        limit = int(query.get("limit", "20"))
    except ValueError:
        limit = 0
    order = query.get("order", "asc")
    if not 1 <= limit <= 100 or order not in ("asc", "desc"):
        return _bad("`limit` must be between 1 and 100 and `order` one of asc, desc.")
    items = stored.input_items if order == "asc" else stored.input_items[::-1]
    after = query.get("after")
    if after is not None:
        ids = [i["id"] for i in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    page = items[:limit]
    first, last = (page[0]["id"], page[-1]["id"]) if page else (None, None)
    body = {"object": "list", "data": page, "first_id": first, "last_id": last}
    return Answer(200, {**body, "has_more": len(items) > limit})


def tokenize_text(body: dict[str, Any]) -> Answer:
    """``POST /v1/tokenize-text``: ``{"token_ids": [...]}`` for ``body["text"]``."""
    return Answer(200, {"token_ids": tokenize(str(body["text"]))})
