"""Streamlit glue every page shares: the sidebar, the session's connection and client, the model
picker, the view-code dialog.
"""
