"""The multi-file upload of the embeddings explorer: one table (CSV, TSV, JSONL, Parquet), one
``.npy`` of vectors, or both (the table's rows then match the ``.npy``'s row for row).

Pure: numpy, pandas and pyarrow, no Streamlit. Vector columns (Arrow lists, JSON lists in JSONL,
JSON number lists as text) and the ``.npy`` become checked float32 matrices (``vectors.py``);
numeric columns named like ``x, y`` (``umap_x, umap_y``, ``X, Y, Z``) are offered as map
coordinates. Every problem raises :class:`DatasetError` saying what, where and how to fix it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from playground.embeddings.data.files import (
    MAX_CELL_CHARS,
    Dataset,
    DatasetError,
    cell_text,
    dataset_from_frame,
    label_text,
    read_parquet,
    read_table,
    text_column_guess,
    text_columns,
    too_long,
)
from playground.embeddings.data.vectors import (
    COORD_WIDTHS,
    Matrix,
    check_matrix,
    supplied_from,
    vectors_from_column,
)

__all__ = [
    "UPLOAD_TYPES",
    "ColumnGuess",
    "Upload",
    "coordinate_groups",
    "dataset_from_upload",
    "guess_columns",
    "preview_frame",
    "read_npy",
    "read_upload",
    "vector_choices",
]

UPLOAD_TYPES = ("csv", "tsv", "jsonl", "ndjson", "parquet", "npy")
LABEL_NAMES = ("label", "labels", "category", "class", "topic", "tag", "group", "genre", "kind")
#: A coordinate column: ``x``/``y``/``z`` alone or after a prefix and a separator (``umap_x``).
_AXIS = re.compile(r"^(?:(?P<prefix>.+?)[ _.\-])?(?P<axis>[xyz])$", re.IGNORECASE)
#: A text cell that starts a JSON number list (``[0.1, …``): such a column is read as vectors.
_NUMBER_LIST = re.compile(r"^\s*\[\s*[-+]?(\d|\.\d|nan|inf)", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Upload:
    """What the user uploaded: the table's other columns, its vectors, and notes."""

    name: str  # the file name(s) as the user gave them
    frame: pd.DataFrame  # the table's columns that are not vectors (n rows; may have no columns)
    vectors: dict[str, Matrix]  # every vector column (or the .npy, under its file name), validated
    notes: list[str]
    columns: tuple[str, ...] = ()  # every column in file order, vector columns included

    def __len__(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class ColumnGuess:
    """The columns to preselect for an upload."""

    text: str | None  # "text"-like column, else the longest text column, else None
    label: str | None  # "label"/"category"/"topic"/"class"..., else a low-cardinality text column
    vectors: str | None  # a vector column, "x,y" (or "x,y,z") coordinate columns, or None: embed


def _suffix(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return "jsonl" if suffix == "ndjson" else suffix


def read_upload(files: Sequence[tuple[str, bytes]]) -> Upload:
    """One table, one ``.npy``, or a ``.npy`` and one table of the same row count.

    ``files``: (file name, bytes) pairs. Raises :class:`DatasetError` for no file, an unknown
    type, two tables or two ``.npy`` files, row counts that differ, or any bad file."""
    if not files:
        raise DatasetError("Choose a file to upload.")
    for name, _ in files:
        if _suffix(name) not in UPLOAD_TYPES:
            raise DatasetError(
                f"{name}: unsupported file type. Upload a .csv, .tsv, .jsonl or .parquet table, "
                "a .npy of vectors, or a .npy with a table of its texts."
            )
    arrays = [(name, data) for name, data in files if _suffix(name) == "npy"]
    tables = [(name, data) for name, data in files if _suffix(name) != "npy"]
    for found, kind in ((tables, "table"), (arrays, ".npy file")):
        if len(found) > 1:
            raise DatasetError(
                f"Upload one {kind} at a time (got {', '.join(n for n, _ in found)}). Put the "
                "texts and labels in one table; a .npy file beside it may hold their vectors."
            )
    upload = _read_table_upload(*tables[0]) if tables else None
    if not arrays:
        assert upload is not None
        return upload
    npy_name, npy_data = arrays[0]
    matrix = read_npy(npy_name, npy_data)
    if upload is None:
        frame = pd.DataFrame(index=pd.RangeIndex(len(matrix)))
        return Upload(npy_name, frame, {npy_name: matrix}, [], (npy_name,))
    if len(matrix) != len(upload):
        raise DatasetError(
            f"{npy_name} has {len(matrix):,} rows but {upload.name} has {len(upload):,}: they "
            f"must match row for row (row i of the .npy is the vector of row i of the table)."
        )
    return Upload(
        f"{upload.name} + {npy_name}",
        upload.frame,
        {**upload.vectors, npy_name: matrix},
        upload.notes,
        (*upload.columns, npy_name),
    )


def read_npy(name: str, data: bytes) -> Matrix:
    """A NumPy ``.npy`` file of vectors (or 2-D/3-D coordinates): a checked float32 matrix."""
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        reason = "it holds Python objects" if "allow_pickle" in str(exc) else type(exc).__name__
        raise DatasetError(
            f"{name} could not be read as a NumPy .npy file ({reason}). Save a 2-D array of "
            "numbers with numpy.save, e.g. numpy.save('vectors.npy', vectors.astype('float32'))."
        ) from None
    if not isinstance(array, np.ndarray):  # a .npz archive under a .npy name
        raise DatasetError(f"{name} is a .npz archive: save one array with numpy.save instead.")
    if array.ndim != 2 or array.dtype.kind not in "biuf":
        raise DatasetError(
            f"{name} holds a {array.ndim}-D array of {array.dtype} with shape {array.shape}: it "
            "needs a 2-D array of numbers, one row per text and one column per dimension."
        )
    return check_matrix(array, name)


def _is_vector_type(kind: pa.DataType) -> bool:
    listed = pa.types.is_list(kind) or pa.types.is_large_list(kind)
    if not (listed or pa.types.is_fixed_size_list(kind)):
        return False
    return bool(pa.types.is_integer(kind.value_type) or pa.types.is_floating(kind.value_type))


def _looks_like_number_lists(values: pd.Series) -> bool:
    """The first few filled cells are JSON number lists (as text, or as parsed lists)."""
    head = values.head(200).dropna()
    head = head[[not (isinstance(v, str) and not v.strip()) for v in head]].head(5)
    if head.empty:
        return False
    if all(isinstance(v, (list, np.ndarray)) for v in head):
        return all(_numbers(list(v)[:5]) for v in head)
    return all(isinstance(v, str) and _NUMBER_LIST.match(v) for v in head)


def _numbers(values: list[object]) -> bool:
    return all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values)


def _read_table_upload(name: str, data: bytes) -> Upload:
    notes: list[str] = []
    vectors: dict[str, Matrix] = {}
    if _suffix(name) == "parquet":
        table = read_parquet(name, data)
        columns = tuple(str(c) for c in table.column_names)
        keep = []
        for column, values in zip(columns, table.columns, strict=True):
            if _is_vector_type(values.type):
                vectors[column] = vectors_from_column(values, column)
            else:
                keep.append(column)
        frame = table.select(keep).to_pandas().reset_index(drop=True) if keep else None
        frame = pd.DataFrame(index=pd.RangeIndex(table.num_rows)) if frame is None else frame
        frame.columns = [str(c) for c in frame.columns]
    else:
        frame = read_table(name, data)
        columns = tuple(frame.columns)
    for column in list(frame.columns):
        values = frame[column]
        stringy = values.dtype == object or pd.api.types.is_string_dtype(values)
        if stringy and _looks_like_number_lists(values):
            vectors[column] = vectors_from_column(values, column)
            frame = frame.drop(columns=column)
            if _suffix(name) == "parquet":
                notes.append(
                    f"Column '{column}' holds vectors as text; a list<float> column loads "
                    "much faster."
                )
    frame = _numeric_coordinates(frame)
    return Upload(name, frame, {c: vectors[c] for c in columns if c in vectors}, notes, columns)


def _numeric_coordinates(frame: pd.DataFrame) -> pd.DataFrame:
    """Coordinate-named text columns (CSV reads every cell as text) that hold numbers, as floats."""
    converted = {}
    for column in frame.columns:
        values = frame[column]
        stringy = values.dtype == object or pd.api.types.is_string_dtype(values)
        if stringy and _AXIS.match(str(column)):
            numbers = _as_numbers(values)
            if numbers is not None:
                converted[column] = pd.Series(numbers, index=values.index)
    return frame.assign(**converted) if converted else frame


def _as_numbers(values: pd.Series) -> npt.NDArray[np.float64] | None:
    """Text cells as float64 (an empty cell: NaN); ``None`` unless every filled cell is a number."""
    try:
        text = pc.utf8_trim_whitespace(pa.Array.from_pandas(values))
        blank = pc.fill_null(pc.equal(text, ""), True)
        numbers = pc.cast(pc.if_else(blank, pa.scalar(None, text.type), text), pa.float64())
    except (pa.ArrowException, TypeError, ValueError):
        return None
    if numbers.null_count == len(numbers):
        return None
    result: npt.NDArray[np.float64] = numbers.to_numpy(zero_copy_only=False)
    return result


def coordinate_groups(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """Numeric columns that form map coordinates: (x, y) or (x, y, z) of one prefix, any case."""
    axes: dict[str, dict[str, str]] = {}
    for column in frame.columns:
        match = _AXIS.match(str(column))
        if match and pd.api.types.is_numeric_dtype(frame[column]):
            prefix = (match["prefix"] or "").lower()
            axes.setdefault(prefix, {}).setdefault(match["axis"].lower(), str(column))
    return [
        tuple(found[a] for a in "xyz" if a in found)
        for found in axes.values()
        if "x" in found and "y" in found
    ]


def vector_choices(upload: Upload) -> dict[str, str]:
    """Choice key -> plain description: each vector column (``"embedding: 384-d vectors"``), then
    each group of coordinate columns (``"x,y"`` -> ``"x, y: 2-D map coordinates"``)."""
    choices = {}
    for key, matrix in upload.vectors.items():
        width = matrix.shape[1]
        kind = f"{width}-D map coordinates" if width in COORD_WIDTHS else f"{width}-d vectors"
        choices[key] = f"{key}: {kind}"
    for group in coordinate_groups(upload.frame):
        choices[",".join(group)] = f"{', '.join(group)}: {len(group)}-D map coordinates"
    return choices


def guess_columns(upload: Upload) -> ColumnGuess:
    """The text, label and vectors to preselect (see :class:`ColumnGuess`)."""
    frame = upload.frame
    coordinates = [c for group in coordinate_groups(frame) for c in group]
    text = text_column_guess(frame, exclude=coordinates)
    others = [str(c) for c in frame.columns if c != text and c not in coordinates]
    label = next((c for c in others if c.strip().lower() in LABEL_NAMES), None)
    if label is None:
        limit = min(50, len(frame) // 2)
        for column in (c for c in text_columns(frame) if c in others):
            if 2 <= frame[column].head(100_000).nunique() <= limit:
                label = column
                break
    choices = list(vector_choices(upload))
    wide = [k for k in upload.vectors if upload.vectors[k].shape[1] not in COORD_WIDTHS]
    return ColumnGuess(text, label, wide[0] if wide else (choices[0] if choices else None))


def preview_frame(upload: Upload, rows: int = 20) -> pd.DataFrame:
    """The first ``rows`` rows in file order; a vector column shows as ``"384 floats"``."""
    head = upload.frame.head(rows)
    count = len(head)
    shown = {}
    for column in [*upload.columns, *(c for c in head.columns if c not in upload.columns)]:
        if column in upload.vectors:
            shown[column] = [f"{upload.vectors[column].shape[1]} floats"] * count
        elif column in head.columns:
            shown[column] = head[column].tolist()
    return pd.DataFrame(shown, index=pd.RangeIndex(count))


def _chosen(upload: Upload, vectors: str) -> tuple[Matrix, str]:
    if vectors in upload.vectors:
        matrix = upload.vectors[vectors]
        width = matrix.shape[1]
        kind = f"{width}-D map coordinates" if width in COORD_WIDTHS else f"{width} dimensions"
        where = vectors if vectors.endswith(".npy") else f"column '{vectors}' of {upload.name}"
        return matrix, f"{where} ({kind})"
    group = tuple(vectors.split(","))
    if group not in coordinate_groups(upload.frame):
        raise DatasetError(f"There are no vectors or coordinates '{vectors}' in {upload.name}.")
    names = ", ".join(f"'{c}'" for c in group)
    matrix = check_matrix(upload.frame[list(group)].to_numpy(), f"Columns {names}")
    return matrix, f"columns {names} of {upload.name} ({len(group)}-D map coordinates)"


def _row_texts(frame: pd.DataFrame, column: str | None, notes: list[str]) -> list[str]:
    """One text per row: an empty one becomes ``row N`` (counted in ``notes``)."""
    if column is None:
        notes.append("There is no text column: each point is named by its row number.")
        return [f"row {number}" for number in range(1, len(frame) + 1)]
    texts, empty, huge = [], [], []
    for number, value in enumerate(frame[column].tolist(), start=1):
        text = cell_text(value)
        if not text:
            empty.append(number)
            text = f"row {number}"
        elif len(text) > MAX_CELL_CHARS:
            huge.append(number)
        texts.append(text)
    if huge:
        raise too_long(huge)
    if empty:
        notes.append(f"{len(empty):,} row(s) have no text; they are named 'row N'.")
    return texts


def dataset_from_upload(
    upload: Upload, text_column: str | None, label_column: str | None, vectors: str | None
) -> Dataset:
    """The dataset for the chosen columns.

    ``vectors`` ``None``: the texts are embedded here (empty rows skipped and counted). Otherwise
    a key of :func:`vector_choices`: ``Dataset.supplied`` holds them and rows stay 1:1 with the
    vectors (a missing text becomes ``row N``; with no text column every text is ``row N``)."""
    for column in (text_column, label_column):
        if column is not None and column not in upload.frame.columns:
            raise DatasetError(f"There is no column '{column}' in {upload.name}.")
    if vectors is None:
        if text_column is None:
            raise DatasetError(
                f"There are no texts to embed in {upload.name}: choose its vectors, or upload "
                "a table of texts with it."
            )
        return dataset_from_frame(upload.frame, text_column, label_column)
    matrix, source = _chosen(upload, vectors)
    notes = list(upload.notes)
    texts = _row_texts(upload.frame, text_column, notes)
    labels = None
    if label_column is not None:
        labels = [label_text(value) for value in upload.frame[label_column].tolist()]
    return Dataset(texts, labels, notes, supplied=supplied_from(matrix, source))
