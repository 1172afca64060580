"""What the pages share: pure helpers (no Streamlit) and small Streamlit components."""
