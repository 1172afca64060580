"""Plotly figures for the embeddings explorer, built as data (pure: no Streamlit).

Every text shown in a hover, a legend or an axis is truncated and HTML-escaped: plotly renders a
subset of HTML in those places, and the texts come from users' files. Each point carries its row
number in ``customdata`` so a selection can be mapped back to rows (selection indices are per
trace).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go
from plotly.colors import qualitative

__all__ = [
    "HOVER_CHARS",
    "MAX_COLOUR_GROUPS",
    "NOISE_GROUP",
    "QUERY_ROW",
    "WEBGL_ABOVE",
    "escape_for_plot",
    "figure_bytes",
    "hover_chars_for",
    "scatter_map",
    "selected_rows",
    "similarity_heatmap",
]

HOVER_CHARS = 160
# Hover text is the bulk of a large map's payload (coordinates and row ids take 16 bytes a point
# as base64 float32/int32): the text per point is cut so that a map carries at most this many
# characters of it (100,000 points keep 100 characters; from 400,000 points only the row and the
# group are shown). See bench/bench_embeddings_scale.py for the bytes per point.
HOVER_BUDGET_CHARS = 10_000_000
MIN_HOVER_CHARS = 24  # below this a cut text is not worth its bytes
WEBGL_ABOVE = 1_000
MAX_COLOUR_GROUPS = 40
QUERY_ROW = -1  # customdata of the query marker
NOISE_GROUP = "noise"  # the colour group of HDBSCAN noise: grey, drawn first (underneath)
PALETTE = list(qualitative.Plotly) + list(qualitative.Dark24) + list(qualitative.Light24)
OTHER = "(other)"
GREY_GROUPS = (NOISE_GROUP, "-1", OTHER)
GREY = "#9e9e9e"
HIGHLIGHT = "#ff2bd6"  # visible on the light and the dark theme, unlike the palette
NEIGHBOURS_NAME = "nearest neighbours"
QUERY_NAME = "query"
SELECTED_NAME = "selected"
LABEL_BACKGROUND = "rgba(14, 17, 23, 0.78)"  # the dark theme's background, see-through
LABEL_COLOUR = "#fafafa"


def escape_for_plot(text: str, limit: int = HOVER_CHARS) -> str:
    """``text`` cut to ``limit`` characters (with …) and HTML-escaped, newlines as spaces."""
    flat = " ".join(str(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return html.escape(flat, quote=True)


def hover_chars_for(n: int) -> int:
    """The characters of text each point's hover keeps on a map of ``n`` points: all
    :data:`HOVER_CHARS` up to 62,500 points, then :data:`HOVER_BUDGET_CHARS` shared out, and 0
    (the hover shows the row and the group only) once that is under :data:`MIN_HOVER_CHARS`."""
    share = min(HOVER_CHARS, HOVER_BUDGET_CHARS // max(n, 1))
    return share if share >= MIN_HOVER_CHARS else 0


def figure_bytes(fig: go.Figure) -> int:
    """The size of the JSON ``st.plotly_chart`` sends for ``fig`` (Streamlit 1.67 converts the
    figure with ``to_dict``, which writes numpy arrays as base64 typed arrays, then
    ``plotly.io.to_json``)."""
    import plotly.io
    import plotly.tools

    figure = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return len(plotly.io.to_json(figure, validate=False).encode("utf-8"))


def _colour_groups(colours: Sequence[str]) -> tuple[list[str], list[npt.NDArray[np.int32]]]:
    """The legend groups in drawing order (noise first, "other" last) and each one's rows.

    The most frequent :data:`MAX_COLOUR_GROUPS` - 1 values keep their name when there are more;
    the rest are "other". Vectorised: a million rows take well under a second."""
    values, inverse, counts = np.unique(
        np.asarray(colours, dtype=object).astype(str), return_inverse=True, return_counts=True
    )
    names = [str(v) for v in values]
    if len(values) > MAX_COLOUR_GROUPS:
        keep = np.argsort(-counts, kind="stable")[: MAX_COLOUR_GROUPS - 1]
        mapping = np.full(len(values), len(keep), dtype=np.intp)
        mapping[keep] = np.arange(len(keep))
        names = [names[i] for i in keep] + [OTHER]
        inverse = mapping[inverse.reshape(-1)]
    codes = inverse.reshape(-1)
    order = np.argsort(codes, kind="stable").astype(np.int32)
    bounds = np.cumsum(np.bincount(codes, minlength=len(names)))[:-1]
    rows = dict(zip(names, np.split(order, bounds), strict=True))
    ordered = sorted(rows, key=_group_key)
    return ordered, [rows[name] for name in ordered if len(rows[name])]


def _group_key(name: str) -> tuple[int, int, int | str]:
    """Noise first (drawn underneath), then numbers in order, then names, "other" last."""
    noise = 0 if name in (NOISE_GROUP, "-1") else 1
    try:
        return (noise, 0, int(name)) if name != OTHER else (2, 0, 0)
    except ValueError:
        return (noise, 1, name)


def _points_trace(
    xyz: npt.NDArray[np.floating], props: dict[str, object], *, webgl: bool
) -> go.Scatter | go.Scattergl | go.Scatter3d:
    """A markers trace of ``xyz`` (n, 2 or 3): ``Scatter3d`` for 3 columns, else ``Scattergl``
    when ``webgl``, else ``Scatter``. Columns are copied contiguous so they go out as typed
    arrays of ``xyz``'s dtype."""
    columns = [np.ascontiguousarray(xyz[:, i]) for i in range(xyz.shape[1])]
    if xyz.shape[1] == 3:
        return go.Scatter3d(x=columns[0], y=columns[1], z=columns[2], **props)
    trace = go.Scattergl if webgl else go.Scatter
    return trace(x=columns[0], y=columns[1], **props)


def _marker_size(n: int, three_d: bool) -> int:
    if three_d:
        return 3 if n <= 100_000 else 2
    if n <= WEBGL_ABOVE:
        return 7
    return 5 if n <= 100_000 else (3 if n <= 300_000 else 2)


def scatter_map(
    coords: npt.NDArray[np.floating],
    texts: Sequence[str],
    colours: Sequence[str],
    *,
    colour_title: str = "label",
    highlight: Sequence[int] = (),
    query: npt.NDArray[np.floating] | None = None,
    query_text: str = "",
    labels: Sequence[tuple[str, Sequence[float]]] = (),
    selected: Sequence[int] = (),
) -> go.Figure:
    """A scatter of the map, one trace per colour group (2D: ``Scattergl`` above
    :data:`WEBGL_ABOVE` points; 3D: ``Scatter3d``); ``highlight`` rows ringed; ``query`` a star.

    Compact for large maps: coordinates go out as float32 typed arrays, each point's row as int32
    ``customdata`` (n, 1), and hover text cut to :func:`hover_chars_for` (none at a million
    points: the hover then shows the row and the group). :data:`NOISE_GROUP` is grey and drawn
    underneath. ``labels`` are (text, position) pairs drawn as escaped text on a dark box;
    ``selected`` rows are shown selected (2D: plotly's ``selectedpoints``, the rest dimmed; 3D: a
    ring trace). Do not pass a chart's own selection back as its ``selected``: the figure changes,
    so Streamlit gives the chart a new identity and drops that selection."""
    points = np.asarray(coords, dtype=np.float32)
    if points.ndim != 2 or points.shape[1] not in (2, 3):
        raise ValueError("coords must be (n, 2) or (n, 3)")
    if not len(points) == len(texts) == len(colours):
        raise ValueError("coords, texts and colours must have the same length")
    three_d = points.shape[1] == 3
    chars = hover_chars_for(len(points))
    webgl = len(points) > WEBGL_ABOVE
    size = _marker_size(len(points), three_d)
    chosen = np.unique(np.asarray(list(selected), dtype=np.int64))
    fig = go.Figure()

    def add(rows: npt.NDArray[np.integer], name: str, marker: dict[str, object]) -> None:
        common: dict[str, object] = {
            "name": escape_for_plot(name, 40),
            "mode": "markers",
            "marker": marker,
            "customdata": rows.astype(np.int32).reshape(-1, 1),
        }
        if chars:
            common["hovertext"] = [escape_for_plot(texts[i], chars) for i in rows]
            common["hovertemplate"] = "%{hovertext}<extra>%{fullData.name}</extra>"
        else:
            common["hovertemplate"] = "row %{customdata[0]}<extra>%{fullData.name}</extra>"
        fig.add_trace(_points_trace(points[rows], common, webgl=webgl))

    groups, group_rows = _colour_groups(colours)
    for number, (name, rows) in enumerate(zip(groups, group_rows, strict=False)):
        grey = name in GREY_GROUPS
        marker = {"size": size, "color": GREY if grey else PALETTE[number % len(PALETTE)]}
        marker["opacity"] = 0.5 if grey else 0.8
        add(rows, name, marker)
        if len(chosen) and not three_d:
            inside = np.flatnonzero(
                np.isin(rows, chosen)
            ).tolist()  # plotly.js reads no typed array here
            fig.data[-1].update(
                selectedpoints=inside,
                selected={"marker": {"opacity": 1.0}},
                unselected={"marker": {"opacity": 0.12}},
            )
    if len(chosen) and three_d:
        add(chosen, SELECTED_NAME, {"size": size + 3, "color": HIGHLIGHT})
    if len(highlight):
        rows = np.asarray(list(highlight), dtype=np.intp)
        ring = {
            "size": size + 8,
            "color": "rgba(0,0,0,0)",
            "line": {"width": 2, "color": HIGHLIGHT},
        }
        exact = np.asarray(coords, dtype=np.float64)[rows]  # a few points: full precision
        fig.add_trace(
            _points_trace(
                exact,
                {
                    "name": NEIGHBOURS_NAME,
                    "mode": "markers",
                    "marker": ring if not three_d else {"size": size + 4, "color": HIGHLIGHT},
                    "customdata": rows.astype(np.int32).reshape(-1, 1),
                    "hovertext": [escape_for_plot(texts[i]) for i in rows],
                    "hovertemplate": "%{hovertext}<extra>%{fullData.name}</extra>",
                },
                webgl=webgl,
            )
        )
    if query is not None:
        _add_query(fig, np.asarray(query, dtype=np.float64).reshape(1, -1), query_text, webgl)
    _add_labels(fig, labels, points.shape[1])
    fig.update_layout(
        legend_title_text=escape_for_plot(colour_title, 40),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        height=620,
        dragmode="lasso" if not three_d else "orbit",
        hoverlabel={"namelength": 30},
    )
    if not three_d:
        fig.update_xaxes(showticklabels=False, title=None)
        fig.update_yaxes(showticklabels=False, title=None, scaleanchor="x", scaleratio=1)
    return fig


def _add_query(fig: go.Figure, q: npt.NDArray[np.float64], text: str, webgl: bool) -> None:
    """The query as a gold star (a diamond in 3D), on top of everything."""
    three_d = q.shape[1] == 3
    star: dict[str, object] = {"size": 18 if not three_d else 8, "color": "gold"}
    star["symbol"] = "diamond" if three_d else "star"
    if not three_d:
        star["line"] = {"width": 1, "color": "black"}
    common: dict[str, object] = {
        "name": QUERY_NAME,
        "mode": "markers",
        "marker": star,
        "customdata": [[QUERY_ROW]],
        "hovertext": [escape_for_plot(text)],
        "hovertemplate": "query: %{hovertext}<extra></extra>",
    }
    fig.add_trace(_points_trace(q, common, webgl=webgl))


def _add_labels(fig: go.Figure, labels: Sequence[tuple[str, Sequence[float]]], dims: int) -> None:
    """Each (text, position) as an annotation: escaped, light text on a dark see-through box
    (readable on both themes), not hoverable or selectable, so it never hides a point's hover."""
    notes: list[dict[str, object]] = []
    for text, position in labels:
        where = [float(v) for v in position]
        if len(where) != dims:
            raise ValueError(f"label positions must have {dims} values")
        note: dict[str, object] = dict(zip("xyz", where, strict=False))
        note.update(
            text=escape_for_plot(text, 40),
            showarrow=False,
            bgcolor=LABEL_BACKGROUND,
            borderpad=3,
            font={"color": LABEL_COLOUR, "size": 12},
        )
        notes.append(note)
    if dims == 3:
        fig.update_layout(scene={"annotations": notes})
    else:
        fig.update_layout(annotations=notes)


def selected_rows(selection_points: Sequence[dict[str, object]]) -> list[int]:
    """Row numbers of selected points (from ``customdata``), deduplicated, the query left out.

    ``customdata`` arrives as a list, or (as Streamlit 1.67 sends a 2-D numpy column) as a dict
    ``{"0": row}``.
    """
    rows: set[int] = set()
    for point in selection_points:
        data = point.get("customdata")
        if isinstance(data, dict) and data:
            data = data.get("0", next(iter(data.values())))
        if isinstance(data, list | tuple) and data:
            data = data[0]
        if isinstance(data, int | float) and int(data) != QUERY_ROW:
            rows.add(int(data))
    return sorted(rows)


def similarity_heatmap(similarity: npt.NDArray[np.floating], texts: Sequence[str]) -> go.Figure:
    """A cosine-similarity heatmap; rows and columns named "row: text" (truncated, escaped)."""
    sim = np.asarray(similarity, dtype=np.float64)
    if sim.ndim != 2 or sim.shape[0] != sim.shape[1] or sim.shape[0] != len(texts):
        raise ValueError("similarity must be square and match texts")
    names = [f"{i}: {escape_for_plot(t, 40)}" for i, t in enumerate(texts)]
    fig = go.Figure(
        go.Heatmap(
            z=sim,
            x=names,
            y=names,
            zmin=-1 if sim.min() < 0 else 0,
            zmax=1,
            colorscale="Viridis",
            colorbar={"title": {"text": "cosine"}},
            hovertemplate="%{y}<br>%{x}<br>cosine %{z:.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(420, min(900, 8 * len(texts) + 200)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=len(texts) <= 40, autorange="reversed")
    return fig
