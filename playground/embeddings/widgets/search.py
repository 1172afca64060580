"""Search the map: a query embedded with the data's model, its nearest rows, and their table."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from playground.embeddings.compute.cache import EmbeddingCache, Vectors
from playground.embeddings.compute.jobs import EmbedOptions, client_embedder, embed_texts
from playground.embeddings.compute.neighbours import Neighbour, cosine_top_k
from playground.embeddings.data.export import export_frame
from playground.embeddings.data.files import Dataset
from playground.embeddings.widgets import plain
from xai_core import XaiClient, XaiError

__all__ = ["SearchResult", "search", "show_neighbours"]


@dataclass(frozen=True)
class SearchResult:
    """The query typed, its embedding (``None``: no query or it failed) and its neighbours."""

    query: str = ""
    vector: Vectors | None = None
    neighbours: list[Neighbour] = field(default_factory=list)


def search(
    client: XaiClient, model: str, options: EmbedOptions, namespace: str, vectors: Vectors
) -> SearchResult:
    """The search box and the neighbour count; the query's nearest rows of ``vectors`` (the query
    is embedded with ``model`` and ``options`` through the cache ``namespace`` of the data). A
    query whose dimension differs from the vectors' (uploaded vectors of another model) is not
    searched: a warning says why."""
    c1, c2 = st.columns([4, 1])
    query = c1.text_input(
        "Search the map", key="emb_query", placeholder="e.g. a recipe with garlic"
    )
    top_k = int(c2.number_input("neighbours", 1, 100, 10, key="emb_top_k"))
    if not query.strip():
        return SearchResult()
    try:
        result = embed_texts(
            [query],
            client_embedder(client, model, options.dimensions, options.encoding_format),
            EmbeddingCache(),
            namespace,
        )
    except XaiError as exc:
        st.error(plain(f"The query could not be embedded: {exc}"))
        return SearchResult(query)
    assert result.vectors is not None
    if result.vectors.shape[1] != vectors.shape[1]:
        st.warning(
            plain(
                f"The query's embedding by {model} has {result.vectors.shape[1]} dimensions, "
                f"the map's vectors {vectors.shape[1]}: search needs the model (and dimensions) "
                "that made the vectors."
            ),
            icon=":material/warning:",
        )
        return SearchResult(query)
    try:
        neighbours = cosine_top_k(vectors, result.vectors[0], top_k)
    except ValueError as exc:
        st.error(str(exc))
        return SearchResult(query)
    return SearchResult(query, result.vectors[0], neighbours)


def show_neighbours(dataset: Dataset, neighbours: list[Neighbour]) -> None:
    """The neighbours as a table, best first, with their cosine similarity."""
    if not neighbours:
        return
    st.markdown("**Nearest neighbours** (cosine similarity)")
    table = export_frame(
        dataset.texts,
        labels=dataset.labels,
        rows=[n.row for n in neighbours],
        scores=[n.score for n in neighbours],
    )
    st.dataframe(table, hide_index=True, width="stretch", key="emb_neighbours_table")
