"""The token view: a completion or a chat reply token by token, coloured by probability, with
alternatives (Completions and Chat both draw it).

Rendered as HTML built in :mod:`playground.core.token_html` (every token escaped; the only
markup is ours) through ``st.html``, plus a selectable table: select a row to see that
token's alternatives.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.core.token_html import tokens_html
from playground.core.token_probabilities import mean_logprob, perplexity, token_probabilities
from xai_core import CompletionLogprobs

__all__ = ["render_token_view"]


def render_token_view(prompt: str, suffix: str, logprobs: CompletionLogprobs, *, key: str) -> None:
    """Coloured tokens (hover for alternatives), summary figures and a selectable token table."""
    rows = token_probabilities(logprobs)
    st.html(tokens_html(prompt, rows, suffix))
    mean = mean_logprob(logprobs)
    ppl = perplexity(logprobs)
    summary = [f"{len(rows)} tokens"]
    if mean is not None and ppl is not None:
        summary += [f"mean log-probability {mean:.3f}", f"perplexity {ppl:.2f}"]
    summary.append("colour: red = unlikely, green = likely; hover a token for its alternatives")
    st.caption(" · ".join(summary))
    table: list[dict[str, Any]] = [
        {
            "#": row.index,
            "token": repr(row.token),
            "probability": row.probability,
            "logprob": row.logprob,
            "entropy (bits)": row.entropy_bits,
            "top alternatives": row.alternatives_text(),
        }
        for row in rows
    ]
    event: Any = st.dataframe(
        table,
        key=key,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        height=min(36 * (len(table) + 1) + 2, 300),
        column_config={
            "probability": st.column_config.ProgressColumn(
                "probability", min_value=0.0, max_value=1.0, format="percent"
            ),
            "logprob": st.column_config.NumberColumn("logprob", format="%.3f"),
            "entropy (bits)": st.column_config.NumberColumn("entropy (bits)", format="%.2f"),
        },
    )
    selected = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if selected and selected[0] < len(rows):
        row = rows[selected[0]]
        st.markdown(f"**Alternatives for token #{row.index}** `{row.token!r}`")
        st.dataframe(
            [{"token": repr(token), "probability": p} for token, p in row.alternatives],
            hide_index=True,
            column_config={
                "probability": st.column_config.ProgressColumn(
                    "probability", min_value=0.0, max_value=1.0, format="percent"
                )
            },
        )
