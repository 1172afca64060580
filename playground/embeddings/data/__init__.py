"""Datasets in and out of the explorer (pure: no Streamlit)."""
