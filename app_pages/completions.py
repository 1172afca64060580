"""Completions sandbox (placeholder until the completions issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Completions")
st.caption("Raw text completions with parameter sliders, token probabilities and sweeps.")
st.info("The completions sandbox is being built.")
