"""The data-in panel: the sample, pasted lines or an uploaded file. Errors are shown, never
raised; a bad paste or file loses nothing (the last good dataset stays in use)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.embeddings.data.files import (
    Dataset,
    DatasetError,
    dataset_from_frame,
    dataset_from_lines,
    guess_text_column,
    read_table,
    text_columns,
)
from playground.embeddings.data.sample import load_sample_dataset
from playground.embeddings.widgets import plain

__all__ = ["LAST_DATASET", "choose_dataset", "dataset_source", "describe_dataset"]

LAST_DATASET = "emb_last_dataset"  # the last good dataset, kept through a bad paste or file
SOURCES = {"Sample dataset": "sample", "Paste lines": "pasted", "Upload a file": "uploaded"}


@st.cache_data(show_spinner=False, max_entries=4)
def _parse_upload(name: str, data: bytes) -> Any:
    return read_table(name, data)


@st.cache_data(show_spinner=False)
def _sample() -> Dataset:
    return load_sample_dataset()


def choose_dataset() -> Dataset | None:
    """The data-in panel: sample, paste or upload; ``None`` until there is a dataset.

    A bad paste or file shows what is wrong and returns the last good dataset (its map stays)."""
    try:
        dataset = _read_dataset()
    except DatasetError as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        previous: Dataset | None = st.session_state.get(LAST_DATASET)
        if previous is not None:
            st.caption(f"Still showing the previous data ({len(previous):,} texts).")
        return previous
    if dataset is not None:
        st.session_state[LAST_DATASET] = dataset
    return dataset


def dataset_source() -> str:
    """Where the data shown comes from: ``sample``, ``pasted`` or ``uploaded``."""
    return SOURCES.get(st.session_state.get("emb_source") or "", "sample")


def describe_dataset(dataset: Dataset) -> None:
    """A caption: how many texts, whether labelled, and the dataset's notes."""
    labels_note = " with labels" if dataset.labels else ""
    notes = " ".join(plain(n) for n in dataset.notes)
    st.caption(f"{len(dataset):,} texts{labels_note}. " + notes)


def _read_dataset() -> Dataset | None:
    source = st.radio(
        "Data",
        list(SOURCES),
        horizontal=True,
        key="emb_source",
    )
    if source == "Sample dataset":
        st.caption("280 short texts written for this playground: 7 topics × 40, labelled.")
        return _sample()
    if source == "Paste lines":
        pasted = st.text_area("One text per line", key="emb_paste", height=150)
        if not pasted.strip():
            st.caption("The list is empty: paste at least one text, one per line.")
            return None
        return dataset_from_lines(pasted)
    upload = st.file_uploader(
        "CSV, TSV, JSONL or Parquet (up to 50,000 rows)",
        type=["csv", "tsv", "jsonl", "ndjson", "parquet"],
        key="emb_upload",
    )
    if upload is None:
        return None
    frame = _parse_upload(upload.name, upload.getvalue())
    columns = text_columns(frame)
    guess = guess_text_column(frame)
    left, right = st.columns(2)
    text_column = left.selectbox(
        "Text column", columns, index=columns.index(guess), key="emb_text_col"
    )
    others = [str(c) for c in frame.columns if str(c) != text_column]
    label_column = right.selectbox("Label column (optional)", [None, *others], key="emb_label_col")
    return dataset_from_frame(frame, text_column, label_column)
