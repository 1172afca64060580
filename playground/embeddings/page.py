"""Embeddings explorer: embed a dataset, map it with UMAP or PCA, colour it by label or cluster,
select points, search it, and export everything.

Long work runs in the script with progress callbacks. Cancel is Streamlit's own: clicking Cancel
(or any widget) ends the run at the next progress update; every finished batch is already in the
on-disk cache, so Embed continues from there. This keeps no thread alive after the session and
shares no state between threads (see the report of issue 6 for the trade-off).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import numpy as np
import streamlit as st

from playground.core.connection import BACKEND_LOCAL, key_fingerprint
from playground.embeddings.compute.clusters import hdbscan_clusters, kmeans_clusters
from playground.embeddings.compute.jobs import (
    EmbeddingCache,
    EmbeddingJobError,
    JobProgress,
    cache_namespace,
    client_embedder,
    embed_texts,
    text_hash,
)
from playground.embeddings.compute.neighbours import cosine_similarity_matrix, cosine_top_k
from playground.embeddings.compute.projection import (
    ProjectionError,
    ProjectionSettings,
    project,
    start_warm_up,
    warm_up_state,
)
from playground.embeddings.data.export import export_frame, to_csv_bytes, to_parquet_bytes
from playground.embeddings.data.files import (
    Dataset,
    DatasetError,
    dataset_from_frame,
    dataset_from_lines,
    guess_text_column,
    read_table,
    text_columns,
)
from playground.embeddings.data.sample import load_sample_dataset
from playground.embeddings.figures import scatter_map, selected_rows, similarity_heatmap
from playground.shell.session import current_connection, deployment_policy, require_client
from xai_core import EmbeddingModel, NotFoundError, PermissionDeniedError, XaiClient, XaiError

LAST_DATASET = "emb_last_dataset"  # the last good dataset, kept through a bad paste or file
RESULT, RUNNING, PROJECTION, CLUSTERS, QUERIES = (
    "emb_result",
    "emb_running",
    "emb_projection",
    "emb_clusters",
    "emb_queries",
)
HEATMAP_MAX_ROWS = 200
LOCAL_IN_FLIGHT, REMOTE_IN_FLIGHT = 1, 4  # the local model already uses every core
state = st.session_state


def embeddings_namespace(client: XaiClient, model: str, dimensions: int | None) -> str:
    """The on-disk cache this session may read: per server, model and dimensions, and per API key
    on shared servers (the local backend's key changes at every start; its cache is this machine's
    own)."""
    connection = current_connection()
    digest = "" if connection.backend == BACKEND_LOCAL else key_fingerprint(connection.api_key)
    return cache_namespace(client.base_url, model, dimensions, digest)


def plain(text: str) -> str:
    """Text from files or servers shown literally in Streamlit's markdown (no links, no markup)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


@st.cache_data(show_spinner=False, max_entries=4)
def parse_upload(name: str, data: bytes) -> Any:
    return read_table(name, data)


@st.cache_data(show_spinner=False)
def sample() -> Dataset:
    return load_sample_dataset()


def choose_dataset() -> Dataset | None:
    """The data-in panel: sample, paste or upload; errors shown, never raised.

    A bad paste or file loses nothing: the last good dataset (and its map) stays in use."""
    try:
        dataset = read_dataset()
    except DatasetError as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        previous: Dataset | None = state.get(LAST_DATASET)
        if previous is not None:
            st.caption(f"Still showing the previous data ({len(previous):,} texts).")
        return previous
    if dataset is not None:
        state[LAST_DATASET] = dataset
    return dataset


def read_dataset() -> Dataset | None:
    """The dataset the data-in panel describes (``None`` until there is one)."""
    source = st.radio(
        "Data",
        ["Sample dataset", "Paste lines", "Upload a file"],
        horizontal=True,
        key="emb_source",
    )
    if source == "Sample dataset":
        st.caption("280 short texts written for this playground: 7 topics × 40, labelled.")
        return sample()
    if source == "Paste lines":
        pasted = st.text_area("One text per line", key="emb_paste", height=150)
        if not pasted.strip():
            st.caption("The list is empty: paste at least one text, one per line.")
            return None
        return dataset_from_lines(pasted)
    upload = st.file_uploader(
        "CSV, TSV, JSONL or Parquet (up to 50,000 rows)",
        type=["csv", "tsv", "jsonl", "ndjson", "parquet"],
        key="emb_upload",
    )
    if upload is None:
        return None
    frame = parse_upload(upload.name, upload.getvalue())
    columns = text_columns(frame)
    guess = guess_text_column(frame)
    left, right = st.columns(2)
    text_column = left.selectbox(
        "Text column", columns, index=columns.index(guess), key="emb_text_col"
    )
    others = [str(c) for c in frame.columns if str(c) != text_column]
    label_column = right.selectbox("Label column (optional)", [None, *others], key="emb_label_col")
    return dataset_from_frame(frame, text_column, label_column)


def embedding_models(client: XaiClient) -> tuple[list[EmbeddingModel], str | None]:
    """The server's embedding models (asked once per connection) and why there are none."""
    key = ("emb_models", current_connection().cache_key)
    if key not in state:
        try:
            state[key] = (client.list_embedding_models(), None)
        except (NotFoundError, PermissionDeniedError) as exc:
            state[key] = ([], f"The server does not list embedding models for this key ({exc}).")
        except XaiError as exc:
            state[key] = ([], f"The embedding models could not be listed: {exc}")
    models: tuple[list[EmbeddingModel], str | None] = state[key]
    return models


def use_local_backend() -> None:
    state["backend"] = BACKEND_LOCAL


def pick_model(client: XaiClient) -> tuple[str | None, EmbeddingModel | None]:
    models, problem = embedding_models(client)
    if not models:
        st.warning(
            plain(problem or "This server lists no embedding models."), icon=":material/info:"
        )
        local_allowed = BACKEND_LOCAL in deployment_policy().allowed
        if current_connection().backend != BACKEND_LOCAL and local_allowed:
            st.button(
                "Use the local backend (MiniLM, offline, no key)",
                on_click=use_local_backend,
                icon=":material/computer:",
                key="emb_use_local",
            )
        typed = st.text_input("…or type an embedding model id to try", key="emb_model_typed")
        return (typed.strip() or None), None
    ids = [m.id for m in models]
    chosen = st.selectbox("Embedding model", ids, key="emb_model")
    return chosen, next((m for m in models if m.id == chosen), None)


def dataset_digest(dataset: Dataset) -> str:
    digest = hashlib.sha256()
    for text in dataset.texts:
        digest.update(text_hash(text).encode())
    for label in dataset.labels or []:
        digest.update(label.encode() + b"\0")
    return digest.hexdigest()[:24]


def progress_text(p: JobProgress) -> str:
    eta = p.eta_seconds
    left = f" · about {eta:,.0f} s left" if eta is not None else ""
    cached = f" · {p.from_cache:,} from cache" if p.from_cache else ""
    return f"{p.done:,} / {p.total:,} distinct texts{cached}{left}"


def run_embedding(
    client: XaiClient,
    dataset: Dataset,
    model: str,
    info: EmbeddingModel | None,
    options: dict[str, Any],
) -> tuple[str, str]:
    """The Embed and Cancel buttons, the job with its progress; returns the job's key."""
    connection = current_connection()
    namespace = embeddings_namespace(client, model, options["dimensions"])
    job_key = (dataset_digest(dataset), namespace)
    cache = EmbeddingCache()
    left, right = st.columns([3, 1])
    clicked = left.button(
        f"Embed {len(dataset):,} texts", type="primary", key="emb_embed", icon=":material/bolt:"
    )
    if clicked:
        right.button("Cancel", key="emb_cancel", icon=":material/stop:")  # a click ends this run
        state[RUNNING] = job_key
        bar = st.progress(0.0, text="Starting…")

        def show(p: JobProgress) -> None:
            bar.progress(p.done / max(p.total, 1), text=progress_text(p))

        try:
            result = embed_texts(
                dataset.texts,
                client_embedder(client, model, options["dimensions"], options["encoding_format"]),
                cache,
                namespace,
                max_in_flight=LOCAL_IN_FLIGHT
                if connection.backend == BACKEND_LOCAL
                else REMOTE_IN_FLIGHT,
                prices=info.prices if info else None,
                on_progress=show,
            )
        except (XaiError, EmbeddingJobError) as exc:
            state.pop(RUNNING, None)
            st.error(
                plain(f"Embedding stopped: {exc}"),
                icon=":material/error:",
            )
            st.caption("Finished batches are cached: Embed again to continue from there.")
            return job_key
        state.pop(RUNNING, None)
        bar.empty()
        state[RESULT] = {
            "key": job_key,
            "model": model,
            "dataset": dataset,
            "vectors": result.vectors,
            "summary": result,
        }
        for stale in (PROJECTION, CLUSTERS):
            state.pop(stale, None)
    elif state.get(RUNNING) == job_key:
        state.pop(RUNNING)
        done = len(cache.get_many(namespace, [text_hash(t) for t in set(dataset.texts)]))
        st.info(
            f"Embedding was cancelled after {done:,} of {len(set(dataset.texts)):,} distinct "
            "texts. They are cached: Embed again to continue from there.",
            icon=":material/pause:",
        )
    return job_key


def show_summary(summary: Any, model: str) -> None:
    cost = summary.cost_usd
    cost_text = "cost unknown (no price listed)" if cost is None else f"${cost:,.6f}"
    st.caption(
        f"{summary.total:,} distinct texts with {plain(model)}: {summary.embedded:,} embedded, "
        f"{summary.from_cache:,} from the on-disk cache · {summary.tokens:,} tokens · "
        f"{cost_text} · {summary.seconds:,.1f} s"
    )


def projection_form(n_rows: int) -> ProjectionSettings | None:
    with st.form("emb_projection_form", border=True):
        c1, c2, c3, c4, c5 = st.columns(5)
        method = c1.radio("Method", ["UMAP", "PCA"], key="emb_method", horizontal=True)
        dims = c2.radio("View", ["2D", "3D"], key="emb_view", horizontal=True)
        neighbours = c3.slider("n_neighbors", 2, 100, 15, key="emb_n_neighbors")
        min_dist = c4.slider("min_dist", 0.0, 0.99, 0.1, 0.01, key="emb_min_dist")
        metric = c5.radio("metric", ["cosine", "euclidean"], key="emb_metric", horizontal=True)
        submitted = st.form_submit_button(f"Compute the map of {n_rows:,} points", type="primary")
    if not submitted:
        return None
    return ProjectionSettings(
        method="umap" if method == "UMAP" else "pca",
        n_components=3 if dims == "3D" else 2,
        n_neighbors=int(neighbours),
        min_dist=float(min_dist),
        metric="cosine" if metric == "cosine" else "euclidean",
    )


def compute_projection(
    vectors: np.ndarray[Any, Any], settings: ProjectionSettings, key: Any
) -> None:
    with st.status(f"Computing the {settings.method.upper()} map…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")
        try:
            projection = project(vectors, settings, lambda f, m: bar.progress(f, text=m))
        except ProjectionError as exc:
            status.update(label="The map could not be computed", state="error")
            st.error(str(exc))
            return
        status.update(
            label=f"{projection.method.upper()} map ready", state="complete", expanded=False
        )
    state[PROJECTION] = {"key": key, "settings": settings, "projection": projection}
    state.pop(CLUSTERS, None)


def colouring(
    dataset: Dataset, vectors: np.ndarray[Any, Any], coords: np.ndarray[Any, Any], data_key: Any
) -> tuple[str, list[str]]:
    """The colour of each point: its label, or its k-means / HDBSCAN cluster (kept per data)."""
    options = (["label"] if dataset.labels else []) + ["k-means clusters", "HDBSCAN clusters"]
    c1, c2 = st.columns([2, 1])
    choice = c1.radio("Colour by", options, key="emb_colour", horizontal=True)
    if choice == "label" and dataset.labels:
        return "label", list(dataset.labels)
    if choice == "k-means clusters":
        k = int(c2.number_input("k", 2, 50, 7, key="emb_k"))
        key = ("kmeans", k, data_key)
    else:
        size = int(c2.number_input("min_cluster_size", 2, 500, 10, key="emb_min_cluster"))
        key = ("hdbscan", size, data_key, projected["settings"])
    cached = state.get(CLUSTERS)
    if cached is None or cached[0] != key:
        with st.spinner("Clustering…"):
            labels = (
                kmeans_clusters(vectors, key[1])
                if key[0] == "kmeans"
                else hdbscan_clusters(coords, key[1])
            )
        state[CLUSTERS] = (key, labels)
    labels = state[CLUSTERS][1]
    return "cluster", [str(v) for v in labels]


def search(
    client: XaiClient, model: str, options: dict[str, Any], vectors: np.ndarray[Any, Any]
) -> tuple[str, np.ndarray[Any, Any] | None, list[Any]]:
    c1, c2 = st.columns([4, 1])
    query = c1.text_input(
        "Search the map", key="emb_query", placeholder="e.g. a recipe with garlic"
    )
    top_k = int(c2.number_input("neighbours", 1, 100, 10, key="emb_top_k"))
    if not query.strip():
        return "", None, []
    namespace = embeddings_namespace(client, model, options["dimensions"])
    try:
        result = embed_texts(
            [query],
            client_embedder(client, model, options["dimensions"], options["encoding_format"]),
            EmbeddingCache(),
            namespace,
        )
    except XaiError as exc:
        st.error(plain(f"The query could not be embedded: {exc}"))
        return query, None, []
    assert result.vectors is not None
    try:
        neighbours = cosine_top_k(vectors, result.vectors[0], top_k)
    except ValueError as exc:
        st.error(str(exc))
        return query, None, []
    return query, result.vectors[0], neighbours


# --- the page ------------------------------------------------------------------------------------

st.title("Embeddings")
st.caption("Embed a dataset, map it with UMAP or PCA, colour it by label or cluster, search it.")
client = require_client()
start_warm_up()  # compiles UMAP in the background while the user picks data

dataset = choose_dataset()
if dataset is None:
    st.stop()
labels_note = " with labels" if dataset.labels else ""
st.caption(f"{len(dataset):,} texts{labels_note}. " + " ".join(plain(n) for n in dataset.notes))

st.subheader("Embed", divider="gray")
model, model_info = pick_model(client)
c1, c2 = st.columns(2)
dimensions = c1.number_input(
    "dimensions (empty: the model's own)", min_value=1, value=None, step=1, key="emb_dimensions"
)
encoding = c2.selectbox("encoding_format", ["base64", "float"], key="emb_encoding")
options = {"dimensions": int(dimensions) if dimensions else None, "encoding_format": encoding}
if model is None:
    st.stop()
job_key = run_embedding(client, dataset, model, model_info, options)

result = state.get(RESULT)
if result is None or result["key"] != job_key:
    st.stop()
vectors = result["vectors"]
show_summary(result["summary"], result["model"])

st.subheader("Map", divider="gray")
warm = warm_up_state()
if warm == "running":
    st.caption("UMAP is compiling in the background (once; the compiled code is cached on disk).")
settings = projection_form(len(vectors))
if settings is not None:
    compute_projection(vectors, settings, result["key"])
projected = state.get(PROJECTION)
if projected is None or projected["key"] != result["key"]:
    st.stop()
projection = projected["projection"]
for note in projection.notes:
    st.info(note, icon=":material/info:")

colour_title, colours = colouring(dataset, vectors, projection.coords, result["key"])
query, query_vector, neighbours = search(client, result["model"], options, vectors)
fig = scatter_map(
    projection.coords,
    dataset.texts,
    colours,
    colour_title=colour_title,
    highlight=[n.row for n in neighbours],
    query=projection.place(query_vector[None, :]) if query_vector is not None else None,
    query_text=query,
)
three_d = projection.coords.shape[1] == 3
event = st.plotly_chart(
    fig,
    width="stretch",
    key="emb_map",
    on_select="ignore" if three_d else "rerun",
    selection_mode=("points", "box", "lasso"),
)
st.caption(
    "Rotate the 3D view by dragging; select points on the 2D view."
    if three_d
    else "Lasso or box-select points to list them below (double-click clears the selection)."
)

if neighbours:
    st.markdown("**Nearest neighbours** (cosine similarity)")
    rows = [n.row for n in neighbours]
    table = export_frame(dataset.texts, labels=dataset.labels, rows=rows)
    table.insert(1, "score", [round(n.score, 4) for n in neighbours])
    st.dataframe(table, hide_index=True, width="stretch", key="emb_neighbours_table")

clusters = state[CLUSTERS][1] if colour_title == "cluster" and state.get(CLUSTERS) else None
points = event.selection.points if not three_d and event and event.selection else []
chosen = selected_rows(points)
if chosen:
    st.markdown(f"**{len(chosen):,} selected rows**")
    selection = export_frame(
        dataset.texts,
        labels=dataset.labels,
        clusters=clusters,
        coords=projection.coords,
        rows=chosen,
    )
    st.dataframe(selection, hide_index=True, width="stretch")
    st.download_button(
        "Download the selection (CSV)",
        data=to_csv_bytes(selection),
        file_name="selection.csv",
        mime="text/csv",
        key="emb_download_selection",
    )

if len(vectors) <= HEATMAP_MAX_ROWS:
    with st.expander(f"Similarity heatmap ({len(vectors)} × {len(vectors)})"):
        st.plotly_chart(
            similarity_heatmap(cosine_similarity_matrix(vectors), dataset.texts),
            width="stretch",
            key="emb_heatmap",
        )
else:
    st.caption(f"The similarity heatmap is drawn for up to {HEATMAP_MAX_ROWS} rows.")

st.subheader("Export", divider="gray")


def full_export() -> Any:
    return export_frame(
        dataset.texts,
        labels=dataset.labels,
        clusters=clusters,
        coords=projection.coords,
        vectors=vectors,
    )


e1, e2 = st.columns(2)
e1.download_button(
    "All rows as CSV",
    data=lambda: to_csv_bytes(full_export()),
    file_name="embeddings.csv",
    mime="text/csv",
    key="emb_export_csv",
)
e2.download_button(
    "All rows as Parquet",
    data=lambda: to_parquet_bytes(full_export()),
    file_name="embeddings.parquet",
    mime="application/octet-stream",
    key="emb_export_parquet",
)
