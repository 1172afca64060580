"""The Models tab: the models (the server's, and offline xAI's from the snapshot beside them,
each marked with where it comes from), a model's details for people, and what only /v1/models
lists (image models)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.core.catalog import ModelInfo, describe_model
from playground.core.connection import BACKEND_LOCAL, Connection
from playground.models.choice import PriceChoice, table_models
from playground.models.compute import filter_models, model_table, other_models_table
from playground.models.details import model_facts, other_models
from playground.models.tables import download_csv, show_facts, show_table
from playground.models.widgets import CACHE_PREFIX, LiveModels
from playground.shell.cache import session_cached
from xai_core import NotFoundError, XaiClient, XaiError

__all__ = ["server_name", "show_model_detail", "show_models_tab"]

CHAT_PAGE = "playground/chat/page.py"
CHAT_MODEL_KEY = "chat_model"  # the chat page's model selectbox
#: Where a row of the Models tab comes from, by backend.
SERVER_SOURCE = {BACKEND_LOCAL: "local"}


def server_name(connection: Connection) -> str:
    """How the rows of the connected server are marked: ``local`` or ``live``."""
    return SERVER_SOURCE.get(connection.backend, "live")


def show_models_tab(live: LiveModels, prices: PriceChoice, connection: Connection) -> None:
    """The models (filterable, sortable) with CSV export and the selected model's details: the
    server's own, and when it has no prices (offline, say) xAI's from the snapshot beside them,
    marked with its date. Live prices carry the snapshot's long-context tier where the server
    lists none. Models the server lists only in /v1/models (image models) come last."""
    catalog = live.catalog
    server = server_name(connection)
    listed = table_models(catalog, prices, server)
    if catalog is None:
        st.caption(f"No live model list ({live.problem}): xAI's models from the snapshot.")
    all_models = [m for m, _ in listed] + list(catalog.embedding if catalog else ())
    modalities = sorted({m for model in all_models for m in model.input_modalities})
    filter_col, modality_col = st.columns([3, 1])
    needle = filter_col.text_input("Filter", key="models_filter", placeholder="model id or alias")
    modality = modality_col.selectbox(
        "Input", [None, *modalities], key="models_modality", format_func=lambda m: m or "any"
    )
    kept = {m.id for m in filter_models([m for m, _ in listed], needle, modality)}
    rows = [(m, source) for m, source in listed if m.id in kept]
    st.subheader("Language models" if catalog is None or catalog.has_prices else "Models")
    language_frame = model_table(
        [m for m, _ in rows], drop_empty=True, sources=[source for _, source in rows]
    )
    event = show_table(
        language_frame, on_select="rerun", selection_mode="single-row", key="models_language_table"
    )
    st.caption("Select a row for the model's details.")
    download_csv(
        language_frame, "Export models as CSV", "language-models.csv", "models_download_language"
    )
    picked = event.selection.rows
    if picked and picked[0] < len(rows):
        model, source = rows[picked[0]]
        from_server = source == server and live.client is not None
        show_model_detail(live.client if from_server else None, model, source, connection)
    if catalog is None or not catalog.has_prices:
        return
    st.subheader("Embedding models")
    embedding = filter_models(list(catalog.embedding), needle, modality)
    if not embedding:
        st.caption("This server lists no embedding models.")
    else:
        embedding_frame = model_table(embedding, drop_empty=True)
        show_table(embedding_frame)
        download_csv(
            embedding_frame,
            "Export embedding models as CSV",
            "embedding-models.csv",
            "models_download_embedding",
        )
    others = other_models(live.listed, [*catalog.language, *catalog.embedding])
    if others:
        st.subheader("Other models")
        st.caption("Listed by /v1/models only: not language or embedding models.")
        show_table(other_models_table(others))


def show_model_detail(
    client: XaiClient | None, model: ModelInfo, source: str, connection: Connection
) -> None:
    """``model`` for people (prices in dollars per 1M tokens, dates), the server's own raw
    description in an expander and a button that opens the chat on it (``client``: the server
    serves it; ``None`` for a snapshot row, which only a key for xAI serves)."""
    with st.container(border=True):
        st.markdown(f"#### Model `{model.id}`")  # a code span: the id is never Markdown
        facts = pd.DataFrame(model_facts(model, source), columns=["field", "value"])
        show_facts(facts)
        if client is None:
            st.caption("From xAI's price snapshot: this server does not serve it; xAI does.")
            return
        _raw_description(client, model, connection)
        if st.button("Open in Chat", icon=":material/chat:", key="models_open_chat"):
            st.session_state[CHAT_MODEL_KEY] = model.id
            st.switch_page(CHAT_PAGE)


def _raw_description(client: XaiClient, model: ModelInfo, connection: Connection) -> None:
    """What the server says about ``model``, as JSON, in a collapsed expander."""
    try:
        described = session_cached(
            f"{CACHE_PREFIX}detail:{model.kind}:{model.id}",
            connection.cache_key,
            lambda: describe_model(client, model),
        )
    except NotFoundError:
        st.warning("The server no longer describes this model.", icon=":material/warning:")
    except XaiError as exc:
        st.error(f"Could not describe {model.id}: {exc.message}", icon=":material/error:")
    else:
        with st.expander("Raw JSON from the server", icon=":material/data_object:"):
            st.json(described.model_dump(mode="json"), expanded=True)
