"""The fake's Responses API answers, pure: a tokenizer, the output items a request gets, its usage
with ticks, the response object and its stream events in the recorded order
(/work/shared/docs/xai-responses.md §3-§4)."""

from __future__ import annotations

import base64
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any

#: Ticks per server-side tool call: $5 per 1,000 web/X searches and code executions.
TOOL_FEE_TICKS = 50_000_000
#: What a server-side tool run adds to the prompt (search results, code logs), in tokens.
TOOL_CONTEXT_TOKENS = 500
USAGE_KEYS = (
    "web_search_calls",
    "x_search_calls",
    "x_posts_fetched",
    "x_users_fetched",
    "code_interpreter_calls",
    "file_search_calls",
    "mcp_calls",
    "document_search_calls",
    "image_generation_calls",
)
#: Output item type -> its ``server_side_tool_usage_details`` counter.
CALL_COUNTERS = {
    "web_search_call": "web_search_calls",
    "custom_tool_call": "x_search_calls",
    "code_interpreter_call": "code_interpreter_calls",
}
SOURCES = ("https://x.ai/", "https://docs.x.ai/")
FINGERPRINT = "fp_eb3c003fc66c14ed"
FAILED_MESSAGE = "The model failed to finish the response. Please retry."
_TOKEN = re.compile(r" ?\w+| ?[^\w\s]+|\s+")


def tokenize(text: str) -> list[dict[str, Any]]:
    """``/v1/tokenize-text``'s tokens: words with their leading space, punctuation runs, blanks;
    ids from a CRC of the piece (deterministic), bytes its UTF-8."""
    return [
        {
            "token_id": zlib.crc32(piece.encode()) % 131_072,
            "string_token": piece,
            "token_bytes": list(piece.encode()),
        }
        for piece in _TOKEN.findall(text)
    ]


def pieces(text: str) -> list[str]:
    """``text`` split the way :func:`tokenize` does (the stream's deltas)."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    """How many tokens :func:`tokenize` makes of ``text``."""
    return len(pieces(text))


def text_of(content: Any) -> str:
    """The text of a message's ``content``: a string, or its text parts joined."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def as_items(request_input: Any) -> list[dict[str, Any]]:
    """The request's ``input`` as a list of items (a string is one user message)."""
    if isinstance(request_input, str):
        return [{"type": "message", "role": "user", "content": request_input}]
    return [item for item in request_input or [] if isinstance(item, dict)]


def is_message(item: dict[str, Any], role: str) -> bool:
    """Whether ``item`` is a message from ``role``."""
    return item.get("type", "message") == "message" and item.get("role") == role


def item_text(item: dict[str, Any]) -> str:
    """Whatever text an input or output item carries (what it costs in prompt tokens)."""
    parts = [text_of(item.get("content")), str(item.get("output") or "")]
    parts += [str(item.get(k) or "") for k in ("arguments", "input", "code")]
    parts += [text_of(item.get("summary"))]
    return " ".join(p for p in parts if p)


@dataclass
class Turn:
    """What one request asks for, as the fake reads it."""

    response_id: str
    model: str
    prompt: str  # the last user message
    earlier: str | None = None  # the user message before it (stored or resent)
    tool_output: str | None = None  # the input ends with a function_call_output
    tools: tuple[str, ...] = ()  # server-side tool types asked for
    function: dict[str, Any] | None = None  # the first function tool
    reasons: bool = False
    encrypted: bool = False
    inline_citations: bool = True
    max_output_tokens: int | None = None
    ending: str = "completed"  # completed | incomplete | failed | cut
    context_tokens: int = 0  # the prompt in tokens, before tool results
    cached_tokens: int = 0
    prices: dict[str, Any] | None = None  # the model's entry from /v1/models


def output_items(turn: Turn) -> list[dict[str, Any]]:
    """The finished output items: reasoning, server-side tool calls, then a function call or
    the assistant message (status ``incomplete`` for a cut-short reply)."""
    rid, items = turn.response_id, []
    if turn.reasons:
        summary = f'The user says: "{turn.prompt}"\n'
        reasoning: dict[str, Any] = {
            "id": f"rs_{rid}",
            "summary": [{"text": summary, "type": "summary_text"}],
            "type": "reasoning",
            "status": "completed",
        }
        if turn.encrypted:
            reasoning["encrypted_content"] = base64.b64encode(summary.encode()).decode()
        items.append(reasoning)
    for n, kind in enumerate(turn.tools):
        items.append(_tool_item(kind, turn, n, turn.prompt))
        if kind == "web_search":  # as recorded: a second search, narrowed to a site
            items.append(_tool_item(kind, turn, n + 1, f"{turn.prompt} site:x.ai"))
    if turn.function is not None and turn.tool_output is None:
        name = str(turn.function.get("name") or "function")
        props = (turn.function.get("parameters") or {}).get("properties") or {}
        args = {key: "Lisbon" for key in list(props)[:1]}
        call = {"type": "function_call", "id": f"fc_{rid}_0", "call_id": f"call-{rid[:8]}-0"}
        items.append({**call, "name": name, "arguments": json.dumps(args), "status": "completed"})
        return items
    text, annotations = _reply(turn)
    status = "incomplete" if turn.ending == "incomplete" else "completed"
    part = {"type": "output_text", "text": text, "logprobs": [], "annotations": annotations}
    message = {"content": [part], "id": f"msg_{rid}", "role": "assistant", "type": "message"}
    items.append({**message, "status": status})
    return items


def _tool_item(kind: str, turn: Turn, n: int, query: str) -> dict[str, Any]:
    rid = turn.response_id
    if kind == "web_search":
        sources = [{"type": "url", "url": url} for url in SOURCES]
        action = {"type": "search", "query": query, "sources": sources}
        return {"id": f"ws_{rid}_call-{n}-0", "type": "web_search_call", "status": "completed"} | {
            "action": action
        }
    if kind == "x_search":
        args = json.dumps({"query": turn.prompt, "limit": 10, "mode": "Latest"})
        call = {"call_id": f"xs_call_{n}", "input": args, "name": "x_keyword_search"}
        return {**call, "type": "custom_tool_call", "id": f"ctc_{rid}_xs_call_{n}"} | {
            "status": "completed"
        }
    code = f"print(len({turn.prompt!r}))"
    outputs = [{"type": "logs", "logs": f"{len(turn.prompt)}\n"}]
    item = {"id": f"ci_{rid}_{n}", "type": "code_interpreter_call", "status": "completed"}
    return {**item, "code": code, "outputs": outputs}


def _reply(turn: Turn) -> tuple[str, list[dict[str, Any]]]:
    """The assistant's text (cut to ``max_output_tokens``) and its citations."""
    if turn.tool_output is not None:
        text = f"The tool said: {turn.tool_output}"
    else:
        text = f"You said: {turn.prompt}"
        if turn.earlier is not None:
            text += f" Before that: {turn.earlier}"
    annotations = []
    if "web_search" in turn.tools:
        if turn.inline_citations:
            text += " Sources: " + " ".join(f"[[{i}]]({u})" for i, u in enumerate(SOURCES, 1))
        annotations = [
            {"type": "url_citation", "url": u, "start_index": 0, "end_index": 0, "title": u}
            for u in SOURCES
        ]
    tokens = pieces(text)
    if turn.ending == "incomplete":
        limit = turn.max_output_tokens or max(1, len(tokens) // 2)
        text = "".join(tokens[:limit])
    return text, annotations


def usage(turn: Turn, output: list[dict[str, Any]]) -> dict[str, Any]:
    """Usage the way xAI reports it (input includes cached, output includes reasoning) with
    ``cost_in_usd_ticks`` from the model's prices, its long-context tier and the tool fees."""
    details = dict.fromkeys(USAGE_KEYS, 0)
    for item in output:
        key = CALL_COUNTERS.get(item["type"])
        if key is not None:
            details[key] += 1
    calls = sum(details.values())
    if details["x_search_calls"]:
        details["x_posts_fetched"] = 10 * details["x_search_calls"]
    input_tokens = turn.context_tokens + TOOL_CONTEXT_TOKENS * calls
    reasoning = sum(4 * count_tokens(text_of(i["summary"])) for i in output if "summary" in i)
    visible = sum(count_tokens(item_text(i)) for i in output if i["type"] != "reasoning")
    output_tokens = visible + reasoning
    cost = ticks(turn.prices or {}, input_tokens, turn.cached_tokens, output_tokens)
    if cost is not None:
        cost += TOOL_FEE_TICKS * (calls - details["file_search_calls"])
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": turn.cached_tokens},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": input_tokens + output_tokens,
        "num_sources_used": 0,
        "num_server_side_tools_used": calls,
        "cost_in_usd_ticks": cost,
        "server_side_tool_usage_details": details,
        "context_details": {"input_tokens": input_tokens, "output_tokens": output_tokens},
    }


def ticks(model: dict[str, Any], prompt: int, cached: int, completion: int) -> int | None:
    """The billed ticks of ``prompt`` tokens (``cached`` of them cached) and ``completion``
    tokens at ``model``'s prices (a /v1/models entry; cents per 100M tokens = ticks per token),
    the long-context prices from its threshold on; ``None`` without prices."""
    price_in = model.get("prompt_text_token_price")
    price_out = model.get("completion_text_token_price")
    if price_in is None or price_out is None:
        return None
    price_cached = model.get("cached_prompt_text_token_price")
    price_cached = price_in if price_cached is None else price_cached
    threshold = model.get("long_context_threshold")
    if threshold and prompt >= threshold:
        price_in = model.get("prompt_text_token_price_long_context") or price_in
        price_cached = model.get("cached_prompt_text_token_price_long_context") or price_cached
        price_out = model.get("completion_text_token_price_long_context") or price_out
    return int((prompt - cached) * price_in + cached * price_cached + completion * price_out)
