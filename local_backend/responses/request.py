"""The ``/v1/responses`` request body, validated as xAI's ``ModelRequest``, and its translation into
the chat request the engine serves.

Fields xAI documents as accepted for compatibility and not used (``metadata``, ``truncation``,
``background``, ``include``, ``logprobs``, ``prompt_cache_key``, ``reasoning.summary`` ...) are
accepted and ignored, as are fields outside the spec (the server is no stricter than xAI about
fields it does not use). What the local models cannot do is a 400 that says why: server-side
tools (they run on xAI's servers), a reasoning effort (no local model takes one), images and files.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from local_backend.errors import ApiError
from local_backend.schemas import DEFAULT_MAX_TOKENS

__all__ = [
    "IGNORED_ITEMS",
    "SERVER_SIDE_TOOLS",
    "FunctionCallItem",
    "FunctionCallOutputItem",
    "InputItem",
    "MessageItem",
    "ResponseRequest",
    "chat_messages",
    "check_supported",
]

Json = dict[str, Any]

#: Tools xAI runs on its own servers; a local model can run none of them.
SERVER_SIDE_TOOLS = (
    "web_search",
    "x_search",
    "code_interpreter",
    "code_execution",
    "file_search",
    "collections_search",
    "mcp",
    "image_generation",
    "shell",
    "tool_search",
    "attachment_search",
    "view_image",
    "view_x_video",
)
XAI = "https://api.x.ai/v1"


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class TextPart(_Open):
    """``input_text`` (what a user sends) or ``output_text`` (an earlier answer sent back)."""

    type: Literal["input_text", "output_text"]
    text: str


class MediaPart(_Open):
    """An image or a file: valid input, which no local model reads."""

    type: Literal["input_image", "input_file"]


Part = Annotated[TextPart | MediaPart, Field(discriminator="type")]


class MessageItem(_Open):
    """A message: a role and text or parts (``type`` may be left out)."""

    type: Literal["message"] | None = None
    role: Literal["user", "assistant", "system", "developer"]
    content: str | list[Part]


class FunctionCallItem(_Open):
    """A function call the model made earlier, sent back as history."""

    type: Literal["function_call"]
    call_id: str
    name: str
    arguments: str


class FunctionCallOutputItem(_Open):
    """The client's result of a function call."""

    type: Literal["function_call_output"]
    call_id: str
    output: str | list[Part]


#: Earlier output the local model has no use for: accepted and left out of the prompt, as xAI
#: accepts every earlier output item back.
IGNORED_ITEMS = (
    "reasoning",
    "web_search_call",
    "x_search_call",
    "file_search_call",
    "code_interpreter_call",
    "mcp_call",
    "custom_tool_call",
    "image_generation_call",
    "tool_search_call",
    "tool_search_output",
    "compaction",
)


class IgnoredItem(_Open):
    """Reasoning, a server-side tool call, a compaction (see :data:`IGNORED_ITEMS`)."""

    type: str


def _item_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("type")
        return "message" if kind is None and "role" in value else _tag_of(kind)
    return "message" if isinstance(value, MessageItem) else _tag_of(getattr(value, "type", None))


def _tag_of(kind: Any) -> str | None:
    if not isinstance(kind, str):
        return None
    return "ignored" if kind in IGNORED_ITEMS else kind


InputItem = Annotated[
    Annotated[MessageItem, Tag("message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")]
    | Annotated[IgnoredItem, Tag("ignored")],
    Discriminator(_item_tag),
]


class TextFormat(_Open):
    type: Literal["text", "json_object", "json_schema"]
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")


class TextConfig(_Open):
    format: TextFormat | None = None


class ReasoningConfig(_Open):
    effort: str | None = None


class ResponseRequest(_Open):
    """xAI's ``ModelRequest``, plus ``seed`` (honoured by the local engine)."""

    model: str = Field(min_length=1)
    input: str | list[InputItem]
    instructions: str | None = None
    previous_response_id: str | None = None
    store: bool | None = True
    stream: bool | None = False
    max_output_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    top_k: int | None = Field(default=None, ge=1)
    min_p: float | None = Field(default=None, ge=0, le=1)
    seed: int | None = None
    tools: list[dict[str, Any]] | None = Field(default=None, max_length=350)
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    text: TextConfig | None = None
    reasoning: ReasoningConfig | None = None
    reasoning_effort: str | None = None
    search_parameters: dict[str, Any] | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=8)
    prompt_cache_key: str | None = None
    safety_identifier: str | None = None
    user: str | None = None
    service_tier: str | None = None

    def reply_limit(self) -> int | None:
        """The reply length the client asked for, if any."""
        return self.max_output_tokens

    def prompt_chars(self) -> int:
        """How much text the input holds (its JSON size: an upper bound, cheap to get)."""
        items = self.input if isinstance(self.input, str) else [i.model_dump() for i in self.input]
        return len(json.dumps(items, ensure_ascii=False)) + len(self.instructions or "")

    def items(self) -> list[Json]:
        """The input as items (a string is one user message), as the client wrote them, each
        message with its ``type``."""
        if isinstance(self.input, str):
            return [{"type": "message", "role": "user", "content": self.input}]
        items = [item.model_dump(by_alias=True, exclude_none=True) for item in self.input]
        return [{"type": "message"} | item if "role" in item else item for item in items]

    def text_format(self) -> Json:
        """``text.format`` as the response echoes it (``{"type": "text"}`` unless set)."""
        if self.text is None or self.text.format is None:
            return {"type": "text"}
        return self.text.format.model_dump(by_alias=True, exclude_none=True)

    def chat_body(self, messages: list[Json]) -> Json:
        """The chat request the engine serves for this request, with ``messages``."""
        body: Json = {"model": self.model, "messages": messages}
        body["max_tokens"] = self.max_output_tokens or DEFAULT_MAX_TOKENS
        for name in ("temperature", "top_p", "top_k", "min_p", "seed"):
            if (value := getattr(self, name)) is not None:
                body[name] = value
        if self.tools:  # function tools: the chat path decides (today: no local model takes them)
            body["tools"] = [_chat_tool(tool) for tool in self.tools]
            if self.tool_choice is not None:
                body["tool_choice"] = self.tool_choice
        fmt = self.text_format()
        if fmt["type"] == "json_object":
            body["response_format"] = {"type": "json_object"}
        elif fmt["type"] == "json_schema":
            schema = {"name": fmt.get("name") or "response", "schema": fmt.get("schema") or {}}
            body["response_format"] = {"type": "json_schema", "json_schema": schema}
        return body


def _chat_tool(tool: Json) -> Json:
    """A flat Responses function tool in the nested chat shape."""
    if "function" in tool:
        return tool
    fields = {k: v for k, v in tool.items() if k in ("name", "description", "parameters")}
    return {"type": "function", "function": fields}


def check_supported(request: ResponseRequest, model_id: str) -> None:
    """Refuse, with a 400 that says why, what no local model can do."""
    for tool in request.tools or []:
        kind = str(tool.get("type", ""))
        if kind in SERVER_SIDE_TOOLS or kind.startswith("web_search"):
            raise ApiError(
                400,
                f"The {kind} tool runs on xAI's servers: the local backend cannot run "
                f"server-side tools ({', '.join(SERVER_SIDE_TOOLS[:5])}, ...). "
                f"Send this request to xAI ({XAI}) or leave the tool out.",
            )
        if kind != "function":
            raise ApiError(400, f"Unknown tool type {kind or '(none)'}: expected 'function'.")
    if request.search_parameters is not None:
        raise ApiError(
            400,
            f"search_parameters (Live Search) runs on xAI's servers: send this request to "
            f"xAI ({XAI}) or leave it out.",
        )
    effort = request.reasoning.effort if request.reasoning else request.reasoning_effort
    if effort is not None:  # the catalog lists no reasoning efforts for any local model
        raise ApiError(400, f"Model {model_id} does not support parameter reasoningEffort.")


def _text(content: str | list[Any], where: str) -> str:
    """The text of a message's content; an image or a file is a 400."""
    if isinstance(content, str):
        return content
    texts = []
    for part in content:
        kind, text = part.get("type"), part.get("text")
        if kind not in ("input_text", "output_text") or not isinstance(text, str):
            raise ApiError(
                400, f"The local model reads text only: {where} has an {kind} part. Send text only."
            )
        texts.append(text)
    return "".join(texts)


def chat_messages(instructions: str | None, items: list[Json]) -> list[Json]:
    """Chat messages for ``instructions`` (a system message first) and input ``items``:
    ``developer`` is a system message, function calls an assistant message's ``tool_calls``,
    their outputs ``tool`` messages; reasoning and server-side tool items are left out."""
    messages: list[Json] = [{"role": "system", "content": instructions}] if instructions else []
    for number, item in enumerate(items, start=1):
        kind, where = item.get("type") or "message", f"input item {number}"
        if kind == "message":
            role = "system" if item["role"] == "developer" else item["role"]
            messages.append({"role": role, "content": _text(item["content"], where)})
        elif kind == "function_call":
            call = {"id": item["call_id"], "type": "function"}
            call["function"] = {"name": item["name"], "arguments": item["arguments"]}
            last = messages[-1] if messages else {}
            if last.get("role") == "assistant" and last.get("tool_calls"):
                last["tool_calls"].append(call)
            else:
                messages.append({"role": "assistant", "content": None, "tool_calls": [call]})
        elif kind == "function_call_output":
            content = _text(item["output"], where)
            messages.append({"role": "tool", "tool_call_id": item["call_id"], "content": content})
    if not any(m["role"] != "system" for m in messages):
        raise ApiError(400, "The input holds no message for the model to answer.")
    return messages
