"""Datasets for the embeddings explorer: pasted lines or uploaded CSV, TSV, JSONL and Parquet files
(``uploads.py`` adds vectors and map coordinates that come with the data).

Pure: pandas and pyarrow, no Streamlit. Every problem raises :class:`DatasetError` with a message
that says what is wrong and how to fix it; nothing is dropped silently (skipped empty rows are
counted in ``Dataset.notes``) and nothing is down-sampled.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:  # vectors.py imports DatasetError from here
    from playground.embeddings.data.vectors import Supplied

__all__ = [
    "FILE_TYPES",
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "Dataset",
    "DatasetError",
    "cell_text",
    "dataset_from_frame",
    "dataset_from_lines",
    "guess_text_column",
    "label_text",
    "read_parquet",
    "read_table",
    "rows_list",
    "text_column_guess",
    "text_columns",
    "too_long",
]

MAX_ROWS = 1_000_000
MAX_CELL_CHARS = 20_000
FILE_TYPES = ("csv", "tsv", "jsonl", "parquet")


class DatasetError(ValueError):
    """A file or a paste that cannot be used as it is; the message says what to fix."""


@dataclass(frozen=True)
class Dataset:
    """The texts to embed, with optional labels (same length), and notes for the user.

    ``supplied``: vectors or map coordinates that came with the data (one row per text): the
    texts are then not embedded here."""

    texts: list[str]
    labels: list[str] | None = None
    notes: list[str] = field(default_factory=list)
    supplied: Supplied | None = field(default=None, compare=False)

    def __len__(self) -> int:
        return len(self.texts)


def rows_list(rows: Sequence[int], limit: int = 5) -> str:
    """Row numbers for a message: the first ``limit``, then how many more."""
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" and {len(rows) - limit:,} more" if len(rows) > limit else "")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DatasetError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}). "
            "Save it as UTF-8 (in Excel: Save As → CSV UTF-8) and upload it again."
        ) from None


def _read_jsonl(text: str, name: str) -> pd.DataFrame:
    records = []
    # Only "\n" ends a line: str.splitlines() would also split inside strings that hold a raw
    # U+2028, U+0085 or form feed, which JSON allows unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(
                f"Line {number} of {name} is not valid JSON ({exc.msg}). JSONL needs one JSON "
                'object per line, e.g. {"text": "…", "label": "…"}.'
            ) from None
        if not isinstance(value, dict):
            raise DatasetError(
                f"Line {number} of {name} is a JSON {type(value).__name__}, not an object. "
                'Write one object per line, e.g. {"text": "…"}.'
            )
        records.append(value)
        if len(records) > MAX_ROWS:
            break
    return pd.DataFrame.from_records(records)


def read_parquet(name: str, data: bytes) -> pa.Table:
    """An uploaded Parquet file as an Arrow table (the row limit checked before reading)."""
    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        rows = parquet.metadata.num_rows
        table = parquet.read() if rows <= MAX_ROWS else None
    except Exception as exc:  # pyarrow raises many types for a corrupt file
        raise DatasetError(
            f"{name} could not be read as Parquet ({type(exc).__name__}). "
            "Check that it is a complete Parquet file."
        ) from None
    if table is None:
        raise DatasetError(
            f"{name} has {rows:,} rows, more than {MAX_ROWS:,}. Keep a sample of at most "
            f"{MAX_ROWS:,} rows and upload that."
        )
    if table.num_rows == 0 or table.num_columns == 0:
        raise DatasetError(f"{name} has no rows.")
    return table


def read_table(name: str, data: bytes) -> pd.DataFrame:
    """Parse an uploaded file by its extension (csv, tsv, jsonl, parquet) into a DataFrame.

    Raises :class:`DatasetError` for an unknown type, a bad encoding, malformed content, no rows
    or more than :data:`MAX_ROWS` rows."""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix == "ndjson":
        suffix = "jsonl"
    if suffix not in FILE_TYPES:
        raise DatasetError(
            f"{name}: unsupported file type. Upload a .csv, .tsv, .jsonl or .parquet file."
        )
    if not data.strip():
        raise DatasetError(f"{name} is empty.")
    if suffix == "parquet":
        frame = read_parquet(name, data).to_pandas()
    else:
        text = _decode(data, name)
        if not text.strip():  # only a byte-order mark, or only whitespace once decoded
            raise DatasetError(f"{name} is empty.")
        if suffix == "jsonl":
            frame = _read_jsonl(text, name)
        else:
            try:
                frame = pd.read_csv(
                    io.StringIO(text),
                    sep="," if suffix == "csv" else "\t",
                    dtype=str,
                    keep_default_na=False,
                    nrows=MAX_ROWS + 1,
                    engine="python" if suffix == "tsv" else "c",
                )
            except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
                raise DatasetError(
                    f"{name} could not be parsed as {suffix.upper()}: {str(exc).strip()}. "
                    "Check the delimiter and the quotes around texts that contain it."
                ) from None
    if len(frame) > MAX_ROWS:
        raise DatasetError(
            f"{name} has more than {MAX_ROWS:,} rows. Split it or keep a sample of at most "
            f"{MAX_ROWS:,} rows and upload that."
        )
    if frame.empty or len(frame.columns) == 0:
        raise DatasetError(f"{name} has no rows.")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def text_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that hold text (strings in at least one row), in file order."""
    found = []
    for column in frame.columns:
        values = frame[column]
        stringy = pd.api.types.is_string_dtype(values) or values.dtype == object
        if stringy and any(isinstance(v, str) and v.strip() for v in values.head(1000)):
            found.append(str(column))
    return found


def text_column_guess(frame: pd.DataFrame, exclude: Sequence[str] = ()) -> str | None:
    """``text`` (any case) if present, else the text column with the longest values, else
    ``None``; columns in ``exclude`` are not considered."""
    candidates = [c for c in text_columns(frame) if c not in exclude]
    for column in candidates:
        if column.strip().lower() in ("text", "texts", "sentence", "content", "document"):
            return column

    def mean_length(column: str) -> float:
        return float(frame[column].head(1000).astype(str).str.len().mean())

    return max(candidates, key=mean_length) if candidates else None


def guess_text_column(frame: pd.DataFrame) -> str:
    """``text`` (any case) if present, else the text column with the longest values.

    Raises :class:`DatasetError` when no column holds text."""
    column = text_column_guess(frame)
    if column is None:
        raise DatasetError(
            "No column holds text. The file needs a column of texts, for example with the "
            f"header 'text' (columns found: {', '.join(map(str, frame.columns)) or 'none'})."
        )
    return column


def cell_text(value: object) -> str:
    """A table cell as stripped text; a missing value is ``""``."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def label_text(value: object) -> str:
    """A table cell as a label; a missing or empty value is ``(none)``."""
    return cell_text(value) or "(none)"


def too_long(huge: Sequence[int]) -> DatasetError:
    """The error for texts over :data:`MAX_CELL_CHARS`, naming their rows (1-based)."""
    return DatasetError(
        f"{len(huge):,} text(s) are longer than {MAX_CELL_CHARS:,} characters (rows "
        f"{rows_list(huge)}). Split or shorten them: embedding models read only the start "
        "of a long text."
    )


def dataset_from_frame(
    frame: pd.DataFrame, text_column: str, label_column: str | None = None
) -> Dataset:
    """Texts from ``text_column`` (and labels from ``label_column``) of a parsed table.

    Empty texts are skipped and counted in ``notes``. A text longer than :data:`MAX_CELL_CHARS`
    raises :class:`DatasetError` naming its rows (1-based, as in a spreadsheet without header)."""
    if text_column not in frame.columns:
        raise DatasetError(f"There is no column '{text_column}' in this file.")
    if label_column is not None and label_column not in frame.columns:
        raise DatasetError(f"There is no column '{label_column}' in this file.")
    if len(frame) > MAX_ROWS:
        raise DatasetError(f"The table has {len(frame):,} rows; the limit is {MAX_ROWS:,}.")
    raw = frame[text_column].tolist()
    texts, labels, empty, huge = [], [], [], []
    label_values = frame[label_column].tolist() if label_column else [None] * len(raw)
    for number, (value, label) in enumerate(zip(raw, label_values, strict=True), start=1):
        text = cell_text(value)
        if not text:
            empty.append(number)
            continue
        if len(text) > MAX_CELL_CHARS:
            huge.append(number)
            continue
        texts.append(text)
        labels.append(label_text(label))
    if huge:
        raise too_long(huge)
    if not texts:
        raise DatasetError(
            f"Every row of column '{text_column}' is empty: choose the column that holds the texts."
        )
    notes = []
    if empty:
        notes.append(f"Skipped {len(empty):,} empty row(s): {rows_list(empty)}.")
    return Dataset(texts, labels if label_column else None, notes)


def dataset_from_lines(pasted: str) -> Dataset:
    """One text per non-blank line of a paste (blank lines are skipped)."""
    frame = pd.DataFrame({"text": [line for line in pasted.splitlines() if line.strip()]})
    if frame.empty:
        raise DatasetError("Paste at least one line of text (one text per line).")
    if len(frame) > MAX_ROWS:
        raise DatasetError(
            f"The paste has {len(frame):,} lines; the limit is {MAX_ROWS:,}. Paste fewer lines."
        )
    return dataset_from_frame(frame, "text")
