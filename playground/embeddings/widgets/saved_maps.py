"""Embedding maps in the workspace store (Streamlit glue): each computed map is saved as the user
works (its colouring too) and named in the URL (``?m=<id>``); a session opened on such a URL shows
the saved map's chart at once, without embedding or projecting again.

The body (what is kept, and not: the vectors stay in the embeddings cache) is in
:mod:`playground.embeddings.data.saved_map`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from playground.embeddings.data.files import Dataset
from playground.embeddings.data.sample import load_sample_dataset
from playground.embeddings.data.saved_map import KIND, map_body, map_from_body, map_title
from playground.embeddings.figures import scatter_map
from playground.embeddings.widgets import plain
from playground.embeddings.widgets.embed import Embedded
from playground.embeddings.widgets.map_view import Colouring, MapState
from playground.store import SafeStore, Store, new_item_id

__all__ = ["QUERY", "autosave_map", "show_saved_map"]

QUERY = "m"
OPEN = "emb_map_id"  # the id of the session's current map in the store
SAVED = "emb_map_signature"  # what was last written for it


def _close() -> None:
    st.query_params.pop(QUERY, None)


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
        saved = map_from_body(item.body, load_sample_dataset())
    except ValueError as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        return False
    st.subheader(plain(item.title), divider="gray")
    settings = ", ".join(f"{k}={v}" for k, v in saved.settings.items() if v is not None)
    st.caption(
        plain(
            f"Saved map · {saved.model} · {settings} · saved {item.updated_at:%Y-%m-%d %H:%M} UTC"
        )
    )
    for note in saved.notes:
        st.caption(note)
    texts = saved.texts if saved.texts is not None else [""] * len(saved.coords)
    st.plotly_chart(
        scatter_map(saved.coords, texts, saved.colours, colour_title=saved.colour_title),
        width="stretch",
        key="emb_saved_map",
    )
    st.button(
        "Back to the explorer", on_click=_close, icon=":material/arrow_back:", key="emb_map_close"
    )
    return True


def autosave_map(
    store: SafeStore,
    workspace: str,
    *,
    dataset: Dataset,
    source: str,
    embedded: Embedded,
    dimensions: int | None,
    encoding: str | None,
    mapped: MapState,
    colour: Colouring,
) -> None:
    """Save the session's current map when it or its colouring changed; the URL names it.
    ``source`` is where the data comes from (``sample``, ``pasted``, ``uploaded``)."""
    state = st.session_state
    signature = (id(mapped), colour.title, hash(tuple(colour.colours)))
    previous = state.get(SAVED)
    if previous is not None and previous == signature:
        st.query_params[QUERY] = state[OPEN]
        return
    if previous is None or previous[0] != signature[0]:
        state[OPEN] = new_item_id()  # a new map: a new item (the older ones stay saved)
    map_id: str = state[OPEN]
    body = map_body(
        dataset=dataset,
        source=source,
        model=embedded.model,
        namespace=embedded.namespace,
        dimensions=dimensions,
        encoding=encoding,
        settings=mapped.settings,
        coords=mapped.projection.coords,
        colour_title=colour.title,
        clusters=colour.clusters,
    )
    title = map_title(embedded.model, mapped.settings, len(dataset), source)

    def write(s: Store, body: dict[str, Any] = body) -> None:
        s.put_item(workspace, map_id, KIND, title=title, body=body, text=embedded.model)

    store.write(f"map:{map_id}", write)
    state[SAVED] = signature
    st.query_params[QUERY] = map_id
