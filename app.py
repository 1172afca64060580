"""The router: page setup, the shared sidebar, then the chosen page."""

from __future__ import annotations

import streamlit as st

from playground.shell.keep import WidgetKeeper
from playground.shell.session import CUSTOM_URL_KEY
from playground.shell.sidebar import render_connection_panel
from playground.shell.workspace import (
    keep_in_cookie,
    render_store_warning,
    workspace_id,
    workspace_store,
)

st.set_page_config(
    page_title="xAI Playground",
    page_icon=":material/science:",
    layout="wide",
    initial_sidebar_state=400,
)

pages = {
    "chat": st.Page(
        "playground/chat/page.py",
        title="Chat",
        icon=":material/chat:",
        url_path="chat-page",  # unused: Streamlit serves the default page at the root URL only
        default=True,
    ),
    "completions": st.Page(
        "playground/completions/page.py",
        title="Completions",
        icon=":material/notes:",
        url_path="completions",
    ),
    "embeddings": st.Page(
        "playground/embeddings/page.py",
        title="Embeddings",
        icon=":material/scatter_plot:",
        url_path="embeddings",
    ),
    "models": st.Page(
        "playground/models/page.py",
        title="Models & pricing",
        icon=":material/sell:",
        url_path="models",
    ),
}


def chat_alias() -> None:
    """``/chat``: the chat page (at the root URL), with the link's query parameters."""
    st.switch_page(pages["chat"], query_params=st.query_params.to_dict())


alias = st.Page(chat_alias, title="Chat", url_path="chat", visibility="hidden")
navigation = st.navigation([*pages.values(), alias], position="top")  # the sidebar keeps its height
if navigation is alias:
    navigation.run()
page_name = next(name for name, page in pages.items() if page is navigation)
store, workspace = workspace_store(), workspace_id()
keep_in_cookie(workspace)
# Every widget's value survives page switches, reloads and restarts (playground/shell/keep.py).
with WidgetKeeper(page_name, store, workspace, [CUSTOM_URL_KEY]) as keeper:
    render_connection_panel()
    render_store_warning(store)
    keeper.page_starts()
    navigation.run()
