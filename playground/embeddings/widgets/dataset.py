"""The data-in panel: the sample, pasted lines or uploaded files (a table, a .npy of vectors, or
both), with a preview of the upload and its guessed text, label and vectors columns. Errors are
shown, never raised; a bad paste or file loses nothing (the last good dataset stays in use).

The parsed upload and the dataset built from it are kept in the session under the files' ids
and the chosen columns, so a rerun neither reads the files again nor builds a new dataset (its
digest, the map and the caches stay keyed to the same object).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from playground.embeddings.data.files import MAX_ROWS, Dataset, DatasetError, dataset_from_lines
from playground.embeddings.data.sample import load_sample_dataset
from playground.embeddings.data.uploads import (
    UPLOAD_TYPES,
    Upload,
    dataset_from_upload,
    guess_columns,
    preview_frame,
    read_upload,
    vector_choices,
)
from playground.embeddings.widgets import plain
from playground.embeddings.widgets.colouring import synced_choice

__all__ = ["LAST_DATASET", "choose_dataset", "dataset_source", "describe_dataset"]

LAST_DATASET = "emb_last_dataset"  # the last good dataset, kept through a bad paste or file
UPLOADED, BUILT = "emb_uploaded", "emb_built_dataset"
COLUMN_KEYS = {"text": "emb_text_col", "label": "emb_label_col", "vectors": "emb_vectors_col"}
SOURCES = {"Sample dataset": "sample", "Paste lines": "pasted", "Upload a file": "uploaded"}
EMBED_HERE = "(none: embed the texts here)"


@st.cache_resource(show_spinner=False)
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


def _kept(key: Hashable, build: Callable[[], Dataset]) -> Dataset:
    """The dataset built for ``key``, built once (the same object on every rerun)."""
    cached: tuple[Hashable, Dataset] | None = st.session_state.get(BUILT)
    if cached is None or cached[0] != key:
        cached = (key, build())
        st.session_state[BUILT] = cached
    return cached[1]


def _read_dataset() -> Dataset | None:
    synced_choice("emb_source", list(SOURCES), "Sample dataset")
    source = st.radio("Data", list(SOURCES), horizontal=True, key="emb_source")
    if source == "Sample dataset":
        st.caption("280 short texts written for this playground: 7 topics × 40, labelled.")
        return _sample()
    if source == "Paste lines":
        pasted = st.text_area("One text per line", key="emb_paste", height=150)
        if not pasted.strip():
            st.caption("The list is empty: paste at least one text, one per line.")
            return None
        return _kept(("pasted", pasted), lambda: dataset_from_lines(pasted))
    files = st.file_uploader(
        f"A table (CSV, TSV, JSONL, Parquet), a .npy of vectors, or both (up to {MAX_ROWS:,} "
        "rows); a vector column or x, y columns skip embedding",
        type=list(UPLOAD_TYPES),
        accept_multiple_files=True,
        key="emb_upload",
    )
    if not files:
        return None
    ids = tuple(f.file_id for f in files)
    cached: tuple[tuple[str, ...], Upload] | None = st.session_state.get(UPLOADED)
    if cached is None or cached[0] != ids:
        with st.spinner("Reading the files…"):
            upload = read_upload([(f.name, f.getvalue()) for f in files])
        cached = (ids, upload)
        st.session_state[UPLOADED] = cached
        for key in COLUMN_KEYS.values():  # a new upload: its own guesses
            st.session_state.pop(key, None)
    upload = cached[1]
    text, label, vectors = _columns(upload)
    return _kept(
        (ids, text, label, vectors), lambda: dataset_from_upload(upload, text, label, vectors)
    )


def _columns(upload: Upload) -> tuple[str | None, str | None, str | None]:
    """The preview and the text, label and vectors pickers (preselected with the guesses)."""
    for note in upload.notes:
        st.caption(plain(note))
    with st.expander(f"Preview of {plain(upload.name)}", expanded=True):
        st.dataframe(preview_frame(upload), hide_index=True, width="stretch", height=220)
    guess = guess_columns(upload)
    vector_options = vector_choices(upload)
    columns = [str(c) for c in upload.frame.columns]
    choices: dict[str, list[Any]] = {
        "text": [None, *columns],
        "label": [None, *columns],
        "vectors": [None, *vector_options],
    }
    guesses = {"text": guess.text, "label": guess.label, "vectors": guess.vectors}
    for part, key in COLUMN_KEYS.items():
        synced_choice(key, choices[part], guesses[part])
    left, middle, right = st.columns(3)
    text = left.selectbox(
        "Text column",
        choices["text"],
        key=COLUMN_KEYS["text"],
        format_func=lambda c: "(none: rows are numbered)" if c is None else str(c),
    )
    label = middle.selectbox(
        "Label column (optional)",
        choices["label"],
        key=COLUMN_KEYS["label"],
        format_func=lambda c: "(none)" if c is None else str(c),
    )
    vectors = right.selectbox(
        "Vectors or map coordinates",
        choices["vectors"],
        key=COLUMN_KEYS["vectors"],
        format_func=lambda c: (
            EMBED_HERE if c is None else vector_options[c]
        ),  # plain text: no markdown
    )
    return text, label, vectors
