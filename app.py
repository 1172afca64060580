"""The router: page setup, the shared sidebar, then the chosen page."""

from __future__ import annotations

import streamlit as st

from playground.shell.sidebar import render_connection_panel

st.set_page_config(page_title="xAI Playground", page_icon=":material/science:", layout="wide")

chat = st.Page(
    "playground/chat/page.py",
    title="Chat",
    icon=":material/chat:",
    url_path="chat-page",  # unused: Streamlit serves the default page at the root URL only
    default=True,
)


def chat_alias() -> None:
    """``/chat``: the chat page (at the root URL), with the link's query parameters."""
    st.switch_page(chat, query_params=st.query_params.to_dict())


pages = [
    chat,
    st.Page(
        "playground/completions/page.py",
        title="Completions",
        icon=":material/notes:",
        url_path="completions",
    ),
    st.Page(
        "playground/embeddings/page.py",
        title="Embeddings",
        icon=":material/scatter_plot:",
        url_path="embeddings",
    ),
    st.Page(
        "playground/models/page.py",
        title="Models & pricing",
        icon=":material/sell:",
        url_path="models",
    ),
]
alias = st.Page(chat_alias, title="Chat", url_path="chat", visibility="hidden")
navigation = st.navigation([*pages, alias])
render_connection_panel()
navigation.run()
