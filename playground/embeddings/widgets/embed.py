"""The Embed panel: the model, the request options, the Embed and Cancel buttons with the job's
progress, and the summary of the embedded data.

Cancel is Streamlit's own: clicking Cancel (or any widget) ends the run at the next progress
update; every finished batch is already in the on-disk cache, so Embed continues from there.
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
from playground.shell.session import BACKEND_KEY, deployment_policy
from xai_core import EmbeddingModel, NotFoundError, PermissionDeniedError, XaiClient, XaiError

__all__ = [
    "Embedded",
    "JobKey",
    "embed_options",
    "embedded_result",
    "pick_model",
    "run_embedding",
    "show_summary",
]

RESULT, RUNNING = "emb_result", "emb_running"
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


def _use_local_backend() -> None:
    st.session_state[BACKEND_KEY] = BACKEND_LOCAL


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
                on_click=_use_local_backend,
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


def run_embedding(
    client: XaiClient,
    connection: Connection,
    dataset: Dataset,
    model: str,
    info: EmbeddingModel | None,
    options: EmbedOptions,
) -> JobKey:
    """The Embed and Cancel buttons, the job with its progress; returns the job's key."""
    namespace = connection_namespace(
        connection,
        client.base_url,
        model,
        dimensions=options.dimensions,
        encoding=options.encoding_format,
        fingerprint=(info.fingerprint or info.version) if info else None,
    )
    job_key = (dataset_digest(dataset), namespace)
    cache = EmbeddingCache()
    state = st.session_state
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
                client_embedder(client, model, options.dimensions, options.encoding_format),
                cache,
                namespace,
                max_in_flight=in_flight_for(connection.backend),
                prices=info.prices if info else None,
                on_progress=show,
            )
        except (XaiError, EmbeddingJobError) as exc:
            state.pop(RUNNING, None)
            st.error(plain(f"Embedding stopped: {exc}"), icon=":material/error:")
            st.caption("Finished batches are cached: Embed again to continue from there.")
            return job_key
        state.pop(RUNNING, None)
        bar.empty()
        assert result.vectors is not None  # no should_cancel: a finished job has its vectors
        state[RESULT] = Embedded(job_key, model, dataset, result.vectors, result)
        forget_map()
    elif state.get(RUNNING) == job_key:
        state.pop(RUNNING)
        done, distinct = cached_count(cache, namespace, dataset.texts)
        st.info(
            f"Embedding was cancelled after {done:,} of {distinct:,} distinct "
            "texts. They are cached: Embed again to continue from there.",
            icon=":material/pause:",
        )
    return job_key


def embedded_result(job_key: JobKey) -> Embedded | None:
    """The session's embedded data when it belongs to ``job_key`` (else ``None``)."""
    embedded: Embedded | None = st.session_state.get(RESULT)
    return embedded if embedded is not None and embedded.key == job_key else None


def show_summary(embedded: Embedded) -> None:
    """A caption: counts, tokens, cost and time of the job."""
    st.caption(summary_text(embedded.summary, plain(embedded.model)))
