"""Embeddings explorer: embed a dataset, map it with UMAP or PCA, colour it by label or cluster,
select points, search it, and export everything.

The page reads top to bottom as it appears; each part is a widget module under ``widgets/``.
Long work runs in the script with progress callbacks. Cancel is Streamlit's own: clicking Cancel
(or any widget) ends the run at the next progress update; every finished batch is already in the
on-disk cache, so Embed continues from there. This keeps no thread alive after the session and
shares no state between threads (see the report of issue 6 for the trade-off).
"""

from __future__ import annotations

import streamlit as st

from playground.embeddings.compute.projection import start_warm_up
from playground.embeddings.widgets.compare import compare_panel
from playground.embeddings.widgets.dataset import (
    choose_dataset,
    dataset_source,
    describe_dataset,
)
from playground.embeddings.widgets.embed import (
    embed_options,
    embedded_result,
    pick_model,
    run_embedding,
    show_summary,
)
from playground.embeddings.widgets.export import export_buttons
from playground.embeddings.widgets.map_view import (
    colouring,
    compute_projection,
    current_map,
    projection_form,
    show_heatmap,
    show_map,
    show_notes,
    show_selection,
    warm_up_note,
)
from playground.embeddings.widgets.saved_maps import (
    autosave_map,
    map_history,
    open_map_id,
    show_saved_map,
)
from playground.embeddings.widgets.search import search, show_neighbours
from playground.embeddings.widgets.stored_map import SHARED_MAP
from playground.shell.session import current_connection, require_client
from playground.shell.shared import show_shared
from playground.shell.workspace import workspace_id, workspace_store

st.title("Embeddings")
st.caption("Embed a dataset, map it with UMAP or PCA, colour it by label or cluster, search it.")
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

# --- embed ---------------------------------------------------------------------------------------
st.subheader("Embed", divider="gray")
model, model_info = pick_model(client, connection)
options = embed_options()
if model is None:
    st.stop()
job_key = run_embedding(client, connection, dataset, model, model_info, options)
embedded = embedded_result(job_key)
if embedded is None:
    st.stop()
show_summary(embedded)

# --- map -----------------------------------------------------------------------------------------
st.subheader("Map", divider="gray")
warm_up_note()
settings = projection_form(len(embedded.vectors))
if settings is not None:
    compute_projection(embedded.vectors, settings, job_key)
mapped = current_map(job_key)
if mapped is None:
    st.stop()
show_notes(mapped.projection)
colour = colouring(dataset, embedded.vectors, mapped)
saved_map = autosave_map(
    store,
    workspace,
    dataset=dataset,
    source=dataset_source(),
    embedded=embedded,
    dimensions=options.dimensions,
    encoding=options.encoding_format,
    mapped=mapped,
    colour=colour,
)
found = search(client, embedded.model, options, embedded.namespace, embedded.vectors)
chosen = show_map(dataset, mapped.projection, colour, found)
show_neighbours(dataset, found.neighbours)
show_selection(dataset, colour.clusters, mapped.projection, chosen)
show_heatmap(dataset, embedded.vectors)

# --- export --------------------------------------------------------------------------------------
st.subheader("Export", divider="gray")
export_buttons(dataset, colour.clusters, mapped.projection, embedded.vectors)

# --- compare (helper "maps" of issue 16: the current map beside a saved map of the same rows) -----
compare_panel(store, workspace, saved_map, current_id=open_map_id())
