"""The explorer's plotly figures, tested as data."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from playground.embeddings.data.export import export_frame, to_csv_bytes, to_parquet_bytes
from playground.embeddings.figures import (
    HOVER_CHARS,
    NOISE_GROUP,
    QUERY_ROW,
    WEBGL_ABOVE,
    escape_for_plot,
    figure_bytes,
    hover_chars_for,
    scatter_map,
    selected_rows,
    similarity_heatmap,
)


def test_hover_text_is_truncated_and_escaped() -> None:
    text = "<img src=x onerror=alert(1)> " + "word " * 100
    shown = escape_for_plot(text)
    assert "<img" not in shown and "&lt;img" in shown
    assert len(escape_for_plot("x" * 500)) == 160 and escape_for_plot("x" * 500).endswith("…")
    assert escape_for_plot("a\nb\tc") == "a b c"


def test_one_trace_per_label_with_row_ids_and_escaped_names() -> None:
    coords = np.arange(12, dtype=float).reshape(6, 2)
    fig = scatter_map(coords, list("abcdef"), ["x", "<b>y</b>", "x", "y", "x", "<b>y</b>"])
    assert [t.type for t in fig.data] == ["scatter"] * 3
    names = [t.name for t in fig.data]
    assert "&lt;b&gt;y&lt;/b&gt;" in names
    rows = sorted(int(r[0]) for t in fig.data for r in t.customdata)
    assert rows == list(range(6))
    x_trace = next(t for t in fig.data if t.name == "x")
    assert [int(r[0]) for r in x_trace.customdata] == [0, 2, 4]
    assert list(x_trace.x) == [0.0, 4.0, 8.0]


def test_webgl_above_the_threshold_and_3d() -> None:
    n = WEBGL_ABOVE + 1
    big = scatter_map(np.zeros((n, 2)), ["t"] * n, ["a"] * n)
    assert {t.type for t in big.data} == {"scattergl"}
    small = scatter_map(np.zeros((WEBGL_ABOVE, 2)), ["t"] * WEBGL_ABOVE, ["a"] * WEBGL_ABOVE)
    assert {t.type for t in small.data} == {"scatter"}
    cube = scatter_map(np.zeros((5, 3)), ["t"] * 5, ["a"] * 5, query=np.ones(3), highlight=[1])
    assert [t.type for t in cube.data] == ["scatter3d"] * 3


def test_neighbours_and_query_are_drawn_on_top() -> None:
    coords = np.random.default_rng(0).normal(size=(10, 2))
    fig = scatter_map(
        coords,
        [f"t{i}" for i in range(10)],
        ["a"] * 10,
        highlight=[3, 7],
        query=np.array([0.5, 0.5]),
        query_text="<q>",
    )
    ring, star = fig.data[-2], fig.data[-1]
    assert ring.name == "nearest neighbours" and [int(r[0]) for r in ring.customdata] == [3, 7]
    assert list(ring.x) == [coords[3, 0], coords[7, 0]]
    assert star.name == "query" and star.customdata[0][0] == QUERY_ROW
    assert star.hovertext[0] == "&lt;q&gt;"


def test_many_labels_are_capped_with_other() -> None:
    labels = [f"l{i}" for i in range(100)]
    fig = scatter_map(np.zeros((100, 2)), labels, labels)
    assert len(fig.data) == 40 and fig.data[-1].name == "(other)"


def test_selection_rows_are_deduplicated_and_skip_the_query() -> None:
    points = [
        {"customdata": [4]},
        {"customdata": [4]},
        {"customdata": [1]},
        {"customdata": [-1]},
        {},
    ]
    assert selected_rows(points) == [1, 4]


def test_heatmap_shape_and_escaped_axis_names() -> None:
    sim = np.eye(3)
    fig = similarity_heatmap(sim, ["a", "<i>b</i>", "c"])
    assert np.asarray(fig.data[0].z).shape == (3, 3)
    assert fig.data[0].y[1] == "1: &lt;i&gt;b&lt;/i&gt;"
    with pytest.raises(ValueError):
        similarity_heatmap(np.eye(2), ["a", "b", "c"])


def test_export_csv_and_parquet_round_trip() -> None:
    import io

    import pandas as pd

    vectors = np.arange(6, dtype=np.float32).reshape(3, 2)
    frame = export_frame(
        ["a", "b,c", "d"],
        labels=["x", "y", "z"],
        clusters=[0, 1, 0],
        coords=np.ones((3, 2)),
        vectors=vectors,
    )
    assert list(frame.columns) == ["row", "text", "label", "cluster", "x", "y", "embedding"]
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(frame)))
    assert csv["text"].tolist() == ["a", "b,c", "d"]
    assert csv["embedding"][2] == "[4.0, 5.0]"
    parquet = pd.read_parquet(io.BytesIO(to_parquet_bytes(frame)))
    assert np.array_equal(np.stack(parquet["embedding"]), vectors)
    assert parquet["cluster"].tolist() == [0, 1, 0]
    subset = export_frame(["a", "b", "c"], rows=[2, 0])
    assert subset.to_dict("list") == {"row": [2, 0], "text": ["c", "a"]}


def test_selected_rows_reads_customdata_as_streamlit_sends_it():
    # recorded from a box selection in Chromium: Streamlit 1.67 sends a 2-D customdata row as a dict
    points = [
        {"curve_number": 0, "point_index": 0, "customdata": {"0": 240}},
        {"curve_number": 0, "point_index": 1, "customdata": {"0": 241}},
        {"curve_number": 1, "point_index": 0, "customdata": {"0": -1}},  # the query marker
    ]
    assert selected_rows(points) == [240, 241]


def test_export_puts_scores_after_the_row_rounded() -> None:
    frame = export_frame(
        ["a", "b", "c"], labels=["x", "y", "z"], rows=[2, 0], scores=[0.912345, 0.5]
    )
    assert frame.to_dict("list") == {
        "row": [2, 0],
        "score": [0.9123, 0.5],
        "text": ["c", "a"],
        "label": ["z", "x"],
    }


def test_hover_budget_keeps_text_at_100k_and_only_the_row_at_a_million() -> None:
    assert hover_chars_for(1) == hover_chars_for(50_000) == HOVER_CHARS
    assert hover_chars_for(100_000) >= 80  # readable
    assert hover_chars_for(1_000_000) == 0
    sizes = [hover_chars_for(n) for n in (10, 10_000, 100_000, 250_000, 500_000, 2_000_000)]
    assert sizes == sorted(sizes, reverse=True)


def _spec(fig: object) -> dict[str, Any]:
    import json

    import plotly.io
    import plotly.tools

    figure = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    spec: dict[str, Any] = json.loads(plotly.io.to_json(figure, validate=False))
    return spec


def test_large_maps_go_out_as_float32_and_int32_typed_arrays_with_cut_hover() -> None:
    n = 100_000
    rng = np.random.default_rng(0)
    texts = [f"<i>{i}</i> " + "word " * 60 if i < 7 else "word " * 60 for i in range(n)]
    fig = scatter_map(rng.normal(size=(n, 2)), texts, [str(i % 7) for i in range(n)])
    trace = _spec(fig)["data"][0]
    assert trace["x"]["dtype"] == "f4" and trace["y"]["dtype"] == "f4"
    assert trace["customdata"]["dtype"] == "i4" and trace["customdata"]["shape"] == "14286, 1"
    assert len(fig.data[0].hovertext[0]) <= hover_chars_for(n) + 20  # + the escapes
    assert fig.data[0].hovertext[0].startswith("&lt;i&gt;0&lt;/i&gt; word")
    # coordinates and row ids: about 19 bytes a point (16 as base64, plus the "/" that
    # plotly.io.to_json writes as \u002f); the hover text: its characters, 3 for the quotes and
    # comma, 5 more for the escaped "…"
    assert figure_bytes(fig) / n < hover_chars_for(n) + 20 + 3 + 5


def test_a_million_points_cost_under_20_bytes_each_and_hover_shows_the_row() -> None:
    n = 1_000_000
    coords = np.random.default_rng(1).normal(size=(n, 2)).astype(np.float32)
    colours = np.repeat(np.array(["a", "b", NOISE_GROUP]), [500_000, 400_000, 100_000]).tolist()
    fig = scatter_map(coords, ["some text"] * n, colours)
    assert sum(len(t.x) for t in fig.data) == n
    assert fig.data[0].hovertext is None and "row %{customdata[0]}" in fig.data[0].hovertemplate
    assert figure_bytes(fig) / n < 20


def test_noise_is_grey_and_drawn_underneath() -> None:
    colours = ["b", NOISE_GROUP, "a", "2", NOISE_GROUP, "10", "(other)"]
    fig = scatter_map(np.zeros((7, 2)), ["t"] * 7, colours)
    assert [t.name for t in fig.data] == [NOISE_GROUP, "2", "10", "a", "b", "(other)"]
    assert fig.data[0].marker.color == fig.data[-1].marker.color == "#9e9e9e"
    assert [int(r[0]) for r in fig.data[0].customdata] == [1, 4]
    assert fig.data[1].marker.color != "#9e9e9e"
    legacy = scatter_map(np.zeros((3, 2)), ["t"] * 3, ["0", "-1", "1"])
    assert [t.name for t in legacy.data] == ["-1", "0", "1"]


def test_cluster_labels_are_escaped_boxed_annotations_at_their_positions() -> None:
    fig = scatter_map(
        np.zeros((4, 2)),
        ["t"] * 4,
        list("aabb"),
        labels=[("<b>pasta</b> · garlic", (1.5, -2.0)), ("x" * 80, [0, 0])],
    )
    first, second = fig.layout.annotations
    assert first.text == "&lt;b&gt;pasta&lt;/b&gt; · garlic" and (first.x, first.y) == (1.5, -2.0)
    assert first.bgcolor and first.font.color and first.showarrow is False
    assert len(second.text) == 40
    cube = scatter_map(np.zeros((4, 3)), ["t"] * 4, list("aabb"), labels=[("a", (1, 2, 3))])
    note = cube.layout.scene.annotations[0]
    assert (note.x, note.y, note.z, note.text) == (1, 2, 3, "a")
    with pytest.raises(ValueError, match="3 values"):
        scatter_map(np.zeros((4, 3)), ["t"] * 4, list("aabb"), labels=[("a", (1, 2))])


def test_selected_rows_are_shown_selected_per_trace_and_in_3d_as_a_trace() -> None:
    fig = scatter_map(np.zeros((6, 2)), ["t"] * 6, list("ababab"), selected=[5, 0, 2, 5])
    a, b = fig.data
    assert list(a.selectedpoints) == [0, 1] and list(b.selectedpoints) == [2]
    assert a.unselected.marker.opacity < a.selected.marker.opacity
    assert _spec(fig)["data"][0]["selectedpoints"] == [0, 1]  # a list: plotly.js reads no bdata
    plain = scatter_map(np.zeros((6, 2)), ["t"] * 6, list("ababab"))
    assert all(t.selectedpoints is None for t in plain.data)
    cube = scatter_map(np.zeros((6, 3)), ["t"] * 6, list("ababab"), selected=[1, 4])
    ring = cube.data[-1]
    assert ring.name == "selected" and [int(r[0]) for r in ring.customdata] == [1, 4]
