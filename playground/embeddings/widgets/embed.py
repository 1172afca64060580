"""The Embed panel: the model, the request options, the Embed and Cancel buttons with the job's
progress, and the summary of the embedded data; vectors that came with the data are taken as
they are (:func:`uploaded_embedded`).

Cancel is Streamlit's own: clicking Cancel (or any widget) ends the run at the next progress
update; every finished batch is already in the on-disk cache, so Embed continues from there.
The Cancel button lives in a placeholder that is emptied when the job ends (no stale Cancel).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from playground.core.connection import BACKEND_LOCAL, Connection
from playground.embeddings.compute.cache import (
    EmbeddingCache,
    Vectors,
    cached_count,
    connection_namespace,
)
from playground.embeddings.compute.jobs import (
    EmbeddingJobError,
    EmbeddingJobResult,
    EmbedOptions,
    JobProgress,
    client_embedder,
    dataset_digest,
    embed_texts,
    in_flight_for,
    progress_text,
    summary_text,
)
from playground.embeddings.data.files import Dataset
from playground.embeddings.widgets import plain
from playground.embeddings.widgets.map_view import forget_map
from playground.shell.cache import session_cached
from playground.shell.session import deployment_policy, use_local_backend
from xai_core import EmbeddingModel, NotFoundError, PermissionDeniedError, XaiClient, XaiError

__all__ = [
    "UPLOADED_MODEL",
    "Embedded",
    "JobKey",
    "embed_options",
    "embedded_result",
    "job_namespace",
    "keep_embedded",
    "map_uploaded_vectors",
    "pick_model",
    "run_embedding",
    "show_summary",
    "uploaded_embedded",
    "uploaded_key",
]

RESULT, RUNNING, DIGEST = "emb_result", "emb_running", "emb_digest"
UPLOADED_MODEL = "uploaded vectors"  # the "model" of vectors that came with the data
#: (digest of the dataset, cache namespace): the same data, model, options and key.
JobKey = tuple[str, str]


@dataclass(frozen=True)
class Embedded:
    """A finished job kept in the session: its key, model, data and vectors (input order)."""

    key: JobKey
    model: str
    dataset: Dataset
    vectors: Vectors
    summary: EmbeddingJobResult
    source: str = ""  # where vectors that came with the data were read (else "")

    @property
    def namespace(self) -> str:
        """The cache (vector space) the vectors came from: a query is embedded in the same one."""
        return self.key[1]


def embedding_models(
    client: XaiClient, connection: Connection
) -> tuple[list[EmbeddingModel], str | None]:
    """The server's embedding models (asked once per connection) and why there are none."""

    def fetch() -> tuple[list[EmbeddingModel], str | None]:
        try:
            return client.list_embedding_models(), None
        except (NotFoundError, PermissionDeniedError) as exc:
            return [], f"The server does not list embedding models for this key ({exc})."
        except XaiError as exc:
            return [], f"The embedding models could not be listed: {exc}"

    return session_cached("emb_models", connection.cache_key, fetch)


def pick_model(
    client: XaiClient, connection: Connection
) -> tuple[str | None, EmbeddingModel | None]:
    """The embedding model picker; with no listed models, a typed id (and, where the deployment
    allows it, a switch to the local backend). Returns the id (``None``: none yet) and its info."""
    models, problem = embedding_models(client, connection)
    if not models:
        st.warning(
            plain(problem or "This server lists no embedding models."), icon=":material/info:"
        )
        local_allowed = BACKEND_LOCAL in deployment_policy().allowed
        if connection.backend != BACKEND_LOCAL and local_allowed:
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


def embed_options() -> EmbedOptions:
    """The dimensions and encoding_format inputs."""
    c1, c2 = st.columns(2)
    dimensions = c1.number_input(
        "dimensions (empty: the model's own)", min_value=1, value=None, step=1, key="emb_dimensions"
    )
    encoding = c2.selectbox("encoding_format", ["base64", "float"], key="emb_encoding")
    return EmbedOptions(int(dimensions) if dimensions else None, encoding)


def job_namespace(
    client: XaiClient,
    connection: Connection,
    model: str,
    info: EmbeddingModel | None,
    options: EmbedOptions,
) -> str:
    """The cache namespace (vector space) of ``model`` with ``options`` on this connection."""
    return connection_namespace(
        connection,
        client.base_url,
        model,
        dimensions=options.dimensions,
        encoding=options.encoding_format,
        fingerprint=(info.fingerprint or info.version) if info else None,
    )


def digest_of(dataset: Dataset) -> str:
    """:func:`dataset_digest` of ``dataset``, computed once per dataset object (a rerun does
    not hash 1,000,000 texts again)."""
    cached: tuple[Dataset, str] | None = st.session_state.get(DIGEST)
    if cached is None or cached[0] is not dataset:
        cached = (dataset, dataset_digest(dataset))
        st.session_state[DIGEST] = cached
    return cached[1]


def uploaded_key(dataset: Dataset, vectors: Vectors) -> JobKey:
    """The job key of the vectors that came with ``dataset``."""
    return (digest_of(dataset), f"uploaded:{vectors.shape[1]}")


def uploaded_embedded(dataset: Dataset, vectors: Vectors, source: str) -> Embedded:
    """The vectors that came with ``dataset`` as a finished job: nothing embedded, no cost."""
    summary = EmbeddingJobResult(vectors, len(vectors), 0, 0, 0, 0, 0.0)
    return Embedded(
        uploaded_key(dataset, vectors), UPLOADED_MODEL, dataset, vectors, summary, source
    )


def map_uploaded_vectors(dataset: Dataset, vectors: Vectors, source: str) -> Embedded | None:
    """The "Map the uploaded vectors" button; the vectors as the session's embedded data (built
    once per dataset), and that again when the button was clicked on this run (map it now)."""
    embedded = uploaded_embedded(dataset, vectors, source)
    current: Embedded | None = st.session_state.get(RESULT)
    if current is None or current.key != embedded.key:
        keep_embedded(embedded)
    clicked = st.button(
        f"Map {len(vectors):,} uploaded vectors",
        type="primary",
        key="emb_map_vectors",
        icon=":material/scatter_plot:",
    )
    return embedded if clicked else None


def keep_embedded(embedded: Embedded) -> None:
    """Keep ``embedded`` as the session's embedded data (its earlier map is dropped)."""
    st.session_state[RESULT] = embedded
    forget_map()


def run_embedding(
    client: XaiClient,
    connection: Connection,
    dataset: Dataset,
    model: str,
    info: EmbeddingModel | None,
    options: EmbedOptions,
) -> tuple[JobKey, bool]:
    """The Embed and Cancel buttons, the job with its progress; returns the job's key and
    whether the job finished on this run (then the map is computed at once)."""
    namespace = job_namespace(client, connection, model, info, options)
    job_key = (digest_of(dataset), namespace)
    cache = EmbeddingCache()
    state = st.session_state
    left, right = st.columns([3, 1])
    clicked = left.button(
        f"Embed {len(dataset):,} texts and map them",
        type="primary",
        key="emb_embed",
        icon=":material/bolt:",
    )
    if clicked:
        cancel = right.empty()
        cancel.button("Cancel", key="emb_cancel", icon=":material/stop:")  # a click ends the run
        state[RUNNING] = job_key
        bar = st.progress(0.0, text="Starting…")

        def show(p: JobProgress) -> None:
            bar.progress(p.done / max(p.total, 1), text=progress_text(p))

        try:
            result = embed_texts(
                dataset.texts,
                client_embedder(client, model, options.dimensions, options.encoding_format),
                cache,
                namespace,
                max_in_flight=in_flight_for(connection.backend),
                prices=info.prices if info else None,
                on_progress=show,
            )
        except (XaiError, EmbeddingJobError) as exc:
            state.pop(RUNNING, None)
            cancel.empty()
            st.error(plain(f"Embedding stopped: {exc}"), icon=":material/error:")
            st.caption("Finished batches are cached: Embed again to continue from there.")
            return job_key, False
        state.pop(RUNNING, None)
        cancel.empty()
        bar.empty()
        assert result.vectors is not None  # no should_cancel: a finished job has its vectors
        keep_embedded(Embedded(job_key, model, dataset, result.vectors, result))
        return job_key, True
    if state.get(RUNNING) == job_key:
        state.pop(RUNNING)
        done, distinct = cached_count(cache, namespace, dataset.texts)
        st.info(
            f"Embedding was cancelled after {done:,} of {distinct:,} distinct "
            "texts. They are cached: Embed again to continue from there.",
            icon=":material/pause:",
        )
    return job_key, False


def embedded_result(job_key: JobKey) -> Embedded | None:
    """The session's embedded data when it belongs to ``job_key`` (else ``None``)."""
    embedded: Embedded | None = st.session_state.get(RESULT)
    return embedded if embedded is not None and embedded.key == job_key else None


def show_summary(embedded: Embedded) -> None:
    """A caption: counts, tokens, cost and time of the job (for vectors that came with the
    data: where they were read, nothing embedded)."""
    if embedded.model == UPLOADED_MODEL:
        rows = len(embedded.vectors)
        st.caption(
            plain(f"{rows:,} uploaded vectors, {embedded.source}: ") + "nothing embedded, no cost."
        )
        return
    st.caption(summary_text(embedded.summary, plain(embedded.model)))
