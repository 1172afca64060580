"""A Responses reply kept as a conversation turn (pure, no Streamlit): its text, reasoning summary,
function calls (answered with the page's tool-results form), server-side tool calls, citations,
stored id and the items a stateless next turn resends; what went wrong, in plain words, with the
one click that fixes it when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playground.chat.api_choice import RESPONSES, responses_unserved
from playground.chat.conversation import Turn
from playground.chat.reply_text import incomplete_text
from playground.chat.responses_request import stores
from playground.core.params import parameter_named_in_error
from playground.core.streaming import Run
from xai_core import (
    APIStatusError,
    BadRequestError,
    Response,
    ResponseIncompleteError,
    ServerToolCall,
)

__all__ = [
    "OFFER_CHAT_COMPLETIONS",
    "OFFER_RESEND",
    "UNKNOWN_STORED",
    "UNSERVED",
    "activity_of",
    "finish_response_turn",
]

OFFER_CHAT_COMPLETIONS = "use_chat_completions"  # Turn.offer: switch the API and send again
OFFER_RESEND = "resend_history"  # Turn.offer: send the whole history instead of the stored id
UNSERVED = (
    "This server does not serve the Responses API (/v1/responses). Switch to Chat Completions "
    "to go on: the conversation is kept."
)
UNKNOWN_STORED = (
    "The server no longer knows the stored response this turn continued (unknown or expired: "
    "stored responses are kept 30 days). Resend the history instead: the conversation is kept."
)


def activity_of(call: ServerToolCall) -> dict[str, Any]:
    """A server-side tool call as the turn keeps it (plain JSON)."""
    code = call.arguments.get("code") if isinstance(call.arguments, dict) else None
    return {
        "kind": call.kind,
        "name": call.name,
        "status": call.status,
        "query": call.query,
        "sources": list(call.sources),
        "code": code if isinstance(code, str) else None,
    }


def _fill(turn: Turn, reply: Response, *, finished: bool, stored: bool) -> None:
    turn.content = reply.output_text
    turn.reasoning = reply.reasoning_summary
    turn.tool_calls = [
        {
            "id": call.call_id or f"call_{number}",
            "type": "function",
            "function": {"name": call.name, "arguments": call.arguments},
        }
        for number, call in enumerate(reply.function_calls)
    ]
    turn.tool_activity = [activity_of(call) for call in reply.server_tool_calls]
    turn.citations = [{"url": c.url, "title": c.title or c.url} for c in reply.citations if c.url]
    turn.response_id = (reply.id or None) if stored else None
    turn.replay_items = reply.replay_items() if finished else []


def _error(turn: Turn, run: Run[Response], sent: Mapping[str, Any], continued: bool) -> None:
    error = run.error
    if isinstance(error, ResponseIncompleteError):
        turn.error = incomplete_text(error.reason)
        return
    turn.error = run.error_text
    if responses_unserved(error, continued):
        turn.error, turn.offer = UNSERVED, OFFER_CHAT_COMPLETIONS
    elif continued and isinstance(error, APIStatusError) and error.status_code == 404:
        turn.error, turn.offer = f"{UNKNOWN_STORED} ({error.message})", OFFER_RESEND
    elif isinstance(error, BadRequestError):
        turn.rejected_parameter = parameter_named_in_error(error.message, sent)


def finish_response_turn(
    turn: Turn, run: Run[Response], sent: Mapping[str, Any], *, chain: str, continued: bool
) -> None:
    """Fill ``turn`` from a closed Responses run, whatever came (all of it, or what arrived
    before a stop, a failure or an incomplete ending). ``sent`` is the panel's parameters,
    ``chain`` what the reply continues (:func:`playground.chat.continuation.chain_key`), and
    ``continued`` whether the request named a stored response."""
    turn.api, turn.chain = RESPONSES, chain
    turn.stopped = run.stopped
    turn.stats = run.reply_stats()
    if run.error is not None:
        _error(turn, run, sent, continued)
    reply = run.result
    if reply is not None:
        finished = run.error is None and not run.stopped
        _fill(turn, reply, finished=finished, stored=stores(sent) and finished)
