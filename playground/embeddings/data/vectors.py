"""Vectors and map coordinates that come with uploaded data: one numpy block per column, checked.

Pure: numpy, pandas and pyarrow, no Streamlit. A column of vectors (Arrow ``list`` or
``fixed_size_list`` of numbers, Python lists, or strings that are JSON number lists) becomes one
``(n, d)`` float32 matrix without a Python loop over its rows. Every problem raises
:class:`DatasetError` saying what is wrong, in which rows (1-based) and how to fix it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from playground.embeddings.data.files import MAX_ROWS, DatasetError, rows_list

__all__ = [
    "COORD_WIDTHS",
    "Matrix",
    "Supplied",
    "check_matrix",
    "matrix_digest",
    "supplied_from",
    "vectors_from_column",
]

Matrix = npt.NDArray[np.float32]
#: A matrix this wide is map coordinates (drawn as they are), wider is vectors (projected).
COORD_WIDTHS = (2, 3)
#: One element of a JSON number list, as RE2 (Arrow) reads it; only used to name bad rows.
_EMPTY, _NEWLINE = pa.scalar("", pa.large_string()), pa.scalar("\n", pa.large_string())
_NUMBER = r"^\s*[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[Nn]a[Nn]|-?[Ii]nf(inity)?)\s*$"


@dataclass(frozen=True, eq=False)
class Supplied:
    """Vectors or map coordinates that came with the data, one row per text of the Dataset."""

    vectors: Matrix | None = None  # (n, d) float32, d >= 4: skip embedding, project these
    coords: Matrix | None = None  # (n, 2) or (n, 3) float32: skip embedding AND projection
    source: str = ""  # plain words: "column 'embedding' of vectors.parquet (384 dimensions)"
    digest: str = ""  # short sha256 of the arrays' bytes (with the texts it names the job)

    @property
    def matrix(self) -> Matrix:
        """The vectors, else the coordinates."""
        matrix = self.vectors if self.vectors is not None else self.coords
        if matrix is None:
            raise ValueError("Supplied holds neither vectors nor coordinates")
        return matrix


def matrix_digest(matrix: Matrix) -> str:
    """A short sha256 of a matrix's shape and bytes: the same numbers give the same digest."""
    digest = hashlib.sha256(f"{matrix.shape}".encode())
    digest.update(np.ascontiguousarray(matrix, dtype=np.float32).data)
    return digest.hexdigest()[:16]


def supplied_from(matrix: Matrix, source: str) -> Supplied:
    """Coordinates when the matrix is 2 or 3 wide, else vectors; with its digest."""
    digest = matrix_digest(matrix)
    if matrix.shape[1] in COORD_WIDTHS:
        return Supplied(coords=matrix, source=source, digest=digest)
    return Supplied(vectors=matrix, source=source, digest=digest)


def check_matrix(matrix: npt.ArrayLike, what: str) -> Matrix:
    """``matrix`` as a C-contiguous (n, d) float32 array, or :class:`DatasetError` saying why not.

    Refused: not numeric, not 2-D, fewer than 2 rows or more than :data:`MAX_ROWS`, fewer than 2
    numbers per row, NaN or infinite values (their rows named). ``what`` names it in messages,
    e.g. ``"Column 'embedding'"``."""
    array = np.asarray(matrix)
    if array.dtype.kind not in "biuf":
        raise DatasetError(
            f"{what} holds {array.dtype} values, not numbers. Vectors must be numbers "
            "(float32 or float64)."
        )
    if array.ndim != 2:
        raise DatasetError(
            f"{what} has shape {array.shape}: it needs two dimensions, one row per text and one "
            "column per vector dimension."
        )
    rows, width = array.shape
    if rows < 2:
        raise DatasetError(f"{what} has {rows} row(s): a map needs at least 2. Add more rows.")
    if rows > MAX_ROWS:
        raise DatasetError(
            f"{what} has {rows:,} rows; the limit is {MAX_ROWS:,}. Keep a sample of at most "
            f"{MAX_ROWS:,} rows and upload that."
        )
    if width < 2:
        raise DatasetError(
            f"{what} has {width} number(s) per row: map coordinates need 2 or 3, vectors at "
            "least 4."
        )
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.ascontiguousarray(array, dtype=np.float32)  # too big for float32: inf, named below
        sums = out.sum(axis=1, dtype=np.float64)  # NaN or inf anywhere in a row shows in its sum
    bad = np.flatnonzero(~np.isfinite(sums)) + 1
    if len(bad):
        raise DatasetError(
            f"{what} has NaN, infinite or too large values in {len(bad):,} row(s): rows "
            f"{rows_list(bad.tolist())}. Fix or drop those rows: every value must be a finite "
            "number."
        )
    return out


def vectors_from_column(values: object, column: str) -> Matrix:
    """One (n, d) float32 matrix from a column of vectors, checked with :func:`check_matrix`.

    ``values``: an Arrow (chunked) array of ``list``/``large_list``/``fixed_size_list`` of numbers
    or of strings holding JSON number lists (``"[0.1, -2e-3]"``), a pandas Series or a sequence of
    lists/arrays/such strings, or a 2-D numeric numpy array. ``column`` names it in messages."""
    what = f"Column '{column}'"
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return check_matrix(values, what)
    array = _as_arrow(values, column)
    kind = array.type
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return _from_lists(array, column)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return _from_strings(array.cast(pa.large_string()), column)
    raise DatasetError(
        f"{what} holds {kind} values, not vectors. A vector column needs a list of numbers per row "
        "(or a JSON list such as [0.1, 0.2] as text)."
    )


def _as_arrow(values: object, column: str) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    try:
        if isinstance(values, pd.Series):
            return pa.Array.from_pandas(values)
        return pa.array(values, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        raise DatasetError(
            f"Column '{column}' mixes lists of numbers with other values. Every row needs a list "
            "of numbers (or a JSON list such as [0.1, 0.2] as text)."
        ) from None


def _missing(array: pa.Array, column: str) -> None:
    if array.null_count:
        rows = np.flatnonzero(array.is_null().to_numpy(zero_copy_only=False)) + 1
        raise DatasetError(
            f"Column '{column}' has no vector in {len(rows):,} row(s): rows "
            f"{rows_list(rows.tolist())}. Fill them in or drop those rows."
        )


def _mixed_lengths(lengths: npt.NDArray[np.int64], column: str) -> None:
    """Raise when rows differ in length: the most common length, and the rows of the others."""
    if len(lengths) == 0 or (lengths == lengths[0]).all():
        return
    sizes, counts = np.unique(lengths, return_counts=True)
    usual = int(sizes[np.argmax(counts)])
    odd = np.flatnonzero(lengths != usual)
    others = ", ".join(f"{int(s)}" for s in sizes if s != usual)
    raise DatasetError(
        f"Column '{column}' has vectors of different lengths: {usual} numbers in "
        f"{int(counts.max()):,} rows, but {others} in {len(odd):,} row(s): rows "
        f"{rows_list((odd + 1).tolist())}. Every row needs the same number of values."
    )


def _from_lists(array: pa.Array, column: str) -> Matrix:
    _missing(array, column)
    item = array.type.value_type
    if not (pa.types.is_integer(item) or pa.types.is_floating(item)):
        raise DatasetError(
            f"Column '{column}' holds lists of {item}, not numbers. Vectors must be lists of "
            "numbers (float32 or float64)."
        )
    rows = len(array)
    if pa.types.is_fixed_size_list(array.type):
        width = array.type.list_size
    else:
        lengths = pc.list_value_length(array).to_numpy(zero_copy_only=False).astype(np.int64)
        _mixed_lengths(lengths, column)
        width = int(lengths[0]) if rows else 0
    flat = array.flatten().to_numpy(zero_copy_only=False)  # a missing number becomes NaN
    return check_matrix(flat.reshape(rows, width), f"Column '{column}'")


def _from_strings(array: pa.Array, column: str) -> Matrix:
    """JSON number lists as text: Arrow's multi-threaded CSV reader parses them all at once; when
    that fails, a slower element-wise path finds the rows to name."""
    text = pc.utf8_trim_whitespace(array)
    blank = pc.fill_null(pc.equal(text, ""), True).to_numpy(zero_copy_only=False)
    if blank.any():
        rows = np.flatnonzero(blank) + 1
        raise DatasetError(
            f"Column '{column}' has no vector in {len(rows):,} row(s): rows "
            f"{rows_list(rows.tolist())}. Fill them in or drop those rows."
        )
    listed = pc.and_(pc.starts_with(text, "["), pc.ends_with(text, "]"))
    not_lists = np.flatnonzero(~listed.to_numpy(zero_copy_only=False)) + 1
    if len(not_lists):
        raise DatasetError(
            f"Column '{column}' holds text that is not a list of numbers in {len(not_lists):,} "
            f"row(s): rows {rows_list(not_lists.tolist())}. Write each vector as a JSON list "
            "such as [0.1, 0.2, 0.3] (or store a list<float> column in Parquet)."
        )
    inner = pc.utf8_slice_codeunits(text, 1, -1)
    fast = _parse_fast(inner)
    if fast is not None:
        return check_matrix(fast, f"Column '{column}'")
    parts = pc.split_pattern(inner, ",")
    flat = pc.list_flatten(parts)
    bad = ~pc.match_substring_regex(flat, _NUMBER).to_numpy(zero_copy_only=False)
    if bad.any():
        parents = pc.list_parent_indices(parts).to_numpy(zero_copy_only=False)
        rows = np.unique(parents[bad]) + 1
        raise DatasetError(
            f"Column '{column}' has values that are not numbers in {len(rows):,} row(s): rows "
            f"{rows_list(rows.tolist())}. Write each vector as a JSON list of numbers such as "
            "[0.1, 0.2, 0.3]."
        )
    lengths = pc.list_value_length(parts).to_numpy(zero_copy_only=False).astype(np.int64)
    _mixed_lengths(lengths, column)
    values = pc.cast(pc.utf8_trim_whitespace(flat), pa.float32()).to_numpy(zero_copy_only=False)
    return check_matrix(values.reshape(len(lengths), int(lengths[0])), f"Column '{column}'")


def _parse_fast(inner: pa.Array) -> npt.NDArray[np.float32] | None:
    """The lists' insides as one CSV text (a row per line); ``None`` when anything is unusual."""
    rows = len(inner)
    if rows == 0:
        return None
    width = str(inner[0].as_py()).count(",") + 1
    try:
        lines = pc.binary_join_element_wise(inner, _EMPTY, _NEWLINE)
        offsets, data = lines.buffers()[1:3]
        end = int(np.frombuffer(offsets, dtype=np.int64, count=rows + 1, offset=0)[-1])
        names = [f"v{i}" for i in range(width)]
        table = pcsv.read_csv(
            pa.BufferReader(data.slice(0, end)),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.float32()), null_values=[]
            ),  # an empty value fails here: the slow path names its row
        )
    except (pa.ArrowException, ValueError):
        return None
    if table.num_rows != rows:
        return None
    out = np.empty((rows, width), dtype=np.float32)
    for index, name in enumerate(names):
        out[:, index] = table.column(name).to_numpy()
    return out
