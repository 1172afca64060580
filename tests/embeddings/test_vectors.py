"""Vector columns as one float32 block, and the messages for bad vectors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from playground.embeddings.compute.jobs import dataset_digest
from playground.embeddings.data.files import MAX_ROWS, Dataset, DatasetError
from playground.embeddings.data.vectors import (
    _parse_fast,
    check_matrix,
    matrix_digest,
    supplied_from,
    vectors_from_column,
)

MATRIX = np.arange(24, dtype=np.float32).reshape(4, 6) / 7


def test_arrow_list_large_list_and_fixed_size_list_give_the_same_block() -> None:
    fixed = pa.FixedSizeListArray.from_arrays(pa.array(MATRIX.ravel()), 6)
    for values in (
        fixed,
        fixed.cast(pa.list_(pa.float32())),
        fixed.cast(pa.large_list(pa.float64())),
        pa.chunked_array([fixed[:1], fixed[1:]]),
        fixed.cast(pa.list_(pa.float32()))[1:],  # a slice: offsets do not start at 0
    ):
        matrix = vectors_from_column(values, "embedding")
        assert matrix.dtype == np.float32 and matrix.flags.c_contiguous
        expected = MATRIX[1:] if len(values) == 3 else MATRIX
        np.testing.assert_array_equal(matrix, expected)


def test_integer_lists_python_lists_arrays_and_a_2d_array() -> None:
    ints = [[1, 2, 3, 4], [5, 6, 7, 8]]
    np.testing.assert_array_equal(vectors_from_column(pa.array(ints), "v"), ints)
    np.testing.assert_array_equal(vectors_from_column(pd.Series(ints), "v"), ints)
    arrays = pd.Series(list(MATRIX), dtype=object)
    np.testing.assert_array_equal(vectors_from_column(arrays, "v"), MATRIX)
    np.testing.assert_array_equal(vectors_from_column(MATRIX.astype(np.float64), "v"), MATRIX)


@pytest.mark.parametrize("spaces", ["", " ", "  \n"])
def test_json_number_lists_as_text_are_read(spaces: str) -> None:
    texts = [spaces + json.dumps([float(v) for v in row]) + spaces for row in MATRIX]
    np.testing.assert_allclose(vectors_from_column(pa.array(texts), "emb"), MATRIX, rtol=1e-6)
    np.testing.assert_allclose(vectors_from_column(pd.Series(texts), "emb"), MATRIX, rtol=1e-6)


def test_text_lists_in_scientific_notation_and_with_signs() -> None:
    rows = ["[1e-3, -2.5E+2, +3, .5]", "[0, 1, 2, 3.]"]
    expected = [[1e-3, -250, 3, 0.5], [0, 1, 2, 3]]
    np.testing.assert_allclose(vectors_from_column(pa.array(rows), "v"), expected)


def test_mixed_lengths_say_the_lengths_and_rows() -> None:
    rows = [[0.1] * 4, [0.2] * 4, [0.3] * 3, [0.4] * 4, [0.5] * 5]
    message = r"different lengths: 4 numbers in 3 rows, but 3, 5 in 2 row\(s\): rows 3, 5\."
    with pytest.raises(DatasetError, match=message):
        vectors_from_column(pa.array(rows), "embedding")
    with pytest.raises(DatasetError, match=message):
        vectors_from_column(pa.array([json.dumps(r) for r in rows]), "embedding")


def test_nan_and_inf_name_their_rows() -> None:
    rows = [[0.0, 1, 2, 3], [np.nan, 1, 2, 3], [0.0, 1, 2, 3], [0.0, np.inf, 2, 3]]
    with pytest.raises(DatasetError, match=r"Column 'e' has NaN.* in 2 row\(s\): rows 2, 4\."):
        vectors_from_column(pa.array(rows), "e")
    texts = ["[0, 1, 2, 3]", "[NaN, 1, 2, 3]", "[0, 1, 2, 3]", "[0, Infinity, 2, 3]"]
    with pytest.raises(DatasetError, match=r"rows 2, 4\."):
        vectors_from_column(pa.array(texts), "e")
    with pytest.raises(DatasetError, match=r"rows 2\."):  # a null number inside a list
        vectors_from_column(pa.array([[0.0, 1, 2, 3], [0.0, None, 2, 3]]), "e")


def test_missing_vectors_are_named() -> None:
    with pytest.raises(DatasetError, match=r"no vector in 1 row\(s\): rows 2\. Fill them in"):
        vectors_from_column(pa.array([[1.0, 2, 3, 4], None, [1.0, 2, 3, 4]]), "e")
    with pytest.raises(DatasetError, match=r"no vector in 2 row\(s\): rows 1, 3\."):
        vectors_from_column(pd.Series(["", "[1, 2, 3, 4]", " ", "[1, 2, 3, 4]"]), "e")


def test_text_that_is_not_a_number_list_is_refused_with_its_rows() -> None:
    with pytest.raises(DatasetError, match=r"not a list of numbers in 1 row\(s\): rows 2\."):
        vectors_from_column(pa.array(["[1, 2]", "1, 2", "[3, 4]"]), "emb")
    with pytest.raises(DatasetError, match=r"not numbers in 2 row\(s\): rows 1, 3\. Write each"):
        vectors_from_column(pa.array(['["a", 2]', "[1, 2]", "[1, two]", "[3, 4]"]), "emb")
    with pytest.raises(DatasetError, match=r"not numbers in 1 row\(s\): rows 2\."):
        vectors_from_column(pa.array(["[1, 2]", "[]"]), "emb")


def test_columns_that_are_not_vectors_say_so() -> None:
    with pytest.raises(DatasetError, match=r"holds lists of string, not numbers"):
        vectors_from_column(pa.array([["a", "b"], ["c"]]), "tags")
    with pytest.raises(DatasetError, match=r"holds int64 values, not vectors"):
        vectors_from_column(pa.array([1, 2]), "n")
    with pytest.raises(DatasetError, match=r"mixes lists of numbers with other values"):
        vectors_from_column(pd.Series([[1.0, 2.0], "[1, 2]"], dtype=object), "v")


def test_check_matrix_shapes_rows_and_types() -> None:
    cases = [
        (np.zeros(5), r"has shape \(5,\): it needs two dimensions"),
        (np.zeros((2, 2, 2)), r"has shape \(2, 2, 2\)"),
        (np.zeros((0, 4)), r"has 0 row\(s\): a map needs at least 2"),
        (np.zeros((1, 4)), r"has 1 row\(s\): a map needs at least 2"),
        (np.zeros((3, 1)), r"1 number\(s\) per row: map coordinates need 2 or 3"),
        (np.array([["a", "b"], ["c", "d"]]), r"holds <U1 values, not numbers"),
        (np.array([[1e39, 0], [0, 0]]), r"NaN, infinite or too large values .* rows 1\."),
    ]
    for matrix, message in cases:
        with pytest.raises(DatasetError, match=message):
            check_matrix(matrix, "The array")


def test_more_rows_than_the_limit_are_refused() -> None:
    assert MAX_ROWS == 1_000_000
    with pytest.raises(DatasetError, match=r"1,000,001 rows; the limit is 1,000,000"):
        check_matrix(np.zeros((MAX_ROWS + 1, 2), dtype=np.float32), "x.npy")


def test_many_bad_rows_are_counted_not_all_listed() -> None:
    matrix = np.zeros((100, 4))
    matrix[10:40, 0] = np.nan
    with pytest.raises(DatasetError, match=r"in 30 row\(s\): rows 11, 12, 13, 14, 15 and 25 more"):
        check_matrix(matrix, "v")


def test_supplied_is_coordinates_when_2_or_3_wide_else_vectors() -> None:
    coords = supplied_from(MATRIX[:, :2].copy(), "xy")
    assert coords.vectors is None and coords.coords is not None and coords.matrix.shape == (4, 2)
    vectors = supplied_from(MATRIX, "emb")
    assert vectors.coords is None and vectors.matrix is vectors.vectors
    assert vectors.digest == matrix_digest(MATRIX.copy()) != coords.digest
    assert len(vectors.digest) == 16


def test_dataset_digest_includes_the_supplied_vectors() -> None:
    texts = ["a", "b", "c", "d"]
    plain = Dataset(texts)
    one = Dataset(texts, supplied=supplied_from(MATRIX, "one"))
    other = Dataset(texts, supplied=supplied_from(MATRIX + 1, "other"))
    assert plain == one == other  # equality ignores the supplied arrays
    digests = {dataset_digest(d) for d in (plain, one, other)}
    assert len(digests) == 3
    assert dataset_digest(Dataset(texts, supplied=supplied_from(MATRIX.copy(), "again"))) == (
        dataset_digest(one)
    )


def test_an_empty_value_inside_a_text_list_is_not_a_number() -> None:
    with pytest.raises(DatasetError, match=r"not numbers in 1 row\(s\): rows 2\."):
        vectors_from_column(pa.array(["[1, 2, 3]", "[1, , 3]", "[4, 5, 6]"]), "emb")


def test_the_fast_text_path_reads_plain_json_lists() -> None:
    texts = pa.array([json.dumps(row) for row in MATRIX.tolist()], pa.large_string())
    inner = pc.utf8_slice_codeunits(texts, 1, -1)
    fast = _parse_fast(inner)
    assert fast is not None
    np.testing.assert_allclose(fast, MATRIX, rtol=1e-6)
    assert (
        _parse_fast(pc.utf8_slice_codeunits(pa.array(["[1, 2]", "[1]"], pa.large_string()), 1, -1))
        is None
    )
