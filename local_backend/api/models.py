"""The catalog routes: whatever the registry holds, in xAI's and OpenAI's shapes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from local_backend.api.state import AUTH, BackendDep
from local_backend.catalog import embedding_model as describe_embedding_model
from local_backend.catalog import language_model as describe_language_model
from local_backend.catalog import model_card

__all__ = ["router"]

router = APIRouter(prefix="/v1", dependencies=AUTH, tags=["models"])


@router.get("/models")
async def models(backend: BackendDep) -> dict[str, Any]:
    """Every served model (OpenAI's list shape)."""
    cards = [model_card(entry, backend.created) for entry in backend.registry.entries]
    return {"object": "list", "data": cards}


@router.get("/models/{model_id}")
async def model(model_id: str, backend: BackendDep) -> dict[str, Any]:
    """One served model; 404 if there is none by that id."""
    return model_card(backend.registry.model(model_id), backend.created)


@router.get("/language-models")
async def language_models(backend: BackendDep) -> dict[str, Any]:
    """The text models, with prices (zero) and context."""
    entries = backend.registry.language_models
    return {"models": [describe_language_model(entry, backend.created) for entry in entries]}


@router.get("/language-models/{model_id}")
async def language_model(model_id: str, backend: BackendDep) -> dict[str, Any]:
    """One text model; 404 if there is none by that id."""
    return describe_language_model(backend.registry.language_model(model_id), backend.created)


@router.get("/embedding-models")
async def embedding_models(backend: BackendDep) -> dict[str, Any]:
    """The embedding models."""
    entries = backend.registry.embedding_models
    return {"models": [describe_embedding_model(entry, backend.created) for entry in entries]}


@router.get("/embedding-models/{model_id}")
async def embedding_model(model_id: str, backend: BackendDep) -> dict[str, Any]:
    """One embedding model; 404 if there is none by that id."""
    return describe_embedding_model(backend.registry.embedding_model(model_id), backend.created)
