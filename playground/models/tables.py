"""How the Models & pricing page shows its tables: column formats, "—" for a missing value
(never a literal "None"), (field, value) tables with every row in view, CSV downloads."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from playground.models.compute import BLENDED, table_csv

__all__ = [
    "COST_COLUMNS",
    "DIFF_COLUMNS",
    "MISSING",
    "MODEL_COLUMNS",
    "download_csv",
    "show_facts",
    "show_table",
]

USD = "$%.3f"
#: What a table cell says when the server gives no value (never a literal "None").
MISSING = "—"
MODEL_COLUMNS: dict[str, Any] = {
    "context": st.column_config.NumberColumn(format="localized", help="max prompt tokens"),
    "input $/1M": st.column_config.NumberColumn(format=USD),
    "cached input $/1M": st.column_config.NumberColumn(format=USD),
    "output $/1M": st.column_config.NumberColumn(format=USD),
    "image input $/1M": st.column_config.NumberColumn(format=USD),
    BLENDED: st.column_config.NumberColumn(
        format=USD, help="3 input tokens to 1 output token, the usual mix of a chat workload"
    ),
    "source": st.column_config.TextColumn(
        help=(
            "live: the server's own prices; local: the local backend's models (free); "
            "snapshot: xAI's published prices on that date"
        )
    ),
    "search $/1K sources": st.column_config.NumberColumn(format="$%.2f"),
    "long context from": st.column_config.NumberColumn(
        format="localized", help="prompt tokens from which the long prices apply to the request"
    ),
    "long input $/1M": st.column_config.NumberColumn(format=USD),
    "long cached input $/1M": st.column_config.NumberColumn(format=USD),
    "long output $/1M": st.column_config.NumberColumn(format=USD),
    "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
}
COST_COLUMNS: dict[str, Any] = {
    "fits context": st.column_config.CheckboxColumn(help="the prompt fits the model's context"),
    "per request $": st.column_config.NumberColumn(format="$%.6f"),
    "per day $": st.column_config.NumberColumn(format="$%.2f"),
    "per month $": st.column_config.NumberColumn(format="$%.2f"),
    "tool fees $/request": st.column_config.NumberColumn(format="$%.4f"),
    BLENDED: MODEL_COLUMNS[BLENDED],
    "source": MODEL_COLUMNS["source"],
    "long-context rate": st.column_config.CheckboxColumn(help="billed at the long-context rate"),
}
#: A two-column (field, value) table: the value column takes the room.
FACT_COLUMNS: dict[str, Any] = {
    "field": st.column_config.TextColumn(width="medium"),
    "value": st.column_config.TextColumn(width="large"),
}
DIFF_COLUMNS: dict[str, Any] = {
    "snapshot $/1M": st.column_config.NumberColumn(format=USD),
    "live $/1M": st.column_config.NumberColumn(format=USD),
}


def download_csv(frame: pd.DataFrame, label: str, file_name: str, key: str) -> None:
    """A button that downloads ``frame`` as CSV."""
    st.download_button(
        label,
        table_csv(frame),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=key,
    )


def show_table(frame: pd.DataFrame, **kwargs: Any) -> Any:
    """``st.dataframe`` of a page table: no index, its column formats, "—" for missing values."""
    return st.dataframe(
        frame, hide_index=True, column_config=MODEL_COLUMNS, placeholder=MISSING, **kwargs
    )


def show_facts(facts: pd.DataFrame) -> None:
    """A (field, value) table, every row in view: no inner scrolling."""
    st.dataframe(
        facts, hide_index=True, column_config=FACT_COLUMNS, placeholder=MISSING, height="content"
    )
