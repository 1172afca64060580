"""Chat: streaming with every parameter, live reasoning, per-reply stats, stop, regenerate, edit and
resend, n alternatives, tool calls, images, compare, export/import and view code."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.conversation import (
    SessionLedger,
    Turn,
    context_fill,
    finish_turn,
    image_data_url,
    to_messages,
)
from playground.chat.export import export_json, export_markdown, import_json
from playground.chat.panel import clear_parameter, load_parameters, parameter_panel
from playground.chat.view import draw, show_reply_body
from playground.core.catalog import ModelInfo
from playground.core.connection import BACKEND_LOCAL
from playground.core.streaming import Run, run_all
from playground.shell.code_view import view_code_button
from playground.shell.model_picker import language_models, pick_language_model
from playground.shell.runs import run_in_progress, wait_for_interrupted_run
from playground.shell.session import current_connection, require_client
from xai_core import ChatCompletion, XaiClient, chat_body

TURNS = "chat_turns"
PENDING = "chat_pending_reply"
LEDGER = "chat_ledger"
LAST_BODY = "chat_last_request"
EDITING = "chat_editing"
COMPARED = "chat_compared"  # the latest compare run: one assistant Turn per model
IMAGES = "chat_image_slot"  # bumps to give the attachment widgets fresh (empty) keys
NOTICE = "chat_notice"
STREAMING = "chat_streaming"  # the last streaming run's handle (playground.shell.runs)

st.title("Chat")
client = require_client()
state = st.session_state
turns: list[Turn] = state.setdefault(TURNS, [])
ledger: SessionLedger = state.setdefault(LEDGER, SessionLedger())
# A click during a stream starts this run while the interrupted one is still closing its stream
# (fast reruns): wait for it, so the reply below is drawn complete with its stopped mark and stats.
if not wait_for_interrupted_run(STREAMING):
    st.caption("The previous reply is still closing: rerun to see its stats.")


def import_conversation() -> None:
    """Callback of the Import button: replace the conversation and the panel with the file's."""
    upload = state.get("chat_import_file")
    pasted = state.get("chat_import_text") or ""
    if upload is None and not pasted.strip():
        state[NOTICE] = ("error", "Choose or paste a JSON file exported from this page first.")
        return
    source = "the pasted JSON" if upload is None else upload.name
    text = pasted if upload is None else upload.getvalue().decode("utf-8", errors="replace")
    try:
        imported = import_json(text)
    except ValueError as exc:
        state[NOTICE] = ("error", f"Could not import {source}: {exc}")
        return
    turns[:] = imported.turns
    state["chat_system_prompt"] = imported.system_prompt
    if imported.model and imported.model in {m.id for m in language_models(client)}:
        state["chat_model"] = imported.model
    skipped = load_parameters(imported.parameters)
    state.pop(COMPARED, None)
    note = f" (left out: {', '.join(skipped)})" if skipped else ""
    state[NOTICE] = ("success", f"Imported {len(imported.turns)} messages{note}.")


def retry_without(name: str) -> None:
    """Callback: clear the parameter the server rejected, drop the failed reply, send again."""
    clear_parameter(name)
    if turns and turns[-1].role == "assistant":
        turns.pop()
    state[PENDING] = True


def retry() -> None:
    """Callback: drop the failed reply and send the conversation again."""
    if turns and turns[-1].role == "assistant":
        turns.pop()
    state[PENDING] = True


def pick_alternative(index: int) -> None:
    """Callback: continue the conversation with the alternative chosen for turn ``index``."""
    turn = turns[index]
    turn.content = turn.alternatives[state[f"chat_pick_{index}"]]


with st.sidebar:
    model = pick_language_model(client, key="chat_model")
    system_prompt = st.text_area("System prompt", key="chat_system_prompt", height=80)
    with st.expander("Parameters", expanded=False):
        panel = parameter_panel(model.id if model is not None else "")
    others: list[ModelInfo] = []
    if model is not None and st.toggle("Compare models", key="chat_compare"):
        candidates = {m.id: m for m in language_models(client) if m.id != model.id}
        picked = st.multiselect(
            "Compare with (1–2 models)", list(candidates), key="chat_compare_with", max_selections=2
        )
        others = [candidates[m] for m in picked]
    st.caption(f"Session: {ledger.line()}")
    fill = context_fill(turns, model.context_length if model is not None else None)
    if fill is not None and model is not None:
        st.progress(fill[1], text=f"Context: {fill[0]:,} of {model.context_length:,} tokens")
    with st.expander("Export / import"):
        export_args = (model.id if model else "", panel.params, system_prompt, turns)
        st.download_button(
            "Export JSON",
            export_json(*export_args),
            file_name="chat.json",
            mime="application/json",
            icon=":material/download:",
            disabled=not turns,
        )
        st.download_button(
            "Export Markdown",
            export_markdown(*export_args),
            file_name="chat.md",
            mime="text/markdown",
            icon=":material/download:",
            disabled=not turns,
        )
        st.file_uploader("Conversation JSON", type=["json"], key="chat_import_file")
        st.text_area("or paste it", key="chat_import_text", height=68)
        st.button("Import", on_click=import_conversation, icon=":material/upload:")

if model is None:
    st.stop()

notice = state.pop(NOTICE, None)
if notice is not None:
    (st.error if notice[0] == "error" else st.success)(notice[1])

if current_connection().backend == BACKEND_LOCAL:
    st.caption(
        f"{model.id} is a small offline demo model running on this machine: its answers ramble. "
        "Enter an xAI API key in the sidebar to chat with Grok."
    )


def show_alternatives(index: int, turn: Turn) -> None:
    """With n > 1: every choice in a tab, and which one the conversation continues with."""
    labels = [f"Reply {k + 1}" for k in range(len(turn.alternatives))]
    for tab, text in zip(st.tabs(labels), turn.alternatives, strict=True):
        tab.markdown(text)
    chosen = turn.alternatives.index(turn.content) if turn.content in turn.alternatives else 0
    st.radio(
        "Continue with",
        range(len(turn.alternatives)),
        index=chosen,
        format_func=lambda k: labels[k],
        horizontal=True,
        key=f"chat_pick_{index}",
        on_change=pick_alternative,
        args=(index,),
    )


def show_user_turn(index: int, turn: Turn) -> None:
    if state.get(EDITING) == index:
        text = st.text_area("Edit message", value=turn.content, key=f"chat_edit_{index}")
        left, right = st.columns(2)
        resend = left.button("Resend from here", key=f"chat_resend_{index}", type="primary")
        if resend and not text.strip():
            st.caption(":material/info: Nothing sent: the message is empty (Cancel keeps it).")
        elif resend:
            turn.content = text
            del turns[index + 1 :]
            state.pop(EDITING, None)
            state.pop(COMPARED, None)
            state[PENDING] = True
            st.rerun()
        if right.button("Cancel", key=f"chat_cancel_{index}"):
            state.pop(EDITING, None)
            st.rerun()
        return
    st.markdown(turn.content)
    for url in turn.images:
        st.caption(f":material/image: {url[:40]}…" if len(url) > 40 else f":material/image: {url}")
    if st.button("Edit", key=f"chat_edit_button_{index}", icon=":material/edit:", type="tertiary"):
        state[EDITING] = index
        st.rerun()


def show_tool_results_form(index: int, turn: Turn) -> None:
    """Under the last reply's tool calls: the user types each result, then the chat goes on."""
    with st.form(f"chat_tool_form_{index}"):
        results = [
            st.text_area(
                f"Result of {call.get('function', {}).get('name', 'the call')}",
                key=f"chat_tool_result_{index}_{k}",
            )
            for k, call in enumerate(turn.tool_calls)
        ]
        if st.form_submit_button("Send tool results", icon=":material/send:"):
            for call, result in zip(turn.tool_calls, results, strict=True):
                turns.append(Turn("tool", result, tool_call_id=str(call.get("id", ""))))
            state[PENDING] = True
            st.rerun()


def show_turn(index: int, turn: Turn) -> None:
    if turn.role == "tool":
        with st.chat_message("tool", avatar=":material/build:"):
            st.caption(f"Result for {turn.tool_call_id}")
            st.code(turn.content, language=None)
        return
    with st.chat_message(turn.role):
        if turn.role == "user":
            show_user_turn(index, turn)
            return
        show_reply_body(turn)
        if turn.alternatives:
            show_alternatives(index, turn)
        if turn.tool_calls and index == len(turns) - 1:
            show_tool_results_form(index, turn)
        if turn.error and index == len(turns) - 1:
            st.button("Retry", key="chat_retry", icon=":material/replay:", on_click=retry)
        if turn.rejected_parameter and index == len(turns) - 1:
            st.button(
                f"Retry without {turn.rejected_parameter}",
                key="chat_retry_without",
                icon=":material/replay:",
                on_click=retry_without,
                args=(turn.rejected_parameter,),
            )


def stop_button() -> None:
    """A click reruns the page, which interrupts the stream: the partial reply is kept and shown
    marked as stopped (the chat input's stop button halts the run without redrawing it)."""
    st.button("Stop", key="chat_stop_streaming", icon=":material/stop_circle:")


def stream_reply(client: XaiClient, model: ModelInfo, params: dict[str, Any]) -> None:
    """Stream the next assistant turn; whatever arrives is kept, even if stopped or cut."""
    messages = to_messages(system_prompt, turns)
    state[LAST_BODY] = chat_body(model.id, messages, params, stream=True)
    turn = Turn("assistant", "")
    turns.append(turn)  # in the history first, so a stop or a failure keeps what came
    with st.chat_message("assistant"):
        thinking_slot, answer_slot = st.empty(), st.empty()
    stop_button()
    run = Run(
        model.id,
        model.prices,
        open_stream=lambda: client.stream_chat(model=model.id, messages=messages, **params),
    )
    with run_in_progress(STREAMING):
        try:
            run.go(lambda reply: draw(reply, thinking_slot, answer_slot))
        finally:
            finish_turn(turn, run, params)
            ledger.add_reply(turn)


def stream_compare(client: XaiClient, models: list[ModelInfo], params: dict[str, Any]) -> None:
    """Send the conversation to every model at once; one column per model, drawn as they come."""
    messages = to_messages(system_prompt, turns)
    state[LAST_BODY] = chat_body(models[0].id, messages, params, stream=True)
    replies = [Turn("assistant", "") for _ in models]
    state[COMPARED] = list(zip([m.id for m in models], replies, strict=True))
    slots = []
    for column, info in zip(st.columns(len(models)), models, strict=True):
        with column:
            st.caption(info.id)
            slots.append((st.empty(), st.empty()))
    stop_button()

    def opener(model_id: str) -> Any:
        return lambda: client.stream_chat(model=model_id, messages=messages, **params)

    def drawer(thinking_slot: Any, answer_slot: Any) -> Any:
        return lambda reply: draw(reply, thinking_slot, answer_slot)

    runs: list[Run[ChatCompletion]] = [
        Run(m.id, m.prices, open_stream=opener(m.id)) for m in models
    ]
    with run_in_progress(STREAMING):
        try:
            run_all(runs, [drawer(*pair) for pair in slots])
        finally:
            for reply, run in zip(replies, runs, strict=True):
                finish_turn(reply, run, params)
                ledger.add_reply(reply)


def show_compared() -> None:
    """The latest compare run, side by side; any column's reply can continue the conversation."""
    compared: list[tuple[str, Turn]] = state.get(COMPARED) or []
    if not compared:
        return
    for column, (model_id, reply) in zip(st.columns(len(compared)), compared, strict=True):
        with column:
            st.caption(model_id)
            with st.chat_message("assistant"):
                show_reply_body(reply)
            if st.button("Continue with this reply", key=f"chat_compare_pick_{model_id}"):
                turns.append(reply)
                state.pop(COMPARED, None)
                st.rerun()


def take_images() -> list[str]:
    """The attached image (upload or URL) as URLs for the next user message."""
    slot = state.get(IMAGES, 0)
    urls = []
    upload = state.get(f"chat_image_upload_{slot}")
    if upload is not None:
        urls.append(image_data_url(upload.getvalue(), upload.type or "image/png"))
    url = (state.get(f"chat_image_url_{slot}") or "").strip()
    if url:
        urls.append(url)
    if urls:
        state[IMAGES] = slot + 1
    return urls


for index, turn in enumerate(turns):
    show_turn(index, turn)
show_compared()

if model.accepts_images:
    with st.expander("Attach an image", icon=":material/image:"):
        slot = state.get(IMAGES, 0)
        st.file_uploader(
            "Upload", type=["png", "jpg", "jpeg", "gif", "webp"], key=f"chat_image_upload_{slot}"
        )
        st.text_input("or an image URL", key=f"chat_image_url_{slot}")

prompt = st.chat_input("Message", submit_mode="stop")
if prompt is not None and not prompt.strip():
    st.caption(":material/info: Nothing sent: the message is empty.")
elif prompt:
    images = take_images() if model.accepts_images else []
    turns.append(Turn("user", prompt, images=images))
    show_turn(len(turns) - 1, turns[-1])
    state.pop(COMPARED, None)
    state[PENDING] = True

if state.pop(PENDING, False):
    if panel.errors:
        st.error(
            "Not sent: fix the parameters first. " + " ".join(panel.errors),
            icon=":material/error:",
        )
    elif others:
        stream_compare(client, [model, *others], panel.params)
        st.rerun()
    else:
        stream_reply(client, model, panel.params)
        st.rerun()

if turns:
    left, middle, right = st.columns(3)
    if turns[-1].role == "assistant" and left.button("Regenerate", icon=":material/refresh:"):
        turns.pop()
        state[PENDING] = True
        st.rerun()
    if turns[-1].role in ("user", "tool") and left.button("Send", icon=":material/send:"):
        state[PENDING] = True
        st.rerun()
    if middle.button("Clear conversation", icon=":material/delete:"):
        turns.clear()
        state.pop(COMPARED, None)
        state.pop(EDITING, None)
        st.rerun()
    with right:
        body = state.get(LAST_BODY) or chat_body(
            model.id, to_messages(system_prompt, turns), panel.params, stream=True
        )
        view_code_button(
            "chat/completions", body, current_connection().base_url, key="chat_view_code"
        )
