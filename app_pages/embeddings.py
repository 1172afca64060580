"""Embeddings explorer (placeholder until the embeddings issue lands)."""

from __future__ import annotations

import streamlit as st

st.title("Embeddings")
st.caption("Embed a dataset, map it with UMAP or PCA, cluster it and search it.")
st.info("The embeddings explorer is being built.")
