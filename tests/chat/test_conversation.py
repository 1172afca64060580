"""Turns, messages, request bodies, a turn filled from a run, the session ledger and the context
bar."""

from __future__ import annotations

from playground.chat.conversation import (
    ChatState,
    SessionLedger,
    Turn,
    context_fill,
    finish_turn,
    to_messages,
)
from playground.core.replies import ReplyStats
from playground.core.streaming import Run
from xai_core import BadRequestError, ChatCompletion, Usage

USAGE = Usage.model_validate(
    {
        "prompt_tokens": 213,
        "completion_tokens": 2,
        "total_tokens": 413,
        "prompt_tokens_details": {"cached_tokens": 192},
        "completion_tokens_details": {"reasoning_tokens": 198},
    }
)


def test_messages_carry_images_tool_calls_and_tool_results() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    turns = [
        Turn("user", "What is this?", images=["https://example.com/a.png"]),
        Turn("assistant", "", tool_calls=[call]),
        Turn("tool", "42", tool_call_id="c1"),
        Turn("assistant", "", error="failed"),  # nothing came: not sent
    ]
    assert to_messages("Be brief.", turns) == [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            ],
        },
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
    ]


def test_ledger_adds_tokens_and_cost_and_counts_unknown_cost() -> None:
    ledger = SessionLedger()
    ledger.add(ReplyStats(usage=USAGE, cost_usd=0.5))
    ledger.add(ReplyStats(usage=USAGE, cost_usd=None))
    assert ledger.total_tokens == 2 * (213 + 200)
    assert ledger.cost_usd == 0.5
    assert (
        ledger.line()
        == "2 replies · 826 tokens (426 in, 400 out) · ≈ $0.5 estimated (1 of unknown cost)"
    )


def test_context_fill_uses_the_last_usage() -> None:
    turns = [Turn("user", "hi"), Turn("assistant", "Olá", stats=ReplyStats(usage=USAGE))]
    assert context_fill(turns, 1000) == (215, 0.215)
    assert context_fill(turns, None) is None
    assert context_fill([Turn("user", "hi")], 1000) is None


def test_a_turn_is_filled_from_the_run_with_alternatives_and_tool_calls() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    reply = ChatCompletion.model_validate(
        {
            "model": "grok-4.3",
            "usage": USAGE.model_dump(),
            "choices": [
                {
                    "index": 0,
                    "message": {"content": "A", "reasoning_content": "hmm", "tool_calls": [call]},
                    "finish_reason": "tool_calls",
                },
                {"index": 1, "message": {"content": "B"}, "finish_reason": "stop"},
            ],
        }
    )
    run = Run("asked", call=lambda: reply)
    run.go()
    turn = Turn("assistant", "")
    finish_turn(turn, run, {})
    assert (turn.content, turn.reasoning, turn.alternatives) == ("A", "hmm", ["A", "B"])
    assert turn.tool_calls == [call]
    assert turn.stats is not None and turn.stats.finish_reason == "tool_calls"
    assert not turn.stopped and turn.error is None
    ledger = SessionLedger()
    ledger.add_reply(turn)
    assert ledger.replies == 1


def test_a_refused_turn_names_the_parameter_and_is_not_counted_without_usage() -> None:
    def refuse() -> ChatCompletion:
        raise BadRequestError("Argument not supported on this model: stop", status_code=400)

    run = Run("asked", call=refuse)
    run.go()
    turn = Turn("assistant", "")
    finish_turn(turn, run, {"stop": ["x"], "seed": 1})
    assert turn.error == "Argument not supported on this model: stop"
    assert turn.rejected_parameter == "stop" and turn.content == "" and turn.stats is None
    ledger = SessionLedger()
    ledger.add_reply(turn)
    assert ledger.replies == 0


def test_chat_state_sends_again_without_the_last_reply() -> None:
    state = ChatState(turns=[Turn("user", "hi"), Turn("assistant", "", error="cut")])
    state.send_again()
    assert [t.role for t in state.turns] == ["user"]
    assert state.take_pending() is True
    assert state.take_pending() is False  # asked once
    state.send_again()  # the last turn is the user's: nothing dropped
    assert [t.role for t in state.turns] == ["user"] and state.pending


def test_chat_state_edits_messages_and_tool_results() -> None:
    reply = Turn("assistant", "old")
    state = ChatState(turns=[Turn("user", "a"), reply, Turn("user", "b")], editing=0)
    state.compared = [("grok-x", Turn("assistant", "x"))]
    state.resend_from(0, "a2")
    assert [t.content for t in state.turns] == ["a2"]
    assert state.editing is None and state.compared == [] and state.take_pending()
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    state.add_tool_results([call], ["42"])
    tool = state.turns[-1]
    assert (tool.role, tool.content, tool.tool_call_id) == ("tool", "42", "c1")
    assert state.take_pending()
    state.add_user_message("look", ["https://example.com/a.png"])
    assert state.turns[-1].images == ["https://example.com/a.png"] and state.take_pending()


def test_chat_state_keeps_its_turns_list_and_its_ledger() -> None:
    state = ChatState()
    turns = state.turns
    state.ledger.replies = 3
    state.replace([Turn("user", "imported")])
    state.compared = [("grok-x", Turn("assistant", "x"))]
    state.continue_with(state.compared[0][1])
    assert state.turns is turns and [t.content for t in turns] == ["imported", "x"]
    assert state.compared == []
    state.editing = 0
    state.clear()
    assert state.turns is turns and turns == [] and state.editing is None
    assert state.ledger.replies == 3  # the session's cost survives a clear
    state.notice = ("success", "done")
    assert state.take_notice() == ("success", "done") and state.take_notice() is None
