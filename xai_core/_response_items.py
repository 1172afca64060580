"""The output items of a Responses API answer: one typed model per item type, unknown types kept.

Every model keeps the fields it does not declare (``extra="allow"``), and an item of a type this
client does not know becomes an :class:`UnknownItem` holding every field it came with, so nothing
the server sends is dropped. :func:`server_tool_call` reads a server-side tool item, in the 2025
shape (``name`` + JSON ``arguments``) or the 2026 one (``action`` with ``query`` and ``sources``;
X search as ``custom_tool_call``), into one flat :class:`ServerToolCall`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, PlainValidator

from xai_core._base import XaiModel

__all__ = [
    "Annotation",
    "Citation",
    "CodeInterpreterCallItem",
    "CustomToolCallItem",
    "FileSearchCallItem",
    "FunctionCallItem",
    "ImageGenerationCallItem",
    "McpCallItem",
    "MessageItem",
    "OutputContent",
    "OutputItem",
    "OutputItemBase",
    "ReasoningItem",
    "ServerToolCall",
    "SummaryText",
    "UnknownItem",
    "WebSearchAction",
    "WebSearchCallItem",
    "XSearchCallItem",
    "parse_item",
    "server_tool_call",
]


class Annotation(XaiModel):
    """A citation on output text; xAI sends only ``url_citation`` (indices may be 0 or absent)."""

    type: str = "url_citation"
    url: str | None = None
    title: str | None = None
    start_index: int | None = None
    end_index: int | None = None


class OutputContent(XaiModel):
    """A part of a message: ``output_text`` (``text``, ``annotations``) or ``refusal``."""

    type: str = "output_text"
    text: str = ""
    annotations: list[Annotation] = Field(default_factory=list)
    logprobs: list[Any] | None = None
    refusal: str | None = None


class SummaryText(XaiModel):
    """One part of a reasoning summary (``summary_text``), or of its ``content``
    (``reasoning_text``)."""

    type: str = "summary_text"
    text: str = ""


class OutputItemBase(XaiModel):
    """What every output item has: ``type`` and, usually, ``id`` and ``status``."""

    type: str
    id: str | None = None
    status: str | None = None


class MessageItem(OutputItemBase):
    role: str = "assistant"
    content: list[OutputContent] = Field(default_factory=list)


class ReasoningItem(OutputItemBase):
    """Reasoning: the summary; ``encrypted_content`` with ``include`` (or always, grok-4.7)."""

    summary: list[SummaryText] = Field(default_factory=list)
    content: list[SummaryText] | None = None
    encrypted_content: str | None = None


class FunctionCallItem(OutputItemBase):
    """A call of one of the caller's function tools: answer it with a ``function_call_output``."""

    call_id: str = ""
    name: str = ""
    arguments: str = ""


class _NamedCall(OutputItemBase):
    """The 2025 shape of a server-side call: ``name`` and ``arguments`` (a JSON string)."""

    name: str | None = None
    arguments: str | None = None
    call_id: str | None = None


class WebSearchAction(XaiModel):
    """``search`` (``query``, ``sources``), ``open_page`` (``url``) or ``find_in_page``."""

    type: str = "search"
    query: str | None = None
    sources: list[dict[str, Any]] = Field(default_factory=list)
    url: str | None = None
    pattern: str | None = None


class WebSearchCallItem(_NamedCall):
    action: WebSearchAction | None = None


class XSearchCallItem(_NamedCall):
    """The October 2025 X search item; since then X searches come as ``custom_tool_call``."""


class CustomToolCallItem(OutputItemBase):
    """A server-side sub-tool call (X search: ``x_keyword_search``, ...) with JSON ``input``."""

    call_id: str | None = None
    name: str = ""
    input: str = ""


class CodeInterpreterCallItem(_NamedCall):
    code: str | None = None
    outputs: list[dict[str, Any]] | None = None


class FileSearchCallItem(OutputItemBase):
    queries: list[str] = Field(default_factory=list)
    results: list[dict[str, Any]] | None = None


class McpCallItem(_NamedCall):
    server_label: str | None = None
    output: str | None = None
    error: str | None = None


class ImageGenerationCallItem(OutputItemBase):
    result: str | None = None
    prompt: str | None = None


class UnknownItem(OutputItemBase):
    """An item of a type this client does not know: every field is kept as it came."""

    @property
    def raw(self) -> dict[str, Any]:
        """The item as the server sent it."""
        return self.model_dump(exclude_unset=True)


ITEM_TYPES: dict[str, type[OutputItemBase]] = {
    "message": MessageItem,
    "reasoning": ReasoningItem,
    "function_call": FunctionCallItem,
    "web_search_call": WebSearchCallItem,
    "x_search_call": XSearchCallItem,
    "custom_tool_call": CustomToolCallItem,
    "code_interpreter_call": CodeInterpreterCallItem,
    "file_search_call": FileSearchCallItem,
    "mcp_call": McpCallItem,
    "image_generation_call": ImageGenerationCallItem,
}


def parse_item(value: Any) -> OutputItemBase:
    """The typed item for ``value`` (a dict, or an item already), by its ``type``."""
    if isinstance(value, OutputItemBase):
        return value
    if not isinstance(value, dict):
        raise ValueError("an output item must be an object")
    kind = value.get("type")
    return ITEM_TYPES.get(kind if isinstance(kind, str) else "", UnknownItem).model_validate(
        value if isinstance(kind, str) else {**value, "type": "unknown"}
    )


def _dump_item(item: OutputItemBase) -> dict[str, Any]:
    return item.model_dump(exclude_unset=True)


#: An output item typed by its ``type``; the field serialises as the item's own fields.
OutputItem = Annotated[
    OutputItemBase, PlainValidator(parse_item), PlainSerializer(_dump_item, return_type=dict)
]


# --- reading items --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A source the answer cites (``title`` is often the url itself)."""

    url: str
    title: str | None = None


@dataclass(frozen=True)
class ServerToolCall:
    """A tool call xAI ran itself, in one shape whatever the item type and year.

    ``kind``: ``web_search``, ``x_search``, ``code_execution``, ``file_search``, ``mcp``,
    ``image_generation``, or the item's raw type; ``name`` the sub-tool (``x_keyword_search``,
    ``browse_page``, ``search`` ...); ``query`` what it searched for; ``sources`` the urls it
    found or opened; ``arguments`` the parsed JSON arguments (the string when not JSON);
    ``outputs`` code logs, file results, an MCP output.
    """

    id: str | None
    kind: str
    name: str | None
    status: str | None
    query: str | None = None
    sources: list[str] = field(default_factory=list)
    arguments: dict[str, Any] | str | None = None
    outputs: list[Any] = field(default_factory=list)


_WEB_SUB_TOOLS = frozenset({"web_search", "web_search_with_snippets", "browse_page"})
_KINDS = {
    "web_search_call": "web_search",
    "x_search_call": "x_search",
    "code_interpreter_call": "code_execution",
    "file_search_call": "file_search",
    "mcp_call": "mcp",
    "image_generation_call": "image_generation",
}


def _parsed(arguments: str | None) -> dict[str, Any] | str | None:
    if not arguments:
        return None
    try:
        value = json.loads(arguments)
    except ValueError:
        return arguments
    return value if isinstance(value, dict) else arguments


def _query(arguments: dict[str, Any] | str | None) -> str | None:
    if isinstance(arguments, dict):
        for key in ("query", "q", "url", "video_url", "username", "post_id"):
            if isinstance(arguments.get(key), str) and arguments[key]:
                return str(arguments[key])
    return None


def _custom_kind(name: str) -> str:
    if name.startswith("x_") or name == "view_x_video":
        return "x_search"
    return "web_search" if name in _WEB_SUB_TOOLS else "custom_tool_call"


def server_tool_call(item: OutputItemBase) -> ServerToolCall | None:
    """``item`` as a :class:`ServerToolCall`, or ``None`` when it is not a server-side call
    (a message, reasoning, a function call for the caller, or a non-call unknown item)."""
    if isinstance(item, MessageItem | ReasoningItem | FunctionCallItem):
        return None
    base: dict[str, Any] = {"id": item.id, "status": item.status}
    if isinstance(item, CustomToolCallItem):
        arguments = _parsed(item.input)
        kind = _custom_kind(item.name)
        return ServerToolCall(
            kind=kind, name=item.name, query=_query(arguments), arguments=arguments, **base
        )
    if isinstance(item, FileSearchCallItem):
        return ServerToolCall(
            kind="file_search",
            name="file_search",
            outputs=item.results or [],
            query="; ".join(item.queries) or None,
            arguments={"queries": item.queries},
            **base,
        )
    if isinstance(item, ImageGenerationCallItem):
        return ServerToolCall(
            kind="image_generation",
            name="image_generation",
            query=item.prompt,
            outputs=[item.result] if item.result else [],
            **base,
        )
    if isinstance(item, _NamedCall):
        return _named_call(item, base)
    if item.type.endswith("_call"):
        raw = item.model_dump(exclude_unset=True)
        arguments = _parsed(raw.get("arguments")) if isinstance(raw.get("arguments"), str) else None
        return ServerToolCall(
            kind=item.type,
            name=raw.get("name"),
            query=_query(arguments),
            arguments=arguments,
            **base,
        )
    return None


def _named_call(item: _NamedCall, base: dict[str, Any]) -> ServerToolCall:
    arguments = _parsed(item.arguments)
    sources: list[str] = []
    outputs: list[Any] = []
    query = _query(arguments)
    name = item.name
    if isinstance(item, WebSearchCallItem) and item.action is not None:
        action = item.action
        name = name or action.type
        query = action.query or query or action.url
        sources = [s["url"] for s in action.sources if isinstance(s.get("url"), str)]
        if action.url and action.url not in sources:
            sources.append(action.url)
        if arguments is None:
            arguments = action.model_dump(exclude_unset=True)
    if isinstance(item, CodeInterpreterCallItem):
        outputs = list(item.outputs or [])
        if arguments is None and item.code is not None:
            arguments = {"code": item.code}
    if isinstance(item, McpCallItem):
        outputs = [item.output] if item.output is not None else []
    return ServerToolCall(
        kind=_KINDS.get(item.type, item.type),
        name=name,
        query=query or None,
        sources=sources,
        arguments=arguments,
        outputs=outputs,
        **base,
    )
