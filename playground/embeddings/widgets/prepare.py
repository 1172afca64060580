"""The "Embed and map" panel: the embedding model and options, the map settings, then Embed (or
"Map N uploaded vectors") computing the map at once; data that brings its own map coordinates is
drawn as it is. Returns what the rest of the page works on."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from playground.core.connection import Connection
from playground.embeddings.compute.jobs import EmbedOptions
from playground.embeddings.data.files import Dataset
from playground.embeddings.widgets.embed import (
    Embedded,
    embed_options,
    embedded_result,
    map_uploaded_vectors,
    pick_model,
    run_embedding,
    show_summary,
    uploaded_key,
)
from playground.embeddings.widgets.map_view import (
    MapState,
    compute_projection,
    current_map,
    map_settings,
    offer_recompute,
    precomputed_map,
    warm_up_note,
)
from xai_core import EmbeddingModel, XaiClient

__all__ = ["Prepared", "embed_and_map"]


@dataclass(frozen=True)
class Prepared:
    """The map (``None``: not computed yet), the embedded data it came from (``None`` for
    supplied coordinates) and the embedding model and options chosen (used by search)."""

    mapped: MapState | None
    embedded: Embedded | None = None
    model: str | None = None
    model_info: EmbeddingModel | None = None
    options: EmbedOptions = field(default_factory=EmbedOptions)


def embed_and_map(client: XaiClient, connection: Connection, dataset: Dataset) -> Prepared:
    """The panel; the map as it stands after this run."""
    supplied = dataset.supplied
    if supplied is not None and supplied.coords is not None:
        st.caption(
            "The data's own map coordinates are drawn as they are: nothing to embed or project."
        )
        return Prepared(precomputed_map(supplied.coords, supplied.digest))
    warm_up_note()
    model, model_info = pick_model(client, connection)
    options = embed_options()
    settings = map_settings()
    if supplied is not None and supplied.vectors is not None:
        fresh = map_uploaded_vectors(dataset, supplied.vectors, supplied.source)
        embedded = embedded_result(uploaded_key(dataset, supplied.vectors))
    else:
        if model is None:
            return Prepared(None)
        job_key, fresh_job = run_embedding(client, connection, dataset, model, model_info, options)
        embedded = embedded_result(job_key)
        fresh = embedded if fresh_job else None
    if embedded is None:
        return Prepared(None)
    show_summary(embedded)
    if fresh is not None:
        compute_projection(embedded.vectors, settings, embedded.key)
    offer_recompute(embedded.vectors, settings, embedded.key)
    return Prepared(current_map(embedded.key), embedded, model, model_info, options)
