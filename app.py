"""The router: page setup, the shared sidebar, then the chosen page."""

from __future__ import annotations

import streamlit as st

from playground.sidebar import render_connection_panel

st.set_page_config(page_title="xAI Playground", page_icon=":material/science:", layout="wide")

pages = [
    st.Page("app_pages/chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page("app_pages/completions.py", title="Completions", icon=":material/notes:"),
    st.Page("app_pages/embeddings.py", title="Embeddings", icon=":material/scatter_plot:"),
    st.Page(
        "app_pages/models.py", title="Models & pricing", icon=":material/sell:", url_path="models"
    ),
]
navigation = st.navigation(pages)
render_connection_panel()
navigation.run()
