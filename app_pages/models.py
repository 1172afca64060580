"""Models & pricing: the models the connected server offers, with prices when it lists them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.session import require_client
from xai_core import NotFoundError, XaiError, usd_per_million

st.title("Models & pricing")
client = require_client()
try:
    try:
        language_models = client.list_language_models()
    except NotFoundError:
        language_models = None
    if language_models is not None:
        table = pd.DataFrame(
            {
                "model": m.id,
                "input $/1M": usd_per_million(m.prompt_text_token_price),
                "cached input $/1M": usd_per_million(m.cached_prompt_text_token_price),
                "output $/1M": usd_per_million(m.completion_text_token_price),
                "context": m.max_prompt_length,
                "input": ", ".join(m.input_modalities),
            }
            for m in language_models
        )
        st.dataframe(table, hide_index=True)
    else:
        models = client.list_models()
        st.caption("This server does not publish prices (no /v1/language-models).")
        st.dataframe(
            pd.DataFrame({"model": m.id, "owned by": m.owned_by} for m in models),
            hide_index=True,
        )
except XaiError as exc:
    st.error(f"Could not list models: {exc.message}")
