"""Embedding maps in the workspace store (Streamlit glue): each computed map is saved as the user
works (its colouring and cluster labels too) and named in the URL (``?m=<id>``); a session opened
on such a URL (or the history panel) shows the saved map's chart at once, with its labels, without
embedding or projecting again, and "Compare with another map" under it
(:mod:`playground.embeddings.widgets.compare`); a share link (``?share=<token>``) shows a
read-only copy that can be forked (:mod:`playground.embeddings.widgets.stored_map`).

The body (what is kept, and not: the vectors stay in the embeddings cache) is in
:mod:`playground.embeddings.data.saved_map`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from playground.embeddings.compute.compare import rows_digest
from playground.embeddings.compute.projection import PRECOMPUTED
from playground.embeddings.data.files import Dataset
from playground.embeddings.data.saved_map import (
    KIND,
    GivenSettings,
    SavedMap,
    build_map,
    label_records,
    map_body,
    map_title,
    search_text,
)
from playground.embeddings.widgets import plain
from playground.embeddings.widgets.compare import compare_panel
from playground.embeddings.widgets.map_view import Colouring, MapState
from playground.embeddings.widgets.stored_map import MAP_PARAM, draw_map, read_map
from playground.shell.history import history_panel
from playground.store import SafeStore, Store, new_item_id

__all__ = ["QUERY", "autosave_map", "map_history", "open_map_id", "show_saved_map"]

QUERY = MAP_PARAM
OPEN = "emb_map_id"  # the id of the session's current map in the store
CURRENT = "emb_map_current"  # (signature, SavedMap): what was last written for it


def _close() -> None:
    st.query_params.pop(QUERY, None)


def _open_map(map_id: str) -> None:
    """Callback of the history list (and Duplicate): show that map (``?m=``)."""
    st.query_params[QUERY] = map_id


def _new_map() -> None:
    """Callback of "New map" (and of deleting the open one): back to the explorer, whose map is
    no longer the open item (a change to it is saved as a new map)."""
    _close()
    st.session_state[OPEN] = None


def map_history(store: SafeStore, workspace: str) -> None:
    """The "New map" button and the History expander of this workspace's maps; picking one
    shows it (``?m=``)."""
    history_panel(
        store,
        workspace,
        KIND,
        current=st.query_params.get(QUERY) or st.session_state.get(OPEN),
        on_open=_open_map,
        on_new=_new_map,
        key="emb_history",
        new_label="New map",
    )


def show_saved_map(store: SafeStore, workspace: str) -> bool:
    """When the URL names a map this session is not showing, draw it from the store (with a
    "Back to the explorer" button) and return True; a map not in this workspace: a plain
    "not found" and False."""
    wanted = st.query_params.get(QUERY)
    if not wanted or wanted == st.session_state.get(OPEN):
        return False
    item = store.read(lambda s: s.get_item(workspace, wanted), None)
    if item is None or item.kind != KIND:
        st.info("That map was not found in this workspace.", icon=":material/info:")
        _close()
        return False
    try:
        saved = read_map(item.body)
    except ValueError as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        return False
    st.subheader(plain(item.title), divider="gray")
    st.caption(f"Saved map · saved {item.updated_at:%Y-%m-%d %H:%M} UTC")
    draw_map(saved)
    st.button(
        "Back to the explorer", on_click=_close, icon=":material/arrow_back:", key="emb_map_close"
    )
    compare_panel(store, workspace, saved, current_id=wanted)
    return True


def open_map_id() -> str | None:
    """The store id of the map the explorer shows (None before it is saved, or after "New
    map")."""
    value = st.session_state.get(OPEN)
    return value if isinstance(value, str) else None


def autosave_map(
    store: SafeStore,
    workspace: str,
    *,
    dataset: Dataset,
    source: str,
    model: str,
    namespace: str,
    dimensions: int | None,
    encoding: str | None,
    mapped: MapState,
    colour: Colouring,
    labels: Sequence[Any] | None = None,
) -> SavedMap:
    """Save the session's current map when it, its colouring or its cluster ``labels`` (a list
    of ``ClusterLabel``) changed; the URL names it. ``source`` is where the data comes from
    (``sample``, ``pasted``, ``uploaded``); ``model`` and ``namespace`` name the vectors the map
    was computed from (for coordinates that came with the data: ``GIVEN_COORDINATES`` and "").
    Returns the map as saved (for a comparison).

    The body is built and written by the store's writer thread: the page run only computes the
    dataset's digest, once per new map."""
    state = st.session_state
    label_key = hash(repr(label_records(labels or [])))
    signature = (id(mapped), colour.title, hash(tuple(colour.colours)), label_key)
    kept: tuple[tuple[Any, ...], SavedMap] | None = state.get(CURRENT)
    previous = None if kept is None else kept[0]
    if kept is not None and previous == signature:
        if state.get(OPEN):  # not after "New map": then the explorer's map is not named
            st.query_params[QUERY] = state[OPEN]
        return kept[1]
    if previous is None or previous[0] != signature[0] or not state.get(OPEN):
        state[OPEN] = new_item_id()  # a new map: a new item (the older ones stay saved)
    map_id: str = state[OPEN]
    same_data = (  # the same Dataset's lists: the digest holds (it takes 0.1 s at 100,000 rows)
        kept is not None and kept[1].texts is dataset.texts and kept[1].labels is dataset.labels
    )
    digest = kept[1].digest if kept is not None and same_data else ""
    given = mapped.projection.method == PRECOMPUTED
    settings = GivenSettings(n_components=mapped.projection.coords.shape[1]) if given else None
    saved = build_map(
        dataset=dataset,
        source=source,
        model=model,
        namespace=namespace,
        dimensions=dimensions,
        encoding=encoding,
        settings=settings or mapped.settings,
        coords=mapped.projection.coords,
        colour_title=colour.title,
        clusters=colour.clusters,
        labels=labels or [],
        digest=digest or rows_digest(dataset),
        colours=colour.colours if isinstance(colour.colours, list) else list(colour.colours),
    )
    title = map_title(model, settings or mapped.settings, len(dataset), source)

    def write(s: Store, saved: SavedMap = saved) -> None:
        stored = s.get_item(workspace, map_id)  # a title the user gave stays
        named = title if stored is None else stored.title
        s.put_item(
            workspace, map_id, KIND, title=named, body=map_body(saved), text=search_text(saved)
        )

    store.write(f"map:{map_id}", write)
    state[CURRENT] = (signature, saved)
    st.query_params[QUERY] = map_id
    return saved
