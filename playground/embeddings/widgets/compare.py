"""Two maps of the same rows side by side, with linked selection (Streamlit side).

    compare_panel(store, workspace, current, current_id=open_map_id())

draws a "Compare with another map" expander (read and drawn only while open, as the History is):
the left map is the explorer's ``current`` map (or any saved map of the workspace), the right map
any other saved map of the same rows (the same dataset digest: the same texts and labels, e.g. two
embedding models, two dimensions, UMAP and PCA). A box or lasso on either chart lists the rows
under them and shows them selected on both. Above the charts: how much their neighbourhoods agree
(:func:`playground.embeddings.compute.compare.neighbour_agreement`), in plain words.

The maps of one dataset are found by the store's search for its digest (the digest is in each
map's search text): no body is read but the two shown, and the last few read are kept in the
session.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import partial

import streamlit as st

from playground.embeddings.compute.compare import (
    Agreement,
    agreement_text,
    neighbour_agreement,
    same_rows,
    selection_frame,
)
from playground.embeddings.data.saved_map import KIND, SavedMap
from playground.embeddings.figures import selected_rows
from playground.embeddings.widgets import plain
from playground.embeddings.widgets.stored_map import (
    map_colours,
    map_figure,
    read_map,
    settings_line,
)
from playground.store import ItemSummary, SafeStore

__all__ = ["compare_panel"]

PANEL = "emb_cmp_open"
LEFT, RIGHT = "emb_cmp_left", "emb_cmp_right"  # the charts' keys (their pickers: + "_pick")
ROWS = "emb_cmp_rows"  # ((left choice, right choice, digest), rows selected on either chart)
AGREEMENT = "emb_cmp_agreement"  # (pair, Agreement)
LOADED = "emb_cmp_loaded"  # {(item id, updated at): SavedMap}, the last few read
KEEP_LOADED = 4
CURRENT = "__current__"
NO_DIGEST = (
    "This map was saved before maps kept a digest of their rows, so the maps of the same data "
    "cannot be found for it. Compute it again to compare it."
)
NO_OTHER = (
    "No other saved map shows the same rows. Map the same data with another model, other "
    "dimensions or another method, and it is listed here."
)


def compare_panel(
    store: SafeStore, workspace: str, current: SavedMap | None, *, current_id: str | None = None
) -> None:
    """The comparison expander (see the module's docstring); ``current`` is the map the page
    shows (None: only saved maps are offered), ``current_id`` its item in the store, left out of
    the choices."""
    panel = st.expander(
        "Compare with another map", icon=":material/compare:", key=PANEL, on_change="rerun"
    )
    if not panel.open:  # closed: nothing read or drawn (opening it reruns the page)
        return
    with panel:
        _compare(store, workspace, current, current_id)


def _load(store: SafeStore, workspace: str, summary: ItemSummary) -> SavedMap | None:
    """A saved map by its list entry, from the session's last few or the store."""
    loaded: dict[tuple[str, object], SavedMap] = st.session_state.setdefault(LOADED, {})
    key = (summary.id, summary.updated_at)
    if key not in loaded:
        item = store.read(lambda s: s.get_item(workspace, summary.id), None)
        if item is None or item.kind != KIND:
            return None
        try:
            loaded[key] = read_map(item.body)
        except ValueError:
            return None
        while len(loaded) > KEEP_LOADED:
            loaded.pop(next(iter(loaded)))
    return loaded[key]


def _agreement(pair: Hashable, left: SavedMap, right: SavedMap) -> Agreement:
    """The two maps' neighbour agreement, computed once per pair."""
    kept: tuple[Hashable, Agreement] | None = st.session_state.get(AGREEMENT)
    if kept is None or kept[0] != pair:
        with st.spinner("Comparing the neighbourhoods…"):
            kept = (pair, neighbour_agreement(left.coords, right.coords))
        st.session_state[AGREEMENT] = kept
    return kept[1]


def _picked(chart: str, pair: Hashable) -> None:
    """Callback of a chart's selection: its rows become the selection shown on both."""
    event = st.session_state.get(chart) or {}
    selection = event.get("selection") or {}
    st.session_state[ROWS] = (pair, selected_rows(selection.get("points") or []))


def _compare(
    store: SafeStore, workspace: str, current: SavedMap | None, current_id: str | None
) -> None:
    nothing: list[ItemSummary] = []
    items = [i for i in store.read(lambda s: s.list_items(workspace, KIND), nothing)]
    names = {CURRENT: "This map", **{i.id: i.title for i in items}}  # plain text (selectbox)
    choices = ([CURRENT] if current is not None else []) + [
        i.id for i in items if i.id != current_id
    ]
    if len(choices) < 2 and current is None:
        st.caption("Save two maps of the same data to compare them.")
        return
    first = st.selectbox("Left map", choices, format_func=names.__getitem__, key=f"{LEFT}_pick")
    by_id = {i.id: i for i in items}
    left = current if first == CURRENT else _load(store, workspace, by_id[first])
    if left is None:
        st.warning("That map could not be read.", icon=":material/warning:")
        return
    if not left.digest:
        st.caption(NO_DIGEST)
        return
    left_id = current_id if first == CURRENT else first
    same = store.read(lambda s: s.list_items(workspace, KIND, left.digest), nothing)
    others = [i for i in same if i.id != left_id]
    if not others:
        st.caption(NO_OTHER)
        return
    names.update({i.id: i.title for i in others})
    second = st.selectbox(
        "Right map", [i.id for i in others], format_func=names.__getitem__, key=f"{RIGHT}_pick"
    )
    right = _load(store, workspace, next(i for i in others if i.id == second))
    if right is None or not same_rows(left, right):
        st.warning("That map does not show the same rows.", icon=":material/warning:")
        return
    pair = (first, second, left.digest)  # what the selection belongs to
    measured = (pair, current_id if first == CURRENT else None)
    st.info(agreement_text(_agreement(measured, left, right)), icon=":material/compare:")
    kept: tuple[Hashable, list[int]] | None = st.session_state.get(ROWS)
    rows = kept[1] if kept is not None and kept[0] == pair else []
    columns = st.columns(2)
    for column, chart, saved, name in (
        (columns[0], LEFT, left, names[first]),
        (columns[1], RIGHT, right, names[second]),
    ):
        with column:
            st.markdown(f"**{plain(name)}**")
            st.caption(settings_line(saved))
            flat = saved.coords.shape[1] == 2
            st.plotly_chart(
                map_figure(saved, rows),
                width="stretch",
                key=chart,
                on_select=partial(_picked, chart, pair) if flat else "ignore",
                selection_mode=("points", "box", "lasso"),
            )
    st.caption(
        "Lasso or box-select points on either map: they are listed below and shown on both "
        "(double-click clears the selection; 3D views are rotated, not selected)."
    )
    if rows:
        texts = left.texts if left.texts is not None else right.texts
        titles = (f"left: {left.colour_title}", f"right: {right.colour_title}")
        frame = selection_frame(rows, texts, map_colours(left), map_colours(right), titles)
        st.markdown(f"**{len(frame):,} selected rows**")
        st.dataframe(frame, hide_index=True, width="stretch")
