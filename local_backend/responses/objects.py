"""The objects ``/v1/responses`` answers, in the shapes xAI records (``docs/xai-responses.md``
§3): the response object, its assistant message item, usage in the Responses shape (free: zero
ticks), and the ids. Pure functions."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from local_backend.responses.request import ResponseRequest

__all__ = [
    "ResponseDraft",
    "message_item",
    "new_response_id",
    "output_text_part",
    "responses_usage",
    "with_ids",
]

Json = dict[str, Any]


def new_response_id() -> str:
    """A response id: a UUID, as xAI's are."""
    return str(uuid.uuid4())


def output_text_part(text: str) -> Json:
    """An ``output_text`` content part (no citations, no logprobs locally)."""
    return {"type": "output_text", "text": text, "logprobs": [], "annotations": []}


def message_item(item_id: str, text: str | None, status: str) -> Json:
    """The assistant ``message`` output item; ``text`` None while it has no content part yet."""
    content = [] if text is None else [output_text_part(text)]
    return {"id": item_id, "type": "message", "role": "assistant", "status": status} | {
        "content": content
    }


def responses_usage(chat_usage: Json | None) -> Json:
    """Chat usage (``prompt_tokens`` ...) in the Responses shape: input includes the cached
    tokens, output the reasoning ones (none here), total = input + output; free, so zero ticks."""
    usage = chat_usage or {}
    prompt, completion = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
    cached = int((usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0))
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": min(cached, prompt)},
        "output_tokens": completion,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + completion,
        "num_sources_used": 0,
        "num_server_side_tools_used": 0,
        "cost_in_usd_ticks": 0,
        "context_details": {"input_tokens": prompt, "output_tokens": completion},
    }


def with_ids(items: list[Json], response_id: str) -> list[Json]:
    """Input items as ``input_items`` lists them: each with an ``id`` (its own if it had one).

    Two kinds of item match two branches of the spec's ``ModelInputPart`` at once, which its
    ``oneOf`` forbids, so they are listed in the one shape only one branch takes: a message whose
    content is ``output_text`` parts (an earlier answer sent back: a message and an output
    message) with its text as one string, and a reasoning item (a reasoning item, and with its
    ``encrypted_content`` a compaction item) without the encrypted reasoning, which no local
    model can read anyway."""
    listed = []
    for number, item in enumerate(items):
        entry = {"id": f"item_{response_id}_{number}"} | item
        content = entry.get("content")
        if isinstance(content, list) and all(p.get("type") == "output_text" for p in content):
            entry["content"] = "".join(str(p.get("text", "")) for p in content)
        if entry.get("type") != "compaction":
            entry.pop("encrypted_content", None)
        listed.append(entry)
    return listed


@dataclass
class ResponseDraft:
    """One response being made: what the request asked, and what the answer holds so far.

    ``instructions`` and ``previous_response_id`` are the effective ones (with a previous
    response, its instructions stay in force, as xAI documents)."""

    request: ResponseRequest
    model: str
    instructions: str | None
    id: str = field(default_factory=new_response_id)
    created_at: int = field(default_factory=lambda: int(time.time()))
    fingerprint: str = "fp_local"

    @property
    def message_id(self) -> str:
        """The id of the assistant message item."""
        return f"msg_{self.id}"

    def body(
        self,
        *,
        status: str,
        output: list[Json],
        usage: Json | None = None,
        error: Json | None = None,
    ) -> Json:
        """The response object (xAI's ``ModelResponse``, every required field)."""
        request = self.request
        incomplete = {"reason": "max_output_tokens"} if status == "incomplete" else None
        done = status == "completed"
        return {
            "id": self.id,
            "object": "response",
            "created_at": self.created_at,
            "completed_at": int(time.time()) if done else None,
            "model": self.model,
            "status": status,
            "output": output,
            "usage": usage,
            "error": error,
            "incomplete_details": incomplete,
            "instructions": self.instructions,
            "previous_response_id": request.previous_response_id,
            "store": request.store is not False,
            "max_output_tokens": request.max_output_tokens,
            "max_tool_calls": None,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "text": {"format": request.text_format()},
            "tools": request.tools or [],
            "tool_choice": request.tool_choice or "auto",
            "parallel_tool_calls": request.parallel_tool_calls is not False,
            "reasoning": None,
            "metadata": {"system_fingerprint": self.fingerprint},
            "background": False,
            "service_tier": "default",
            "truncation": "disabled",
            "top_logprobs": request.top_logprobs or 0,
            "presence_penalty": 0,
            "frequency_penalty": 0,
            "prompt_cache_key": request.prompt_cache_key,
            "safety_identifier": request.safety_identifier,
            "user": request.user,
        }

    def finished(self, chat: Json) -> Json:
        """The whole response from a non-streamed chat answer."""
        choice = (chat.get("choices") or [{}])[0]
        text = str((choice.get("message") or {}).get("content") or "")
        status = "incomplete" if choice.get("finish_reason") == "length" else "completed"
        self.fingerprint = str(chat.get("system_fingerprint") or self.fingerprint)
        output = [message_item(self.message_id, text, status)]
        return self.body(status=status, output=output, usage=responses_usage(chat.get("usage")))
