"""Parsing pasted lines and uploaded files, and the messages for bad ones."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from playground.embeddings.data import files
from playground.embeddings.data.files import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    DatasetError,
    dataset_from_frame,
    dataset_from_lines,
    guess_text_column,
    read_table,
    text_columns,
)
from playground.embeddings.data.sample import load_sample_dataset


def test_csv_with_text_and_label_columns() -> None:
    frame = read_table("d.csv", b'id,text,topic\n1,"Hello, world",greet\n2,Bye,part\n')
    assert guess_text_column(frame) == "text"
    data = dataset_from_frame(frame, "text", "topic")
    assert data.texts == ["Hello, world", "Bye"]
    assert data.labels == ["greet", "part"]


def test_tsv_jsonl_and_parquet_give_the_same_dataset() -> None:
    tsv = read_table("d.tsv", "text\tlabel\nα one\tx\nβ two\ty\n".encode())
    jsonl = read_table(
        "d.jsonl",
        b'{"text": "\\u03b1 one", "label": "x"}\n\n{"text": "\\u03b2 two", "label": "y"}\n',
    )
    buffer = io.BytesIO()
    pd.DataFrame({"text": ["α one", "β two"], "label": ["x", "y"]}).to_parquet(buffer)
    parquet = read_table("d.parquet", buffer.getvalue())
    for frame in (tsv, jsonl, parquet):
        data = dataset_from_frame(frame, "text", "label")
        assert data.texts == ["α one", "β two"]
        assert data.labels == ["x", "y"]


def test_utf8_bom_and_utf16_are_decoded() -> None:
    assert read_table("a.csv", "\ufefftext\ncafé\n".encode()).columns.tolist() == ["text"]
    frame = read_table("b.csv", "text\ncafé\n".encode("utf-16"))
    assert dataset_from_frame(frame, "text").texts == ["café"]


def test_wrong_encoding_says_to_save_as_utf8() -> None:
    with pytest.raises(DatasetError, match=r"not UTF-8 .*line 2.*Save it as UTF-8"):
        read_table("latin.csv", "text\ncaf\xe9\n".encode("latin-1"))


def test_no_text_column_is_explained() -> None:
    frame = read_table("n.parquet", _parquet(pd.DataFrame({"a": [1, 2], "b": [0.5, 0.25]})))
    assert text_columns(frame) == []
    with pytest.raises(DatasetError, match=r"No column holds text.*columns found: a, b"):
        guess_text_column(frame)


def test_empty_rows_are_skipped_and_counted() -> None:
    frame = read_table("e.csv", b"text,label\nfirst,a\n,b\n   ,c\nlast,d\n")
    data = dataset_from_frame(frame, "text", "label")
    assert data.texts == ["first", "last"]
    assert data.labels == ["a", "d"]
    assert data.notes == ["Skipped 2 empty row(s): 2, 3."]


def test_a_column_with_only_empty_rows_is_refused() -> None:
    frame = pd.DataFrame({"text": ["", " "], "other": ["x", "y"]})
    with pytest.raises(DatasetError, match="Every row of column 'text' is empty"):
        dataset_from_frame(frame, "text")


def test_huge_cells_name_their_rows() -> None:
    frame = pd.DataFrame({"text": ["ok", "x" * (MAX_CELL_CHARS + 1), "fine"]})
    with pytest.raises(DatasetError, match=r"longer than 20,000 characters \(rows 2\)"):
        dataset_from_frame(frame, "text")


def test_the_row_limit_is_one_million() -> None:
    assert MAX_ROWS == 1_000_000


@pytest.mark.parametrize("suffix", ["csv", "tsv", "jsonl"])
def test_more_than_the_row_limit_is_refused_not_sampled(
    suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_ROWS", 50)  # the same code path as 1,000,000, faster
    line = '{"text": "t"}\n' if suffix == "jsonl" else "t\n"
    header = "" if suffix == "jsonl" else "text\n"
    with pytest.raises(DatasetError, match="more than 50 rows"):
        read_table(f"big.{suffix}", (header + line * 51).encode())
    assert len(read_table(f"ok.{suffix}", (header + line * 50).encode())) == 50
    with pytest.raises(DatasetError, match="The paste has 51 lines; the limit is 50"):
        dataset_from_lines("t\n" * 51)


def test_bad_jsonl_line_is_named() -> None:
    with pytest.raises(DatasetError, match=r"Line 2 of x\.jsonl is not valid JSON"):
        read_table("x.jsonl", b'{"text": "a"}\n{"text": \n')
    with pytest.raises(DatasetError, match=r"Line 1 of y\.jsonl is a JSON list"):
        read_table("y.jsonl", json.dumps(["a"]).encode())


def test_unsupported_empty_and_corrupt_files() -> None:
    with pytest.raises(DatasetError, match="unsupported file type"):
        read_table("notes.docx", b"abc")
    with pytest.raises(DatasetError, match="is empty"):
        read_table("blank.csv", b"  \n")
    with pytest.raises(DatasetError, match="could not be read as Parquet"):
        read_table("broken.parquet", b"PAR1 not really")
    with pytest.raises(DatasetError, match="could not be parsed as CSV"):
        read_table("q.csv", b'text\n"unterminated\n')


def test_longest_text_column_is_guessed_without_a_text_header() -> None:
    frame = pd.DataFrame({"tag": ["a", "b"], "body": ["a long sentence", "another long one"]})
    assert guess_text_column(frame) == "body"


def test_pasted_lines() -> None:
    assert dataset_from_lines("one\n\n  two  \n").texts == ["one", "two"]
    with pytest.raises(DatasetError, match="Paste at least one line"):
        dataset_from_lines("\n \n")


def test_sample_dataset_has_seven_balanced_topics() -> None:
    data = load_sample_dataset()
    assert data.labels is not None
    assert len(data) == 280
    assert len(set(data.texts)) == 280
    assert {data.labels.count(t) for t in set(data.labels)} == {40}
    assert len(set(data.labels)) == 7


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    return buffer.getvalue()
