"""A chat conversation as the page keeps it, and the messages it sends (pure, no Streamlit)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from playground.chat.images import chat_image_part
from playground.core.money import CostTotal
from playground.core.params import parameter_named_in_error
from playground.core.replies import ReplyStats, tool_counts_text
from playground.core.streaming import Run
from xai_core import BadRequestError, ChatCompletion, ChatLogprobs

__all__ = [
    "ChatState",
    "SessionLedger",
    "Turn",
    "context_fill",
    "finish_turn",
    "to_messages",
    "token_items",
    "tool_call_counts",
]


@dataclass
class Turn:
    """One message of the conversation. An assistant turn may be partial (stopped or failed).

    ``alternatives`` holds every choice's text when ``n > 1`` was asked; ``content`` is the one
    the conversation continues with. ``images`` are URLs (``data:`` URLs for uploads) sent with a
    user message; ``tool_calls`` are an assistant's function calls in the chat API's shape (a
    Responses reply's function calls too, ``id`` being the ``call_id``); a ``tool`` turn answers
    the call ``tool_call_id``.

    A reply of the Responses API (``api == "responses"``) also keeps its stored ``response_id``,
    the ``chain`` it continues (server, model and system prompt, see
    :mod:`playground.chat.continuation`), the ``replay_items`` a stateless next turn resends, the
    server-side ``tool_activity`` (``{"kind", "name", "status", "query", "sources", "code"}``)
    and its ``citations`` (``{"url", "title"}``).
    """

    role: str
    content: str
    reasoning: str = ""
    stats: ReplyStats | None = None
    stopped: bool = False
    error: str | None = None
    created: float = field(default_factory=time.time)
    alternatives: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    #: How closely the model looks at ``images``: ``low``, ``high`` or ``auto`` (``None``: not
    #: said, the server's default).
    image_detail: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    tool_call_id: str | None = None
    rejected_parameter: str | None = None  # named by the server's 400, offered to drop
    api: str = "chat"  # the API that answered: "chat" (completions) or "responses"
    response_id: str | None = None
    chain: str | None = None
    replay_items: list[dict[str, Any]] = field(default_factory=list)
    tool_activity: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, str]] = field(default_factory=list)
    offer: str | None = None  # the one-click fix the page offers for its error (responses_reply)
    #: A reply's tokens with their log-probabilities (chat ``logprobs.content`` items), when
    #: they were asked for.
    logprobs: list[dict[str, Any]] = field(default_factory=list)

    def to_message(self) -> dict[str, Any]:
        """This turn as an OpenAI-format message."""
        if self.role == "tool":
            return {
                "role": "tool",
                "tool_call_id": self.tool_call_id or "",
                "content": self.content,
            }
        if self.tool_calls:
            return {
                "role": self.role,
                "content": self.content or None,
                "tool_calls": self.tool_calls,
            }
        if self.images:
            parts: list[dict[str, Any]] = [{"type": "text", "text": self.content}]
            parts += [chat_image_part(url, self.image_detail) for url in self.images]
            return {"role": self.role, "content": parts}
        return {"role": self.role, "content": self.content}


def to_messages(system_prompt: str, turns: Iterable[Turn]) -> list[dict[str, Any]]:
    """The request's messages: the system prompt (when set), then every turn with something to
    say (an assistant turn that failed before any text is left out)."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt.strip() else []
    messages += [
        turn.to_message()
        for turn in turns
        if turn.content or turn.tool_calls or turn.role in ("user", "tool")
    ]
    return messages


#: A server-side tool call's kind -> its ``server_side_tool_usage_details`` key.
_USAGE_KEYS = {
    "web_search": "web_search_calls",
    "x_search": "x_search_calls",
    "code_execution": "code_interpreter_calls",
    "file_search": "file_search_calls",
    "mcp": "mcp_calls",
    "image_generation": "image_generation_calls",
}


def tool_call_counts(turn: Turn) -> dict[str, int]:
    """A reply's server-side tool calls by usage key: as billed (the usage's details) when the
    server said, else counted from the calls it showed."""
    usage = turn.stats.usage if turn.stats is not None else None
    details = getattr(usage, "server_side_tool_usage_details", None)
    if isinstance(details, dict) and details:
        return {str(k): int(v) for k, v in details.items() if isinstance(v, int) and v}
    counts: dict[str, int] = {}
    for call in turn.tool_activity:
        key = _USAGE_KEYS.get(str(call.get("kind")), f"{call.get('kind')}_calls")
        counts[key] = counts.get(key, 0) + 1
    return counts


@dataclass
class SessionLedger:
    """Every reply of the session (regenerated and compared ones too): tokens, cost (what the
    server billed apart from what is estimated from prices) and server-side tool calls."""

    replies: int = 0
    prompt_tokens: int = 0
    output_tokens: int = 0
    cost: CostTotal = field(default_factory=CostTotal)
    tool_calls: dict[str, int] = field(default_factory=dict)  # by usage key

    def add_reply(self, turn: Turn) -> None:
        """Count a finished reply, unless it failed before the server said what it used (a
        request the server refused is counted as not billed)."""
        if turn.stats is not None and turn.stats.refused:
            self.cost.add(None, refused=True)
        elif turn.stats is not None and (turn.stats.usage is not None or not turn.error):
            self.add(turn.stats)
            for key, number in tool_call_counts(turn).items():
                self.tool_calls[key] = self.tool_calls.get(key, 0) + number

    def add(self, stats: ReplyStats) -> None:
        """Count one reply."""
        self.replies += 1
        if stats.usage is not None:
            self.prompt_tokens += stats.usage.prompt_tokens
            self.output_tokens += stats.usage.output_tokens
        self.cost.add(stats.cost_usd, billed=stats.billed, free=stats.free)

    @property
    def cost_usd(self) -> float:
        """Billed and estimated together."""
        return self.cost.usd

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens

    def line(self, *, split: bool = True) -> str:
        """``3 replies · 1,204 tokens (1,000 in, 204 out) · $0.000912 billed (1 of unknown
        cost) · 2 web searches`` (without ``(… in, … out)`` when not ``split``); ``free`` for a
        free model's replies."""
        tools = tool_counts_text(self.tool_calls)
        tokens = f"{self.total_tokens:,} tokens"
        if split:
            tokens += f" ({self.split()})"
        return (
            f"{self.replies} {'reply' if self.replies == 1 else 'replies'} · {tokens}"
            f" · {self.cost.text()}" + (f" · {tools}" if tools else "")
        )

    def split(self) -> str:
        """``1,000 in, 204 out``."""
        return f"{self.prompt_tokens:,} in, {self.output_tokens:,} out"


def context_fill(turns: Iterable[Turn], context_length: int | None) -> tuple[int, float] | None:
    """How full the model's context is after the last reply with usage: (tokens, fraction ≤ 1).

    ``None`` when the context window or any usage is unknown.
    """
    if not context_length:
        return None
    last = None
    for turn in turns:
        if turn.stats is not None and turn.stats.usage is not None:
            last = turn.stats.usage
    if last is None:
        return None
    used = last.prompt_tokens + last.answer_tokens
    return used, min(1.0, used / context_length)


def token_items(logprobs: ChatLogprobs | None) -> list[dict[str, Any]]:
    """A reply's ``logprobs.content`` as plain items ``{"token", "logprob", "top_logprobs":
    [{"token", "logprob"}]}`` (what the token view reads; bytes and ids are left out)."""
    return [
        {
            "token": item.token,
            "logprob": item.logprob,
            "top_logprobs": [{"token": t.token, "logprob": t.logprob} for t in item.top_logprobs],
        }
        for item in (logprobs.content or [] if logprobs is not None else [])
    ]


def finish_turn(turn: Turn, run: Run[ChatCompletion], sent: Mapping[str, Any]) -> None:
    """Fill ``turn`` from a closed run, whatever came (all of it, or the part before a stop or a
    failure): text, reasoning, alternatives (n > 1), tool calls, stats, stopped mark, error, and
    the parameter of ``sent`` a 400 names (offered to drop)."""
    turn.stopped = run.stopped
    turn.stats = run.reply_stats()
    turn.error = run.error_text
    if isinstance(run.error, BadRequestError):
        turn.rejected_parameter = parameter_named_in_error(run.error.message, sent)
    choices = run.result.choices if run.result is not None else []
    if len(choices) > 1:
        turn.alternatives = [c.message.content or "" for c in choices]
    if not choices:
        return
    turn.logprobs = token_items(choices[0].logprobs)
    first = choices[0].message
    turn.content = first.content or ""
    turn.reasoning = first.reasoning_content or ""
    turn.tool_calls = [
        {
            "id": call.id or f"call_{number}",
            "type": call.type or "function",
            "function": {
                "name": call.function.name or "",
                "arguments": call.function.arguments or "",
            },
        }
        for number, call in enumerate(first.tool_calls or [])
    ]


@dataclass
class ChatState:
    """Everything the chat page keeps between runs (one per session).

    ``turns`` is changed in place, never replaced: a run a click interrupted still fills the turn
    it appended. ``compared`` is the latest compare run (one reply per model, not yet in the
    conversation); ``editing`` the user turn being edited; ``pending`` asks the next run to send;
    ``last_body`` is the last request sent to ``last_endpoint`` (for View code);
    ``resend_history`` asks the next Responses request to resend the history; ``image_slot``
    bumps to give the attachment widgets fresh, empty keys; ``notice`` is a ``(kind, text)`` for
    the next run.
    """

    turns: list[Turn] = field(default_factory=list)
    ledger: SessionLedger = field(default_factory=SessionLedger)
    compared: list[tuple[str, Turn]] = field(default_factory=list)
    editing: int | None = None
    pending: bool = False
    last_body: dict[str, Any] | None = None
    last_endpoint: str = "chat/completions"
    resend_history: bool = False  # the next Responses request resends the whole history
    image_slot: int = 0
    notice: tuple[str, str] | None = None

    def take_pending(self) -> bool:
        """Whether a send was asked for (and forget the ask)."""
        pending, self.pending = self.pending, False
        return pending

    def take_notice(self) -> tuple[str, str] | None:
        """The notice left for this run, if any (and forget it)."""
        notice, self.notice = self.notice, None
        return notice

    def send_again(self) -> None:
        """Drop the last reply (when the last turn is one) and send the conversation again."""
        if self.turns and self.turns[-1].role == "assistant":
            self.turns.pop()
        self.pending = True

    def add_user_message(self, text: str, images: list[str], detail: str | None = None) -> None:
        """Append the user's message (with its images and how closely to look at them) and send
        it (a compare run on screen is dropped)."""
        self.turns.append(
            Turn("user", text, images=images, image_detail=detail if images else None)
        )
        self.compared = []
        self.pending = True

    def add_tool_results(self, calls: list[dict[str, Any]], results: list[str]) -> None:
        """Answer each tool call with the result the user typed, and send."""
        for call, result in zip(calls, results, strict=True):
            self.turns.append(Turn("tool", result, tool_call_id=str(call.get("id", ""))))
        self.pending = True

    def resend_from(self, index: int, text: str) -> None:
        """Replace user turn ``index`` with ``text``, drop every later turn, and send."""
        self.turns[index].content = text
        del self.turns[index + 1 :]
        self.editing = None
        self.compared = []
        self.pending = True

    def continue_with(self, reply: Turn) -> None:
        """Take one compared reply into the conversation."""
        self.turns.append(reply)
        self.compared = []

    def replace(self, turns: list[Turn]) -> None:
        """Replace the conversation (an import)."""
        self.turns[:] = turns
        self.compared = []

    def clear(self) -> None:
        """Forget the conversation (the session's ledger stays)."""
        self.turns.clear()
        self.compared = []
        self.editing = None
