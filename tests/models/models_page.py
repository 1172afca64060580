"""Helpers of the Models & pricing page's AppTests: open it, switch tabs, read its tables."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from playground.models.data.snapshot import load_snapshot
from tests.apptest import open_page, texts

PAGE = "playground/models/page.py"
SNAPSHOT_LABEL = load_snapshot().label


def open_models_page() -> AppTest:
    return open_page(PAGE)


def open_tab(at: AppTest, label: str) -> AppTest:
    """Switch the page's tabs (only the open tab runs)."""
    at.session_state["models_tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has ``column``."""
    for frame in frames(at):
        if column in frame.columns:
            return frame
    shown = [list(f.columns) for f in frames(at)]
    raise AssertionError(f"no dataframe with column {column!r}: {shown}")


def everything(at: AppTest) -> str:
    return " ".join(
        texts(at.markdown, at.caption, at.info, at.warning, at.error, at.success, at.subheader)
    )
