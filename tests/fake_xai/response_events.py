"""The response object and its stream, in the order xAI sends them (recorded grok-4.3 and
web-search streams, /work/shared/docs/xai-responses.md §4): ``response.created``,
``response.in_progress``, each output item added, filled and done in turn, then one terminal
event."""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.fake_xai.payloads import DONE_EVENT, sse_event
from tests.fake_xai.responses import FAILED_MESSAGE, FINGERPRINT, Turn, pieces, text_of, usage

#: Item type -> (its field streamed as deltas, the prefix of those events).
STREAMED_FIELDS = {
    "custom_tool_call": ("input", "response.custom_tool_call_input"),
    "function_call": ("arguments", "response.function_call_arguments"),
}


def response_object(
    body: dict[str, Any],
    response_id: str,
    model: str,
    output: list[dict[str, Any]],
    usage: dict[str, Any] | None,
    status: str = "completed",
    created_at: int | None = None,
) -> dict[str, Any]:
    """The ``object: "response"`` for ``body``, echoing its settings as xAI does."""
    created = int(time.time()) if created_at is None else created_at
    reasoning = body.get("reasoning")
    effort = body.get("reasoning_effort")
    if reasoning is None and effort is not None:
        reasoning = {"effort": effort}
    text = body.get("text") if isinstance(body.get("text"), dict) else {"format": {"type": "text"}}
    return {
        "created_at": created,
        "completed_at": created if status == "completed" else None,
        "id": response_id,
        "max_output_tokens": body.get("max_output_tokens"),
        "model": model,
        "object": "response",
        "output": output,
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": None if reasoning is None else {**reasoning, "summary": "detailed"},
        "temperature": body.get("temperature", 0.7),
        "text": text,
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "top_p": body.get("top_p", 0.95),
        "usage": usage,
        "user": body.get("user"),
        "incomplete_details": None,
        "status": status,
        "store": body.get("store", True) is not False,
        "metadata": {"system_fingerprint": FINGERPRINT},
        "background": False,
        "service_tier": "default",
        "truncation": "disabled",
        "top_logprobs": 0,
        "presence_penalty": 0,
        "frequency_penalty": 0,
        "prompt_cache_key": body.get("prompt_cache_key"),
        "max_tool_calls": None,
        "safety_identifier": None,
        "error": None,
        "instructions": body.get("instructions"),
    }


def stream_events(final: dict[str, Any], ending: str) -> tuple[list[dict[str, Any]], int | None]:
    """The events that stream ``final`` (numbered from 0), and for ``ending == "cut"`` how many
    of them are sent before the connection drops (mid-text, no terminal event).

    ``failed``: half the message's text, then ``response.failed`` (``error`` set, items left
    in progress). ``incomplete``: the cut-short message closes, then ``response.incomplete``."""
    start = {**copy.deepcopy(final), "status": "in_progress", "output": [], "usage": None}
    start.update(completed_at=None, incomplete_details=None)
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": start},
        {"type": "response.in_progress", "response": start},
    ]
    stop_at: int | None = None
    for index, item in enumerate(final["output"]):
        item_events = _item_events(index, item)
        if item["type"] == "message" and ending in ("failed", "cut"):
            deltas = [e for e in item_events if e["type"] == "response.output_text.delta"]
            keep = item_events.index(deltas[len(deltas) // 2]) if deltas else len(item_events)
            stop_at = len(events) + keep
            if ending == "failed":
                events += item_events[:keep]
                break
        events += item_events
    if ending == "failed":
        partial = _partial_output(events)
        error = {"code": "server_error", "message": FAILED_MESSAGE}
        failed = {**start, "status": "failed", "output": partial, "error": error}
        events.append({"type": "response.failed", "response": failed})
    else:  # a cut stream is sent up to ``stop_at`` only
        events.append({"type": f"response.{final['status']}", "response": final})
    for number, event in enumerate(events):
        event["sequence_number"] = number
    return events, (stop_at if ending == "cut" else None)


def response_text_events(text: str, model: str = "grok-4.3") -> list[str]:
    """A whole plain Responses stream whose reply is ``text`` (SSE strings, ``[DONE]`` last),
    to script with ``cut_stream``/``stall_stream``/``set_stream_script``."""
    rid = "5c1a7e00-0000-4000-8000-00000000beef"
    part = {"type": "output_text", "text": text, "logprobs": [], "annotations": []}
    item = {"content": [part], "id": f"msg_{rid}", "role": "assistant", "type": "message"}
    output = [{**item, "status": "completed"}]
    final = response_object({}, rid, model, output, usage(Turn(rid, model, ""), output))
    return sse_lines(stream_events(final, "completed")[0])


def sse_lines(events: list[dict[str, Any]]) -> list[str]:
    """``events`` as ``data: {json}`` SSE strings, then ``data: [DONE]``."""
    lines = [sse_event(event) for event in events]
    return [*lines, DONE_EVENT]


def _partial_output(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The output items as far as ``events`` got: done items whole, the last one as added plus
    the text deltas it received."""
    output: list[dict[str, Any]] = []
    for event in events:
        if event["type"] in ("response.output_item.added", "response.output_item.done"):
            index = event["output_index"]
            item = copy.deepcopy(event["item"])
            output[index:] = [item]
        elif event["type"] == "response.output_text.delta" and output:
            content = output[-1].setdefault("content", [])
            if not content:
                content.append(
                    {"type": "output_text", "text": "", "logprobs": [], "annotations": []}
                )
            content[0]["text"] += event["delta"]
    return output


def _item_events(index: int, item: dict[str, Any]) -> list[dict[str, Any]]:
    where = {"item_id": item["id"], "output_index": index}
    kind = item["type"]
    added = {"type": "response.output_item.added", "output_index": index}
    done = {"type": "response.output_item.done", "output_index": index, "item": item}
    if kind == "reasoning":
        summary = text_of(item["summary"])
        part = {"type": "summary_text", "text": ""}
        body = [
            {"type": "response.reasoning_summary_part.added", **where, "part": part}
            | {"summary_index": 0},
            *(
                {"type": "response.reasoning_summary_text.delta", **where, "delta": d}
                | {"summary_index": 0}
                for d in pieces(summary)
            ),
            {"type": "response.reasoning_summary_text.done", **where, "text": summary}
            | {"summary_index": 0},
            {"type": "response.reasoning_summary_part.done", **where}
            | {"part": {**part, "text": summary}, "summary_index": 0},
        ]
        opened = {"id": item["id"], "summary": [], "type": "reasoning", "status": "in_progress"}
        return [{**added, "item": opened}, *body, done]
    if kind == "web_search_call":
        opened = {**item, "status": "in_progress", "action": {"type": "search", "query": ""}}
        opened["action"]["sources"] = []
        progress = [
            {"type": f"response.web_search_call.{step}", **where}
            for step in ("in_progress", "searching", "completed")
        ]
        return [{**added, "item": opened}, *progress, done]
    if kind in STREAMED_FIELDS:  # the one field streamed as deltas, then done
        name, prefix = STREAMED_FIELDS[kind]
        opened = {**item, "status": "in_progress", name: ""}
        deltas = [{"type": f"{prefix}.delta", **where, "delta": d} for d in pieces(item[name])]
        end = {"type": f"{prefix}.done", **where, name: item[name]}
        if kind == "function_call":
            end["name"] = item["name"]
        return [{**added, "item": opened}, *deltas, end, done]
    if kind == "code_interpreter_call":
        opened = {**item, "status": "in_progress", "code": "", "outputs": []}
        code = item["code"]
        return [
            {**added, "item": opened},
            {"type": "response.code_interpreter_call.in_progress", **where},
            *(
                {"type": "response.code_interpreter_call_code.delta", **where, "delta": d}
                for d in pieces(code)
            ),
            {"type": "response.code_interpreter_call_code.done", **where, "code": code},
            {"type": "response.code_interpreter_call.interpreting", **where},
            {"type": "response.code_interpreter_call.completed", **where},
            done,
        ]
    return _message_events(where, added, done, item)


def _message_events(
    where: dict[str, Any], added: dict[str, Any], done: dict[str, Any], item: dict[str, Any]
) -> list[dict[str, Any]]:
    part = item["content"][0]
    text, annotations = part["text"], part["annotations"]
    at = {**where, "content_index": 0}
    empty = {"type": "output_text", "text": "", "logprobs": [], "annotations": []}
    opened = {**item, "status": "in_progress", "content": []}
    return [
        {**added, "item": opened},
        {"type": "response.content_part.added", **at, "part": empty},
        *(
            {"type": "response.output_text.delta", **at, "delta": d, "logprobs": []}
            for d in pieces(text)
        ),
        *(
            {"type": "response.output_text.annotation.added", **at, "annotation_index": n}
            | {"annotation": annotation}
            for n, annotation in enumerate(annotations)
        ),
        {"type": "response.output_text.done", **at, "text": text, "logprobs": []},
        {"type": "response.content_part.done", **at, "part": part},
        done,
    ]
