"""Chat: streaming with every parameter, live reasoning, per-reply stats, stop, regenerate, edit and
resend, n alternatives, tool calls, images, compare, export/import and view code."""

from __future__ import annotations

import streamlit as st

from playground.chat.compare import main_column
from playground.chat.compose import attach_images, take_message
from playground.chat.controls import show_controls
from playground.chat.conversation import ChatState
from playground.chat.history import show_compared, show_conversation, show_notices, show_read_only
from playground.chat.panel import parameter_panel, tools_and_schema
from playground.chat.responses_panel import pick_api, server_tools_panel
from playground.chat.send import STREAMING, ResponsesSetup, send
from playground.chat.shared import SHARED_CONVERSATION
from playground.chat.sidebar import export_import, pick_compared_models, show_usage
from playground.chat.stored import autosave, history, open_from_url
from playground.core.params import CHAT, RESPONSES, Endpoint
from playground.shell.model_picker import pick_language_model
from playground.shell.runs import wait_for_interrupted_run
from playground.shell.session import current_connection, session_client
from playground.shell.shared import show_shared
from playground.shell.workspace import workspace_id, workspace_store

st.title("Chat")
store, workspace = workspace_store(), workspace_id()
show_shared(store, workspace, SHARED_CONVERSATION)  # ?share=: a read-only copy, then stop
# Not connected (a refused key, a server away): said here, and the conversation stays in view.
client, connected = session_client("Not connected")
connection = current_connection()
state: ChatState = st.session_state.setdefault("chat_state", ChatState())
# A click during a stream starts this run while the interrupted one is still closing its stream
# (fast reruns): wait for it, so the reply below is drawn complete with its stopped mark and stats.
if not wait_for_interrupted_run(STREAMING):
    st.caption("The previous reply is still closing: rerun to see its stats.")
open_from_url(client, state, store, workspace)  # ?c=<id>, before the widgets it sets

with st.sidebar:
    history(state, store, workspace)
    model = pick_language_model(client, key="chat_model", purpose="chat") if connected else None
    responses = pick_api(connection.backend) == RESPONSES
    endpoint: Endpoint = RESPONSES if responses else CHAT
    system_prompt = st.text_area("System prompt", key="chat_system_prompt", height=68)
    with st.expander("Parameters", expanded=False):
        panel = parameter_panel(model, endpoint)
    setup = None  # Chat Completions
    if responses:
        setup = ResponsesSetup(connection.base_url, *server_tools_panel(connection.backend))
    others = pick_compared_models(client, model, panel.params, endpoint)
    show_usage(state, model, connection, system_prompt)
    with st.expander("Export / import"):
        export_import(client, state, model, panel.params, system_prompt)
if model is None:
    show_read_only(state.turns)
    st.stop()

tools_and_schema(panel)  # full width: the JSON editors of the Parameters panel
show_notices(state, connection, model)
show_conversation(state)
show_compared(state)
if model.accepts_images:
    attach_images(state)
take_message(state, model.accepts_images)
saving = (state, store, workspace, model.id, panel.params, system_prompt)
if state.take_pending():
    autosave(*saving)  # the message is kept (and named in the URL) before the reply streams
    columns = [main_column(model, panel.params), *others]
    send(client, state, columns, system_prompt, panel, setup)
if state.turns:
    base_url = connection.base_url
    show_controls(state, model.id, system_prompt, panel.params, base_url, responses=responses)
autosave(*saving)
