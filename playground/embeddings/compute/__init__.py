"""Embedding jobs, projections, clusters and neighbours (pure: no Streamlit)."""
