"""The multi-file upload: each format with vectors or coordinates; the messages for bad input."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from playground.embeddings.data.export import export_frame, to_csv_bytes, to_parquet_bytes
from playground.embeddings.data.files import MAX_CELL_CHARS, MAX_ROWS, DatasetError
from playground.embeddings.data.uploads import (
    ColumnGuess,
    dataset_from_upload,
    guess_columns,
    preview_frame,
    read_upload,
    vector_choices,
)

VECTORS = (np.arange(40, dtype=np.float32).reshape(5, 8) - 20) / 9
TEXTS = ["alpha one", "beta two", "gamma three", "delta four", "epsilon five"]
LABELS = ["greek", "greek", "latin", "latin", "greek"]


def parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def vector_table(vectors: pa.Array) -> pa.Table:
    return pa.table({"id": list(range(5)), "text": TEXTS, "label": LABELS, "embedding": vectors})


@pytest.mark.parametrize(
    "kind", [pa.list_(pa.float32()), pa.large_list(pa.float64()), pa.list_(pa.float32(), 8)]
)
def test_parquet_list_columns_become_supplied_vectors(kind: pa.DataType) -> None:
    data = parquet(vector_table(pa.array(VECTORS.tolist(), type=kind)))
    upload = read_upload([("v.parquet", data)])
    assert list(upload.frame.columns) == ["id", "text", "label"]
    assert upload.columns == ("id", "text", "label", "embedding")
    assert vector_choices(upload) == {"embedding": "embedding: 8-d vectors"}
    guess = guess_columns(upload)
    assert guess == ColumnGuess("text", "label", "embedding")
    dataset = dataset_from_upload(upload, guess.text, guess.label, guess.vectors)
    assert dataset.texts == TEXTS and dataset.labels == LABELS
    assert dataset.supplied is not None and dataset.supplied.coords is None
    np.testing.assert_array_equal(dataset.supplied.vectors, VECTORS)
    assert dataset.supplied.source == "column 'embedding' of v.parquet (8 dimensions)"
    preview = preview_frame(upload, rows=2)
    assert list(preview.columns) == ["id", "text", "label", "embedding"]
    assert preview["embedding"].tolist() == ["8 floats", "8 floats"]


def test_parquet_vectors_as_json_text_are_read_with_a_note() -> None:
    texts = pa.array([json.dumps(row) for row in VECTORS.tolist()])
    upload = read_upload([("t.parquet", parquet(vector_table(texts)))])
    np.testing.assert_allclose(upload.vectors["embedding"], VECTORS, rtol=1e-6)
    assert upload.notes == [
        "Column 'embedding' holds vectors as text; a list<float> column loads much faster."
    ]
    dataset = dataset_from_upload(upload, "text", None, "embedding")
    assert dataset.notes == upload.notes


def test_parquet_text_vectors_that_turn_bad_name_the_rows() -> None:
    rows = [json.dumps(row) for row in VECTORS.tolist()]
    rows[3] = "[0.1, 0.2, oops]"
    with pytest.raises(
        DatasetError, match=r"Column 'embedding' has values that are not numbers .* rows 4\."
    ):
        read_upload([("t.parquet", parquet(vector_table(pa.array(rows))))])


def test_a_text_column_that_starts_with_brackets_stays_text() -> None:
    frame = pd.DataFrame({"text": ["[citation needed] a", "[1] is a footnote mark"], "n": [1, 2]})
    upload = read_upload([("t.csv", frame.to_csv(index=False).encode())])
    assert upload.vectors == {} and guess_columns(upload).text == "text"


def test_npy_alone_gives_row_names() -> None:
    upload = read_upload([("vectors.npy", npy(VECTORS))])
    assert len(upload) == 5 and list(upload.frame.columns) == []
    assert vector_choices(upload) == {"vectors.npy": "vectors.npy: 8-d vectors"}
    assert guess_columns(upload) == ColumnGuess(None, None, "vectors.npy")
    dataset = dataset_from_upload(upload, None, None, "vectors.npy")
    assert dataset.texts == [f"row {n}" for n in range(1, 6)]
    assert dataset.notes == ["There is no text column: each point is named by its row number."]
    assert dataset.supplied is not None and dataset.supplied.source == "vectors.npy (8 dimensions)"
    assert preview_frame(upload)["vectors.npy"].tolist() == ["8 floats"] * 5
    with pytest.raises(DatasetError, match=r"no texts to embed in vectors\.npy"):
        dataset_from_upload(upload, None, None, None)


@pytest.mark.parametrize("table", ["texts.csv", "texts.tsv", "texts.jsonl", "texts.parquet"])
def test_npy_with_a_table_of_texts_and_labels(table: str) -> None:
    frame = pd.DataFrame({"text": TEXTS, "label": LABELS})
    data = {
        "texts.csv": frame.to_csv(index=False).encode(),
        "texts.tsv": frame.to_csv(index=False, sep="\t").encode(),
        "texts.jsonl": frame.to_json(orient="records", lines=True).encode(),
        "texts.parquet": parquet(pa.Table.from_pandas(frame)),
    }[table]
    upload = read_upload([("e.npy", npy(VECTORS.astype(np.float64))), (table, data)])
    assert upload.name == f"{table} + e.npy"
    guess = guess_columns(upload)
    assert guess == ColumnGuess("text", "label", "e.npy")
    dataset = dataset_from_upload(upload, guess.text, guess.label, guess.vectors)
    assert dataset.texts == TEXTS and dataset.labels == LABELS
    assert dataset.supplied is not None
    np.testing.assert_array_equal(dataset.supplied.matrix, VECTORS)


def test_npy_and_table_row_counts_must_match() -> None:
    with pytest.raises(
        DatasetError, match=r"e\.npy has 5 rows but t\.csv has 2: they must match row for row"
    ):
        read_upload([("t.csv", b"text\na\nb\n"), ("e.npy", npy(VECTORS))])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (npy(np.zeros(4)), r"holds a 1-D array of float64 with shape \(4,\): it needs a 2-D array"),
        (npy(np.zeros((2, 3, 4))), r"holds a 3-D array"),
        (npy(np.array([["a", "b"], ["c", "d"]])), r"2-D array of <U1"),
        (npy(np.array([[1, None]], dtype=object)), r"could not be read .*it holds Python objects"),
        (b"\x93NUMPY not really", r"could not be read as a NumPy \.npy file"),
        (npy(np.zeros((1, 8))), r"has 1 row\(s\): a map needs at least 2"),
        (npy(np.array([[0.0, 1], [np.nan, 1], [1, 1]])), r"NaN.* rows 2\."),
    ],
)
def test_bad_npy_files_say_what_to_fix(data: bytes, message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        read_upload([("bad.npy", data)])


def test_a_npz_archive_under_a_npy_name() -> None:
    buffer = io.BytesIO()
    np.savez(buffer, a=VECTORS)
    with pytest.raises(DatasetError, match=r"is a \.npz archive"):
        read_upload([("x.npy", buffer.getvalue())])


def test_jsonl_with_a_vector_column_of_lists() -> None:
    lines = [
        json.dumps({"text": t, "topic": lab, "vec": v})
        for t, lab, v in zip(TEXTS, LABELS, VECTORS.tolist(), strict=True)
    ]
    upload = read_upload([("d.ndjson", "\n".join(lines).encode())])
    assert guess_columns(upload) == ColumnGuess("text", "topic", "vec")
    np.testing.assert_allclose(upload.vectors["vec"], VECTORS, rtol=1e-6)


def test_jsonl_vectors_of_mixed_lengths() -> None:
    rows = [[0.1, 0.2, 0.3, 0.4]] * 3 + [[0.1, 0.2, 0.3]]
    lines = [json.dumps({"text": f"t{i}", "vec": v}) for i, v in enumerate(rows)]
    with pytest.raises(
        DatasetError,
        match=r"'vec' has vectors of different lengths: 4 numbers in 3 rows, but 3 in .*: rows 4",
    ):
        read_upload([("d.jsonl", "\n".join(lines).encode())])


def test_our_own_export_reads_back_as_csv_and_parquet() -> None:
    coords = VECTORS[:, :2].copy()
    frame = export_frame(
        TEXTS, labels=LABELS, clusters=[0, 0, 1, 1, 0], coords=coords, vectors=VECTORS
    )
    for name, data in (("map.csv", to_csv_bytes(frame)), ("map.parquet", to_parquet_bytes(frame))):
        upload = read_upload([(name, data)])
        assert vector_choices(upload) == {
            "embedding": "embedding: 8-d vectors",
            "x,y": "x, y: 2-D map coordinates",
        }
        guess = guess_columns(upload)
        assert (guess.text, guess.label, guess.vectors) == ("text", "label", "embedding")
        np.testing.assert_allclose(upload.vectors["embedding"], VECTORS, rtol=1e-6)
        dataset = dataset_from_upload(upload, "text", "label", "x,y")
        assert dataset.supplied is not None and dataset.supplied.vectors is None
        np.testing.assert_allclose(dataset.supplied.coords, coords, rtol=1e-6)
        assert dataset.supplied.source == f"columns 'x', 'y' of {name} (2-D map coordinates)"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("x,y", "x,y"),
        ("X,Y,Z", "X,Y,Z"),
        ("umap_x,umap_y", "umap_x,umap_y"),
        ("tsne-X,tsne-Y", "tsne-X,tsne-Y"),
    ],
)
def test_coordinate_columns_are_offered_as_a_map(header: str, key: str) -> None:
    width = header.count(",") + 1
    rows = "\n".join(
        f"point {i}," + ",".join(str(i * 0.5 + a) for a in range(width)) for i in range(4)
    )
    upload = read_upload([("p.csv", f"text,{header}\n{rows}\n".encode())])
    assert guess_columns(upload) == ColumnGuess("text", None, key)
    dataset = dataset_from_upload(upload, "text", None, key)
    assert dataset.supplied is not None and dataset.supplied.coords is not None
    assert dataset.supplied.coords.shape == (4, width)
    assert dataset.texts == [f"point {i}" for i in range(4)]


def test_look_alike_names_are_not_coordinates() -> None:
    upload = read_upload([("m.csv", b"text,max,may,x\na,1,2,3\nb,4,5,6\n")])
    assert vector_choices(upload) == {} and guess_columns(upload).vectors is None


def test_a_two_wide_vector_column_is_map_coordinates() -> None:
    table = pa.table(
        {"text": TEXTS, "xy": pa.array(VECTORS[:, :2].tolist(), pa.list_(pa.float32(), 2))}
    )
    upload = read_upload([("p.parquet", parquet(table))])
    assert vector_choices(upload) == {"xy": "xy: 2-D map coordinates"}
    dataset = dataset_from_upload(upload, "text", None, guess_columns(upload).vectors)
    assert dataset.supplied is not None and dataset.supplied.coords is not None
    assert dataset.supplied.source == "column 'xy' of p.parquet (2-D map coordinates)"


def test_vectors_are_preferred_to_coordinates_and_embedding_is_the_default() -> None:
    both = read_upload([("b.csv", b'text,x,y,v\na,1,2,"[1,2,3,4]"\nb,3,4,"[5,6,7,8]"\n')])
    assert guess_columns(both).vectors == "v"
    plain = read_upload([("p.csv", b"text,topic\na,u\nb,v\nc,u\nd,v\n")])
    assert guess_columns(plain) == ColumnGuess("text", "topic", None)


def test_a_low_cardinality_text_column_is_guessed_as_the_label() -> None:
    frame = pd.DataFrame(
        {"body": [f"a long text number {i}" for i in range(20)], "kindness": ["x", "y"] * 10}
    )
    upload = read_upload([("l.csv", frame.to_csv(index=False).encode())])
    assert guess_columns(upload) == ColumnGuess("body", "kindness", None)


def test_missing_coordinates_and_inf_name_their_rows() -> None:
    upload = read_upload([("p.csv", b"text,x,y\na,1,2\nb,,3\nc,inf,4\nd,5,6\n")])
    with pytest.raises(
        DatasetError, match=r"Columns 'x', 'y' has NaN.* in 2 row\(s\): rows 2, 3\."
    ):
        dataset_from_upload(upload, "text", None, "x,y")


def test_empty_texts_become_row_names_when_vectors_are_supplied() -> None:
    texts = pa.array(["first", "", None, "fourth", "  "])
    table = pa.table({"text": texts, "v": pa.array(VECTORS.tolist())})
    upload = read_upload([("e.parquet", parquet(table))])
    dataset = dataset_from_upload(upload, "text", None, "v")
    assert dataset.texts == ["first", "row 2", "row 3", "fourth", "row 5"]
    assert dataset.notes == ["3 row(s) have no text; they are named 'row N'."]
    embedded = dataset_from_upload(upload, "text", None, None)  # embedding here: empties skipped
    assert embedded.texts == ["first", "fourth"] and embedded.supplied is None


def test_a_huge_text_beside_vectors_is_named() -> None:
    texts = ["ok", "x" * (MAX_CELL_CHARS + 1), "ok", "ok", "ok"]
    upload = read_upload(
        [("h.parquet", parquet(pa.table({"text": texts, "v": pa.array(VECTORS.tolist())})))]
    )
    with pytest.raises(DatasetError, match=r"longer than 20,000 characters \(rows 2\)"):
        dataset_from_upload(upload, "text", None, "v")


def test_one_row_and_nan_vectors_in_a_table() -> None:
    one = pa.table({"text": ["a"], "v": pa.array([[1.0, 2.0, 3.0, 4.0]])})
    with pytest.raises(DatasetError, match=r"Column 'v' has 1 row\(s\): a map needs at least 2"):
        read_upload([("one.parquet", parquet(one))])
    rows = VECTORS.tolist()
    rows[2][5] = float("nan")
    with pytest.raises(DatasetError, match=r"Column 'v' has NaN.* rows 3\."):
        read_upload([("nan.parquet", parquet(pa.table({"text": TEXTS, "v": pa.array(rows)})))])


def test_more_than_the_row_limit_is_refused_for_parquet() -> None:
    table = pa.table({"x": pa.array(np.zeros(MAX_ROWS + 1, dtype=np.int8))})
    with pytest.raises(DatasetError, match=r"has 1,000,001 rows, more than 1,000,000"):
        read_upload([("big.parquet", parquet(table))])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Choose a file to upload"),
        ([("notes.docx", b"x")], r"notes\.docx: unsupported file type"),
        (
            [("a.csv", b"text\na\n"), ("b.jsonl", b'{"text": "b"}\n')],
            r"Upload one table at a time \(got a\.csv, b\.jsonl\)",
        ),
        ([("a.npy", npy(VECTORS)), ("b.npy", npy(VECTORS))], r"Upload one \.npy file at a time"),
        ([("broken.parquet", b"PAR1 nope")], "could not be read as Parquet"),
        (
            [("empty.parquet", parquet(pa.table({"text": pa.array([], pa.string())})))],
            "has no rows",
        ),
    ],
)
def test_bad_uploads_say_what_to_fix(files: list[tuple[str, bytes]], message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        read_upload(files)


def test_unknown_columns_and_choices_are_refused() -> None:
    upload = read_upload([("p.csv", b"text,x,y\na,1,2\nb,3,4\n")])
    with pytest.raises(DatasetError, match="no column 'body'"):
        dataset_from_upload(upload, "body", None, "x,y")
    with pytest.raises(DatasetError, match="no vectors or coordinates 'emb'"):
        dataset_from_upload(upload, "text", None, "emb")
