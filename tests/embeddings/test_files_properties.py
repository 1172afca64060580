"""Property tests of the Embeddings page's file parsing: any bytes give a dataset or a clear error.

The upload path (``read_upload``: tables, ``.npy``, vector and coordinate columns) is held to the
same rule.

Whatever is uploaded under an accepted extension (random bytes, other encodings, BOMs, ragged or
header-only CSV, JSONL with bad lines, huge cells, truncated Parquet), the page's parse path ends
in a :class:`Dataset` or a :class:`DatasetError` whose message says what is wrong, never in
another exception.
"""

from __future__ import annotations

import io
import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyarrow import ArrowException

from playground.embeddings.data.files import (
    MAX_CELL_CHARS,
    Dataset,
    DatasetError,
    dataset_from_frame,
    dataset_from_lines,
    guess_text_column,
    read_table,
    text_columns,
)
from playground.embeddings.data.uploads import (
    UPLOAD_TYPES,
    dataset_from_upload,
    guess_columns,
    preview_frame,
    read_upload,
    vector_choices,
)
from tests.properties import REPEATABLE

PROPERTY_SETTINGS = settings(
    REPEATABLE,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXTENSIONS = ["csv", "tsv", "jsonl", "ndjson", "parquet", "CSV"]
CELL = st.text(
    alphabet=st.one_of(
        st.sampled_from(',\t"\n\r;|\\\ufeff\u2028é\U0001f600 '),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=10,
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "utf-16-le"]


def load(name: str, data: bytes) -> Dataset:
    """What the Embeddings page does with an upload: parse, guess the column, read the texts."""
    frame = read_table(name, data)
    columns = text_columns(frame)
    column = guess_text_column(frame)
    assert column in columns
    return dataset_from_frame(frame, column)


def assert_dataset_or_clear_error(name: str, data: bytes) -> Dataset | None:
    try:
        dataset = load(name, data)
    except DatasetError as exc:
        message = str(exc)
        assert message.strip()
        assert "Traceback" not in message
        assert len(message.split()) >= 3, message  # a sentence, not a bare exception name
        return None
    assert len(dataset) > 0
    assert all(isinstance(text, str) and text.strip() for text in dataset.texts)
    assert all(len(text) <= MAX_CELL_CHARS for text in dataset.texts)
    return dataset


@PROPERTY_SETTINGS
@given(extension=st.sampled_from(EXTENSIONS), data=st.binary(max_size=300))
def test_arbitrary_bytes_under_any_extension(extension, data):
    assert_dataset_or_clear_error(f"upload.{extension}", data)


@PROPERTY_SETTINGS
@given(
    extension=st.sampled_from(["csv", "tsv"]),
    rows=st.lists(st.lists(CELL, max_size=4), max_size=6),
    encoding=st.sampled_from(ENCODINGS),
    quoted=st.booleans(),
)
def test_ragged_csv_in_any_encoding(extension, rows, encoding, quoted):
    separator = "," if extension == "csv" else "\t"

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if quoted else value

    text = "\n".join(separator.join(cell(value) for value in row) for row in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    assert_dataset_or_clear_error(f"rows.{extension}", data)


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), CELL),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(CELL, inner, max_size=3)),
    max_leaves=6,
)
JSONL_LINE = st.one_of(
    st.builds(lambda text: json.dumps({"text": text}), CELL),
    st.builds(json.dumps, JSON_VALUE),
    CELL,  # usually not JSON at all
)


@PROPERTY_SETTINGS
@given(lines=st.lists(JSONL_LINE, max_size=6), crlf=st.booleans())
def test_jsonl_with_any_lines(lines, crlf):
    data = ("\r\n" if crlf else "\n").join(lines).encode()
    dataset = assert_dataset_or_clear_error("lines.jsonl", data)
    if dataset is not None:
        assert all(line.strip().startswith("{") for line in lines if line.strip())


@PROPERTY_SETTINGS
@given(
    rows=st.lists(st.tuples(CELL.filter(str.strip), CELL), min_size=1, max_size=6),
    ascii_only=st.booleans(),
    crlf=st.booleans(),
)
def test_jsonl_round_trips_any_text_exactly(rows, ascii_only, crlf):
    lines = [json.dumps({"text": t, "label": lab}, ensure_ascii=ascii_only) for t, lab in rows]
    data = ("\r\n" if crlf else "\n").join(lines).encode()
    frame = read_table("rows.jsonl", data)
    dataset = dataset_from_frame(frame, "text", "label")
    assert dataset.texts == [text.strip() for text, _ in rows]


@PROPERTY_SETTINGS
@given(
    good=st.lists(CELL.filter(str.strip), min_size=1, max_size=4),
    bad_at=st.integers(0, 4),
    bad=st.sampled_from(["{", "[1, 2]", '"just a string"', "{'single': 'quotes'}", "text"]),
)
def test_a_jsonl_bad_line_is_named_by_its_number(good, bad_at, bad):
    lines = [json.dumps({"text": text}) for text in good]
    at = min(bad_at, len(lines))
    lines.insert(at, bad)
    try:
        load("bad.jsonl", "\n".join(lines).encode())
    except DatasetError as exc:
        assert f"Line {at + 1} of bad.jsonl" in str(exc)
    else:
        raise AssertionError("a bad JSONL line must be reported")


@PROPERTY_SETTINGS
@given(
    frame=st.lists(st.tuples(CELL, st.integers(-(2**63), 2**63 - 1), st.floats()), max_size=5),
    cut=st.floats(0, 1),
)
def test_parquet_whole_or_truncated(frame, cut):
    buffer = io.BytesIO()
    pd.DataFrame(frame, columns=["text", "n", "x"]).to_parquet(buffer)
    whole = buffer.getvalue()
    assert_dataset_or_clear_error("t.parquet", whole)
    assert_dataset_or_clear_error("t.parquet", whole[: int(cut * len(whole))])


@settings(REPEATABLE, max_examples=40)
@given(extension=st.sampled_from(["csv", "tsv", "jsonl"]), extra=st.integers(1, 5000))
def test_a_huge_cell_is_reported_with_its_row(extension, extra):
    huge = "x" * (MAX_CELL_CHARS + extra)
    if extension == "jsonl":
        data = (json.dumps({"text": "fine"}) + "\n" + json.dumps({"text": huge})).encode()
    else:
        data = f"text\nfine\n{huge}\n".encode()
    try:
        load(f"big.{extension}", data)
    except DatasetError as exc:
        assert "longer than" in str(exc) and "rows 2" in str(exc)
    else:
        raise AssertionError("a text over the limit must be reported")


def test_header_only_and_empty_files_say_so():
    for name, data, expected in [
        ("h.csv", b"text,label\n", "has no rows"),
        ("h.tsv", b"text\tlabel\r\n", "has no rows"),
        ("e.csv", b"", "is empty"),
        ("e.jsonl", b"\n\n  \n", "is empty"),
        ("bom.csv", b"\xef\xbb\xbf", "is empty"),
        ("bom16.tsv", b"\xff\xfe", "is empty"),
        ("notes.txt", b"text\nhello\n", "unsupported file type"),
    ]:
        try:
            load(name, data)
        except DatasetError as exc:
            assert name in str(exc) and expected in str(exc), str(exc)
        else:
            raise AssertionError(f"{name} must be refused")


def test_wrong_encoding_names_the_byte_and_line():
    data = "text\ncafé\nthé\n".encode("latin-1")
    try:
        load("latin.csv", data)
    except DatasetError as exc:
        assert "not UTF-8" in str(exc) and "line 2" in str(exc)
    else:
        raise AssertionError("latin-1 must be refused")


@PROPERTY_SETTINGS
@given(pasted=st.text(max_size=200))
def test_pasted_text_gives_one_text_per_non_blank_line_or_says_paste_something(pasted):
    try:
        dataset = dataset_from_lines(pasted)
    except DatasetError as exc:
        assert "Paste at least one line" in str(exc) or "longer than" in str(exc)
        return
    assert dataset.texts == [line.strip() for line in pasted.splitlines() if line.strip()]


def assert_upload_or_clear_error(files: list[tuple[str, bytes]]) -> None:
    """The upload path: read, guess, preview and build the guessed dataset, or a clear error."""
    try:
        upload = read_upload(files)
        guess = guess_columns(upload)
        assert guess.vectors is None or guess.vectors in vector_choices(upload)
        assert len(preview_frame(upload)) == min(20, len(upload))
        dataset = dataset_from_upload(upload, guess.text, guess.label, guess.vectors)
    except DatasetError as exc:
        assert len(str(exc).split()) >= 3, str(exc)
        return
    if dataset.supplied is not None:
        assert len(dataset.supplied.matrix) == len(dataset) == len(upload)


@PROPERTY_SETTINGS
@given(extension=st.sampled_from([*UPLOAD_TYPES, "NPY"]), data=st.binary(max_size=300))
def test_arbitrary_bytes_as_an_upload(extension, data):
    assert_upload_or_clear_error([(f"upload.{extension}", data)])


FINITE = st.floats(-1e6, 1e6, width=32)
NUMBER = st.one_of(
    FINITE, FINITE, st.integers(-5, 5), st.floats(width=32), st.none(), st.text(max_size=2)
)
VECTOR_CELL = st.one_of(st.lists(FINITE, min_size=4, max_size=4), st.lists(NUMBER, max_size=5))


@PROPERTY_SETTINGS
@given(
    rows=st.lists(st.tuples(CELL, VECTOR_CELL, NUMBER, NUMBER), min_size=2, max_size=6),
    extension=st.sampled_from(["jsonl", "csv", "parquet"]),
    as_text=st.booleans(),
)
def test_any_vector_and_coordinate_cells(rows, extension, as_text):
    frame = pd.DataFrame(
        {
            "text": [r[0] for r in rows],
            "embedding": [json.dumps(r[1]) if as_text else r[1] for r in rows],
            "x": [r[2] for r in rows],
            "y": [r[3] for r in rows],
        }
    )
    if extension == "jsonl":
        data = "\n".join(json.dumps(record) for record in frame.to_dict("records")).encode()
    elif extension == "csv":
        data = frame.to_csv(index=False).encode()
    else:
        buffer = io.BytesIO()
        try:
            frame.to_parquet(buffer)
        except (ValueError, TypeError, ArrowException):  # mixed types Arrow cannot store
            return
        data = buffer.getvalue()
    assert_upload_or_clear_error([(f"cells.{extension}", data)])
