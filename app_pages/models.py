"""Models & pricing: the models the connected server offers, with prices when it lists them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.session import require_client
from xai_core import NotFoundError, PermissionDeniedError, XaiError, usd_per_million

st.title("Models & pricing")
client = require_client()

try:
    language_models = client.list_language_models()
except (NotFoundError, PermissionDeniedError):
    language_models = None
except XaiError as exc:
    st.error(f"Could not list models: {exc.message}", icon=":material/error:")
    st.stop()

st.subheader("Language models")
if language_models is not None:
    st.dataframe(
        pd.DataFrame(
            {
                "model": m.id,
                "input $/1M": usd_per_million(m.prompt_text_token_price),
                "cached input $/1M": usd_per_million(m.cached_prompt_text_token_price),
                "output $/1M": usd_per_million(m.completion_text_token_price),
                "context": m.max_prompt_length,
                "input": ", ".join(m.input_modalities),
            }
            for m in language_models
        ),
        hide_index=True,
        column_config={
            "input $/1M": st.column_config.NumberColumn(format="$%.3f"),
            "cached input $/1M": st.column_config.NumberColumn(format="$%.3f"),
            "output $/1M": st.column_config.NumberColumn(format="$%.3f"),
            "context": st.column_config.NumberColumn(format="localized"),
        },
    )
else:
    try:
        models = client.list_models()
    except XaiError as exc:
        st.error(f"Could not list models: {exc.message}", icon=":material/error:")
        st.stop()
    st.caption("This server does not publish prices (it has no /v1/language-models).")
    st.dataframe(
        pd.DataFrame({"model": m.id, "owned by": m.owned_by} for m in models), hide_index=True
    )

st.subheader("Embedding models")
try:
    embedding_models = client.list_embedding_models()
except (NotFoundError, PermissionDeniedError):
    embedding_models = []
except XaiError as exc:
    st.error(f"Could not list embedding models: {exc.message}", icon=":material/error:")
    embedding_models = []
if embedding_models:
    st.dataframe(
        pd.DataFrame(
            {
                "model": m.id,
                "input $/1M": usd_per_million(m.prompt_text_token_price),
                "input": ", ".join(m.input_modalities),
            }
            for m in embedding_models
        ),
        hide_index=True,
        column_config={"input $/1M": st.column_config.NumberColumn(format="$%.3f")},
    )
else:
    st.caption("This server lists no embedding models.")
