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
    "QUERY_ROW",
    "WEBGL_ABOVE",
    "escape_for_plot",
    "scatter_map",
    "selected_rows",
    "similarity_heatmap",
]

HOVER_CHARS = 160
WEBGL_ABOVE = 1_000
MAX_COLOUR_GROUPS = 40
QUERY_ROW = -1  # customdata of the query marker
PALETTE = list(qualitative.Plotly) + list(qualitative.Dark24) + list(qualitative.Light24)
OTHER = "(other)"
HIGHLIGHT = "#ff2bd6"  # visible on the light and the dark theme, unlike the palette
NEIGHBOURS_NAME = "nearest neighbours"
QUERY_NAME = "query"


def escape_for_plot(text: str, limit: int = HOVER_CHARS) -> str:
    """``text`` cut to ``limit`` characters (with …) and HTML-escaped, newlines as spaces."""
    flat = " ".join(str(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return html.escape(flat, quote=True)


def _colour_groups(colours: Sequence[str]) -> list[str]:
    """Each row's legend group: the most frequent values keep their name, the rest are "other"."""
    values, counts = np.unique(np.asarray(colours, dtype=object).astype(str), return_counts=True)
    if len(values) <= MAX_COLOUR_GROUPS:
        return [str(c) for c in colours]
    keep = {str(v) for v in values[np.argsort(-counts, kind="stable")][: MAX_COLOUR_GROUPS - 1]}
    return [str(c) if str(c) in keep else OTHER for c in colours]


def _group_order(groups: Sequence[str]) -> list[str]:
    names = sorted(set(groups), key=lambda g: (g == OTHER, _natural(g)))
    return names


def _natural(name: str) -> tuple[int, int | str]:
    try:
        return (0, int(name))
    except ValueError:
        return (1, name)


def _points_trace(
    xyz: npt.NDArray[np.float64], props: dict[str, object], *, webgl: bool
) -> go.Scatter | go.Scattergl | go.Scatter3d:
    """A markers trace of ``xyz`` (n, 2 or 3): ``Scatter3d`` for 3 columns, else ``Scattergl``
    when ``webgl``, else ``Scatter``."""
    if xyz.shape[1] == 3:
        return go.Scatter3d(x=xyz[:, 0], y=xyz[:, 1], z=xyz[:, 2], **props)
    trace = go.Scattergl if webgl else go.Scatter
    return trace(x=xyz[:, 0], y=xyz[:, 1], **props)


def scatter_map(
    coords: npt.NDArray[np.floating],
    texts: Sequence[str],
    colours: Sequence[str],
    *,
    colour_title: str = "label",
    highlight: Sequence[int] = (),
    query: npt.NDArray[np.floating] | None = None,
    query_text: str = "",
) -> go.Figure:
    """A scatter of the map, one trace per colour group (2D: ``Scattergl`` above
    :data:`WEBGL_ABOVE` points; 3D: ``Scatter3d``); ``highlight`` rows ringed; ``query`` a star."""
    points = np.asarray(coords, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] not in (2, 3):
        raise ValueError("coords must be (n, 2) or (n, 3)")
    if not len(points) == len(texts) == len(colours):
        raise ValueError("coords, texts and colours must have the same length")
    three_d = points.shape[1] == 3
    hover = [escape_for_plot(t) for t in texts]
    groups = _colour_groups(colours)
    group_array = np.asarray(groups, dtype=object)
    webgl = len(points) > WEBGL_ABOVE
    fig = go.Figure()

    def add(rows: npt.NDArray[np.intp], name: str, marker: dict[str, object]) -> None:
        xyz = points[rows]
        common: dict[str, object] = {
            "name": escape_for_plot(name, 40),
            "mode": "markers",
            "marker": marker,
            "customdata": rows.reshape(-1, 1),
            "hovertext": [hover[i] for i in rows],
            "hovertemplate": "%{hovertext}<extra>%{fullData.name}</extra>",
        }
        fig.add_trace(_points_trace(xyz, common, webgl=webgl))

    size = 3 if three_d else (5 if webgl else 7)
    for number, name in enumerate(_group_order(groups)):
        rows = np.flatnonzero(group_array == name)
        colour = "#9e9e9e" if name in ("-1", OTHER) else PALETTE[number % len(PALETTE)]
        add(rows, name, {"size": size, "color": colour, "opacity": 0.8})
    if len(highlight):
        rows = np.asarray(list(highlight), dtype=np.intp)
        ring = {
            "size": size + 8,
            "color": "rgba(0,0,0,0)",
            "line": {"width": 2, "color": HIGHLIGHT},
        }
        add(rows, NEIGHBOURS_NAME, ring if not three_d else {"size": size + 4, "color": HIGHLIGHT})
    if query is not None:
        q = np.asarray(query, dtype=np.float64).reshape(1, -1)
        star: dict[str, object] = {
            "size": 18 if not three_d else 8,
            "color": "gold",
            "symbol": "diamond",
        }
        if not three_d:
            star["symbol"] = "star"
            star["line"] = {"width": 1, "color": "black"}
        common: dict[str, object] = {
            "name": QUERY_NAME,
            "mode": "markers",
            "marker": star,
            "customdata": [[QUERY_ROW]],
            "hovertext": [escape_for_plot(query_text)],
            "hovertemplate": "query: %{hovertext}<extra></extra>",
        }
        fig.add_trace(_points_trace(q, common, webgl=webgl))
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
