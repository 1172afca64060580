"""Chat: a streaming conversation with live reasoning, per-reply stats, stop and regenerate."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from playground.connection import BACKEND_LOCAL
from playground.conversation import ReplyStats, Turn, to_messages
from playground.model_picker import pick_language_model
from playground.session import current_connection, require_client
from xai_core import XaiClient, XaiError

TURNS = "chat_turns"
PENDING = "chat_pending_reply"
REDRAW_S = 0.05  # coalesce deltas: redraw at most every 50 ms

st.title("Chat")
client = require_client()
turns: list[Turn] = st.session_state.setdefault(TURNS, [])


def request_parameters() -> dict[str, Any]:
    """The sidebar's parameters; a field left empty is not sent."""
    with st.sidebar.expander("Parameters", expanded=False):
        temperature = st.number_input(
            "temperature",
            min_value=0.0,
            max_value=2.0,
            value=None,
            step=0.1,
            key="chat_temperature",
        )
        top_p = st.number_input(
            "top_p", min_value=0.0, max_value=1.0, value=None, step=0.05, key="chat_top_p"
        )
        max_tokens = st.number_input(
            "max_completion_tokens", min_value=1, value=None, step=64, key="chat_max_tokens"
        )
        seed = st.number_input("seed", value=None, step=1, key="chat_seed")
    return {
        "temperature": temperature,
        "top_p": top_p,
        "max_completion_tokens": max_tokens,
        "seed": seed,
    }


with st.sidebar:
    model = pick_language_model(client, key="chat_model")
    system_prompt = st.text_area("System prompt", key="chat_system_prompt", height=80)
params = request_parameters()
if model is None:
    st.stop()

if current_connection().backend == BACKEND_LOCAL:
    st.caption(
        f"{model.id} is a small offline demo model running on this machine: its answers ramble. "
        "Enter an xAI API key in the sidebar to chat with Grok."
    )


def show_turn(turn: Turn) -> None:
    with st.chat_message(turn.role):
        if turn.reasoning:
            with st.expander("Thinking", icon=":material/psychology:"):
                st.markdown(turn.reasoning)
        if turn.content:
            st.markdown(turn.content)
        if turn.stopped:
            st.caption(":material/stop_circle: Stopped: the reply above is partial.")
        if turn.error:
            st.error(turn.error, icon=":material/error:")
        if turn.stats is not None:
            st.caption(turn.stats.line())


def stream_reply(client: XaiClient) -> None:
    """Stream the next assistant turn; whatever arrives is kept, even if stopped or cut."""
    turn = Turn("assistant", "")
    turns.append(turn)  # in the history first, so a stop or a failure keeps what came
    with st.chat_message("assistant"):
        thinking_slot, answer_slot = st.empty(), st.empty()
        stream = client.stream_chat(
            model=model.id, messages=to_messages(system_prompt, turns[:-1]), **params
        )
        last_draw = 0.0
        try:
            for chunk in stream:
                for choice in chunk.choices:
                    if choice.index == 0:
                        turn.reasoning += choice.delta.reasoning_content or ""
                        turn.content += choice.delta.content or ""
                if time.monotonic() - last_draw >= REDRAW_S:
                    draw(turn, thinking_slot, answer_slot, cursor=True)
                    last_draw = time.monotonic()
        except XaiError as exc:
            turn.error = exc.message
        finally:
            stream.close()
            result = stream.result
            turn.stopped = stream.stopped
            finish = result.choices[0].finish_reason if result.choices else None
            turn.stats = ReplyStats.from_stream(
                result.model or model.id, result.usage, stream.stats, finish, model.prices
            )


def draw(turn: Turn, thinking_slot: Any, answer_slot: Any, *, cursor: bool) -> None:
    if turn.reasoning:
        box = thinking_slot.container()
        with box.expander("Thinking", expanded=not turn.content, icon=":material/psychology:"):
            st.markdown(turn.reasoning)
    answer_slot.markdown(turn.content + (" ▌" if cursor else ""))


for turn in turns:
    show_turn(turn)

prompt = st.chat_input("Message", submit_mode="stop")
if prompt:
    turns.append(Turn("user", prompt))
    show_turn(turns[-1])
    st.session_state[PENDING] = True

if st.session_state.pop(PENDING, False):
    stream_reply(client)
    st.rerun()

if turns:
    left, right = st.columns([1, 1])
    if turns[-1].role == "assistant" and left.button("Regenerate", icon=":material/refresh:"):
        turns.pop()
        st.session_state[PENDING] = True
        st.rerun()
    if right.button("Clear conversation", icon=":material/delete:"):
        turns.clear()
        st.rerun()
