"""The chat page's sidebar widgets after the model, system prompt and parameters: the models to
compare with (and their own settings), the session's usage and context bar, and export / import
of the conversation."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.compare import Column, compared_column, overrides_for
from playground.chat.conversation import ChatState, context_fill, to_messages
from playground.chat.export import (
    ImportedConversation,
    export_json,
    export_markdown,
    import_json,
    import_source,
)
from playground.chat.stored import load_conversation, start_new
from playground.core.catalog import ModelInfo, fields_for_model, rejected_parameters
from playground.core.connection import Connection
from playground.core.param_state import widget_keys
from playground.core.params import CHAT, Endpoint
from playground.core.text import plain
from playground.shell.model_picker import language_models
from playground.shell.parameter_form import parameter_inputs, read_parameters, show_errors
from playground.shell.token_counts import count_messages, show_count
from xai_core import XaiClient

__all__ = ["export_import", "pick_compared_models", "show_usage"]

_PICKED = "chat_compare_with"
_CONFIRM = "chat_import_confirm"  # (source, conversation) waiting for Replace / Cancel
_EXPORTS = (  # label, exporter, file name, MIME type
    ("Export JSON", export_json, "chat.json", "application/json"),
    ("Export Markdown", export_markdown, "chat.md", "text/markdown"),
)


def pick_compared_models(
    client: XaiClient, model: ModelInfo | None, params: dict[str, Any], endpoint: Endpoint = CHAT
) -> list[Column]:
    """With "Compare models" on: the 1–2 columns picked to answer next to ``model`` — other text
    models, or ``model`` itself again — each with its own settings (unset: as in Parameters) and
    a note of what it leaves out because its model does not take it."""
    if model is None or not st.toggle("Compare models", key="chat_compare"):
        return []
    candidates = {m.id: m for m in language_models(client)}
    options = [m for m in candidates if m != model.id] + [model.id]
    state = st.session_state
    obvious = options[:1] if len(options) == 2 else []  # one other model (offline): picked
    state[_PICKED] = [m for m in state.get(_PICKED, obvious) if m in options]
    picked = st.multiselect(
        "Compare with (1–2 models)",
        options,
        key=_PICKED,
        max_selections=2,
        format_func=lambda m: f"{m} (again, with its own settings)" if m == model.id else m,
        help="Pick the model above again to compare it with itself under other settings.",
    )
    return [_compared(candidates[m], params, endpoint, again=m == model.id) for m in picked]


def _compared(
    model: ModelInfo, params: dict[str, Any], endpoint: Endpoint, *, again: bool
) -> Column:
    """A compared model's own settings (in an expander, open for the model compared again)."""
    key = widget_keys(f"chat_cmp_{model.id}_")
    names = overrides_for(endpoint)
    shown = [f for f in fields_for_model(endpoint, model) if f.name in names]
    rejected = rejected_parameters(model)
    with st.expander(f"Settings for {model.id}", expanded=again, icon=":material/tune:"):
        st.caption("Unset: as in Parameters above.")
        parameter_inputs(shown, key, rejected, inherited=params)
        overrides, errors = read_parameters(shown, key, rejected)
        show_errors(errors)
    column = compared_column(model, params, overrides, again=again)
    if column.left_out_note:
        st.caption(f":material/block: {plain(f'{column.label}: {column.left_out_note}')}")
    return column


def show_usage(
    state: ChatState, model: ModelInfo | None, connection: Connection, system_prompt: str
) -> None:
    """How full the model's context is with the conversation as it will be sent next (counted by
    the server, else estimated), then the session's replies, tokens and cost, in two lines: how
    the context was counted and what the last reply was billed are in the line's help."""
    line = f"Session: {state.ledger.line(split=False)}"
    notes = [f"Session tokens: {state.ledger.split()}."]
    messages = to_messages(system_prompt, state.turns)
    if model is None or not messages:
        st.caption(line, help=" ".join(notes))
        return
    count = count_messages(connection, model.id, messages)
    notes.append(f"Context tokens {plain(count.source)} ({count.qualifier}).")
    fill = context_fill(state.turns, model.context_length)
    if fill is not None:
        notes.append(f"Last reply: {fill[0]:,} tokens billed (prompt and answer).")
    show_count("Context", count, model.context_length, bar=True)
    st.caption(line, help=" ".join(notes))


def export_import(
    client: XaiClient,
    state: ChatState,
    model: ModelInfo | None,
    params: dict[str, Any],
    system_prompt: str,
) -> None:
    """Download the conversation as JSON or Markdown; import one from a file or pasted JSON."""
    export_args = (model.id if model else "", params, system_prompt, state.turns)
    for label, export, file_name, mime in _EXPORTS:
        st.download_button(
            label,
            export(*export_args),
            file_name=file_name,
            mime=mime,
            icon=":material/download:",
            disabled=not state.turns,
        )
    st.file_uploader("Conversation JSON", type=["json"], key="chat_import_file")
    st.text_area("or paste it", key="chat_import_text", height=68)
    if st.session_state.get(_CONFIRM) is None:
        st.button("Import", on_click=_ask_import, args=(client, state), icon=":material/upload:")
        return
    source = st.session_state[_CONFIRM][0]
    st.warning(
        f"Import {plain(source)} as a new conversation? The open one ({len(state.turns)} "
        "messages) is closed; find it again under History.",
        icon=":material/warning:",
    )
    left, right = st.columns(2)
    left.button("Replace", on_click=_confirm_import, args=(client, state), type="primary")
    right.button("Cancel", on_click=lambda: st.session_state.pop(_CONFIRM, None))


def _ask_import(client: XaiClient, state: ChatState) -> None:
    """Callback of the Import button: what is wrong with the file at once; a good one goes into
    an empty chat at once, and with a conversation open after asking (Replace / Cancel). Neither
    source is ever ignored silently."""
    upload = st.session_state.get("chat_import_file")
    try:
        source, text = import_source(
            None if upload is None else upload.name,
            None if upload is None else upload.getvalue(),
            st.session_state.get("chat_import_text") or "",
        )
    except ValueError as exc:
        state.notice = ("error", str(exc))
        return
    try:
        imported = import_json(text)
    except ValueError as exc:
        state.notice = ("error", f"Could not import {source}: {exc}")
        return
    if state.turns:
        st.session_state[_CONFIRM] = (source, imported)
        return
    _import_conversation(client, state, imported)


def _confirm_import(client: XaiClient, state: ChatState) -> None:
    pending = st.session_state.pop(_CONFIRM, None)
    if pending is not None:
        _import_conversation(client, state, pending[1])


def _import_conversation(
    client: XaiClient, state: ChatState, imported: ImportedConversation
) -> None:
    """A new conversation with the file's turns and settings."""
    start_new(state)  # an import is a conversation of its own: the open one stays as it is
    skipped = load_conversation(client, state, imported)
    notes = [f"left out: {', '.join(skipped)}"] if skipped else []
    notes += [imported.note] if imported.note else []
    note = f" ({'; '.join(notes)})" if notes else ""
    state.notice = ("success", f"Imported {len(imported.turns)} messages{note}.")
