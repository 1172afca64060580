"""Pure shared logic (no Streamlit): connection rules, the model catalog, code snippets, JSON
editors.
"""
