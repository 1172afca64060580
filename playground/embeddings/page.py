"""Embeddings explorer: embed a dataset (or bring its vectors or map coordinates), map it with UMAP
or PCA, colour it by label or labelled clusters, select points, search it, and export everything.

The page reads top to bottom as it appears; each part is a widget module under ``widgets/``.
The map settings come before Embed, and Embed computes the map at once (a settings change
afterwards offers "Recompute the map"). Long work runs in the script with progress callbacks.
Cancel is Streamlit's own: clicking Cancel (or any widget) ends the run at the next progress
update; every finished batch is already in the on-disk cache, so Embed continues from there.
"""

from __future__ import annotations

import streamlit as st

from playground.embeddings.compute.projection import start_warm_up
from playground.embeddings.data.saved_map import GIVEN_COORDINATES
from playground.embeddings.widgets.cluster_labels import cluster_labels_panel
from playground.embeddings.widgets.colouring import colouring, named_colours
from playground.embeddings.widgets.compare import compare_panel
from playground.embeddings.widgets.dataset import (
    choose_dataset,
    dataset_source,
    describe_dataset,
)
from playground.embeddings.widgets.details import show_heatmap, show_selection
from playground.embeddings.widgets.embed import job_namespace
from playground.embeddings.widgets.export import export_buttons
from playground.embeddings.widgets.map_view import map_figure, show_map, show_notes
from playground.embeddings.widgets.prepare import embed_and_map
from playground.embeddings.widgets.saved_maps import (
    autosave_map,
    map_history,
    open_map_id,
    show_saved_map,
)
from playground.embeddings.widgets.search import SearchResult, search, show_neighbours
from playground.embeddings.widgets.stored_map import SHARED_MAP
from playground.shell.session import current_connection, require_client
from playground.shell.shared import show_shared
from playground.shell.workspace import workspace_id, workspace_store

st.title("Embeddings")
st.caption(
    "Embed a dataset (or bring its vectors), map it with UMAP or PCA, colour it by label or "
    "labelled clusters, search it."
)
store, workspace = workspace_store(), workspace_id()
show_shared(store, workspace, SHARED_MAP)  # ?share=: a read-only copy, then stop
client = require_client()
connection = current_connection()
start_warm_up()  # compiles UMAP in the background while the user picks data
with st.sidebar:
    map_history(store, workspace)
if show_saved_map(store, workspace):  # ?m=<id>: its chart from the store, nothing recomputed
    st.stop()

# --- data ----------------------------------------------------------------------------------------
dataset = choose_dataset()
if dataset is None:
    st.stop()
describe_dataset(dataset)

# --- embed and map -------------------------------------------------------------------------------
st.subheader("Embed and map", divider="gray")
prepared = embed_and_map(client, connection, dataset)
mapped, embedded = prepared.mapped, prepared.embedded
if mapped is None:
    st.stop()

# --- map -----------------------------------------------------------------------------------------
st.subheader("Map", divider="gray")
show_notes(mapped.projection)
vectors = embedded.vectors if embedded is not None else None
colour = colouring(dataset, vectors, mapped)
found = SearchResult()
if vectors is not None and prepared.model is not None:
    model, options = prepared.model, prepared.options
    namespace = job_namespace(client, connection, model, prepared.model_info, options)
    found = search(client, model, options, namespace, vectors)
map_slot = st.container()
coords = mapped.projection.coords
if colour.clusters is not None:
    with st.expander(f"Cluster labels ({len(colour.labels)}): keywords, or names by a model"):
        labels = cluster_labels_panel(
            client, connection, dataset.texts, coords, colour.clusters, colour.labels, colour.key
        )
    colour = named_colours(colour, labels)
saved_map = autosave_map(
    store,
    workspace,
    dataset=dataset,
    source=dataset_source(),
    model=embedded.model if embedded is not None else GIVEN_COORDINATES,
    namespace=embedded.namespace if embedded is not None else "",
    dimensions=prepared.options.dimensions,
    encoding=prepared.options.encoding_format,
    mapped=mapped,
    colour=colour,
    labels=colour.labels,
)
with map_slot:
    fig = map_figure(
        mapped,
        dataset.texts,
        colour.colours,
        colour_title=colour.title,
        colour_key=colour.key,
        found=found,
        labels=[(lab.name, colour.positions[lab.cluster]) for lab in colour.labels],
    )
    chosen = show_map(fig, three_d=coords.shape[1] == 3)
show_neighbours(dataset, found.neighbours)
names = {lab.cluster: lab.name for lab in colour.labels} if colour.clusters is not None else None
show_selection(dataset, colour.clusters, names, coords, chosen)
if vectors is not None:
    show_heatmap(dataset, vectors, colour.colours, colour.key)

# --- export --------------------------------------------------------------------------------------
st.subheader("Export", divider="gray")
export_buttons(dataset, colour.clusters, colour.labels, coords, vectors)

# --- compare (helper "maps" of issue 16: the current map beside a saved map of the same rows) -----
compare_panel(store, workspace, saved_map, current_id=open_map_id())
