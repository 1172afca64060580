"""Chat playground (placeholder until the chat issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Chat")
st.caption("Streaming chat with every request parameter, live reasoning, cost and latency.")
st.info("The chat playground is being built. The connection panel in the sidebar already works.")
