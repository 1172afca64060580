"""The chat page's sidebar widgets after the model, system prompt and parameters: the models to
compare with, the session's usage and context bar, and export / import of the conversation."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.chat.conversation import ChatState, context_fill
from playground.chat.export import export_json, export_markdown, import_json
from playground.chat.panel import load_parameters
from playground.core.catalog import ModelInfo
from playground.shell.model_picker import language_models
from xai_core import XaiClient

__all__ = ["export_import", "pick_compared_models", "show_usage"]

_EXPORTS = (  # label, exporter, file name, MIME type
    ("Export JSON", export_json, "chat.json", "application/json"),
    ("Export Markdown", export_markdown, "chat.md", "text/markdown"),
)


def pick_compared_models(client: XaiClient, model: ModelInfo | None) -> list[ModelInfo]:
    """With "Compare models" on: the 1–2 other models picked to answer next to ``model``."""
    if model is None or not st.toggle("Compare models", key="chat_compare"):
        return []
    candidates = {m.id: m for m in language_models(client) if m.id != model.id}
    picked = st.multiselect(
        "Compare with (1–2 models)", list(candidates), key="chat_compare_with", max_selections=2
    )
    return [candidates[m] for m in picked]


def show_usage(state: ChatState, model: ModelInfo | None) -> None:
    """The session's replies, tokens and cost; how full the model's context is."""
    st.caption(f"Session: {state.ledger.line()}")
    fill = context_fill(state.turns, model.context_length if model is not None else None)
    if fill is not None and model is not None:
        st.progress(fill[1], text=f"Context: {fill[0]:,} of {model.context_length:,} tokens")


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
    st.button(
        "Import", on_click=_import_conversation, args=(client, state), icon=":material/upload:"
    )


def _import_conversation(client: XaiClient, state: ChatState) -> None:
    """Callback of the Import button: replace the conversation and the panel with the file's."""
    upload = st.session_state.get("chat_import_file")
    pasted = st.session_state.get("chat_import_text") or ""
    if upload is None and not pasted.strip():
        state.notice = ("error", "Choose or paste a JSON file exported from this page first.")
        return
    source = "the pasted JSON" if upload is None else upload.name
    text = pasted if upload is None else upload.getvalue().decode("utf-8", errors="replace")
    try:
        imported = import_json(text)
    except ValueError as exc:
        state.notice = ("error", f"Could not import {source}: {exc}")
        return
    state.replace(imported.turns)
    st.session_state["chat_system_prompt"] = imported.system_prompt
    if imported.model and imported.model in {m.id for m in language_models(client)}:
        st.session_state["chat_model"] = imported.model
    skipped = load_parameters(imported.parameters)
    note = f" (left out: {', '.join(skipped)})" if skipped else ""
    state.notice = ("success", f"Imported {len(imported.turns)} messages{note}.")
