"""The cluster labels panel: the labels table, and "Name the clusters with <model>" with its
estimate before it runs and its progress while it runs.

The model is the Chat page's (``st.session_state["chat_model"]``) when this server lists it,
else the server's default chat model (the local instruct model offline). The names are kept in
the session for the map's ``key``, so reruns send nothing again. A model's names are shown as
plain text only (a table cell, escaped markdown).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence

import numpy.typing as npt
import streamlit as st

from playground.core.catalog import ModelInfo, default_model
from playground.core.connection import BACKEND_LOCAL, Connection
from playground.core.money import cost_text
from playground.embeddings.compute.labels import ClusterLabel, labels_frame, with_names
from playground.embeddings.compute.naming import (
    NamingPlan,
    NamingResult,
    name_clusters,
    naming_params,
    naming_plan,
    representative_rows,
)
from playground.embeddings.widgets import plain
from playground.shell.keep import kept_value
from playground.shell.model_picker import language_models
from xai_core import XaiClient, XaiError

__all__ = ["CHAT_MODEL_KEY", "cluster_labels_panel", "estimate_text", "naming_model"]

#: The Chat page's model choice (its picker's key).
CHAT_MODEL_KEY = "chat_model"
_STATE = "emb_cluster_names"


def estimate_text(plan: NamingPlan, local: bool) -> str:
    """``≈ 12,400 input tokens · ≈ $0.0031 estimated``, ``… · free on the local backend``, or
    ``… · cost unknown (the server lists no prices)``."""
    tokens = f"{len(plan.requests)} requests · ≈ {plan.input_tokens:,} input tokens"
    if plan.cost_usd is None:
        return f"{tokens} · cost unknown (the server lists no prices for this model)"
    if plan.cost_usd == 0:
        return f"{tokens} · free on the local backend" if local else f"{tokens} · free"
    return f"{tokens} · {cost_text(plan.cost_usd)}"


def naming_model(client: XaiClient) -> ModelInfo | None:
    """The Chat page's model when this server lists it, else the server's default chat model;
    ``None`` (with a note) when the server lists none or cannot be asked."""
    try:
        models = language_models(client)
    except XaiError as exc:
        st.caption(f"The models could not be listed: {plain(exc.message)}")
        return None
    if not models:
        return None
    by_id = {m.id: m for m in models}
    chosen = kept_value(CHAT_MODEL_KEY)  # on this page Streamlit has dropped the widget's state
    return by_id[chosen] if chosen in by_id else default_model(models, "chat")


def _state_key(key: Hashable) -> str:
    """A session-state key of the map's ``key`` (its text, hashed)."""
    return f"{_STATE}_{hashlib.sha256(repr(key).encode()).hexdigest()[:16]}"


def _summary(result: NamingResult) -> str:
    free = result.cost_usd == 0 and not result.billed
    cost = cost_text(result.cost_usd, billed=result.billed, free=free)
    asked = len(result.names) + len(result.failures)
    return (
        f"Named {len(result.names)} of {asked} clusters · {result.input_tokens:,} input and "
        f"{result.output_tokens:,} output tokens · {cost}"
    )


def _run(client: XaiClient, model: ModelInfo, plan: NamingPlan, state_key: str) -> NamingResult:
    """Send the plan with a progress bar; keep the result in the session."""
    bar = st.progress(0.0, text=f"Asking {model.id} for {len(plan.requests)} labels…")

    def show(done: int, total: int, cluster: int) -> None:
        bar.progress(done / total, text=f"Named {done} of {total} clusters (cluster {cluster})")

    result = name_clusters(client, model.id, plan, show, params=naming_params(model))
    bar.empty()
    st.session_state[state_key] = (model.id, result)
    return result


def cluster_labels_panel(
    client: XaiClient,
    connection: Connection,
    texts: Sequence[str],
    coords: npt.ArrayLike,
    clusters: npt.ArrayLike,
    labels: list[ClusterLabel],
    key: Hashable,
) -> list[ClusterLabel]:
    """The labels table and the naming button; ``labels`` with the model's names once the user
    ran it for ``key`` (kept in the session: reruns send nothing)."""
    state_key = _state_key(key)
    kept: tuple[str, NamingResult] | None = st.session_state.get(state_key)
    if not labels:
        return labels
    model = naming_model(client)
    if model is not None and kept is None:
        plan = naming_plan(
            labels,
            texts,
            representative_rows(coords, clusters),
            model.prices if model.prices.known else None,
        )
        local = connection.backend == BACKEND_LOCAL
        st.caption(f"Labels written by {plain(model.id)}: {estimate_text(plan, local)}")
        if st.button(
            f"Name the clusters with {model.id}",
            key=f"{state_key}_run",
            icon=":material/label:",
            help="One short request per cluster: its keywords and up to 8 of its central texts.",
        ):
            _run(client, model, plan, state_key)
            st.rerun()  # the map above draws the new names too
    named = labels
    if kept is not None:
        model_id, result = kept
        named = with_names(labels, result.names)
        st.caption(f"Labels by {plain(model_id)}. {_summary(result)}")
        for cluster, why in sorted(result.failures.items()):
            st.caption(f"Cluster {cluster} keeps its keywords: {plain(why)}")
        if st.button("Use the keyword labels again", key=f"{state_key}_forget"):
            st.session_state.pop(state_key, None)
            st.rerun()
    st.dataframe(labels_frame(named), hide_index=True, width="stretch")
    return named
