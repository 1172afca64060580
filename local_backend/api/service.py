"""``/health``: public, for the launcher's start-up wait and the reliability checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from local_backend.api.state import BackendDep

__all__ = ["router"]

router = APIRouter(tags=["service"])


@router.get("/health")
async def health(backend: BackendDep) -> dict[str, Any]:
    """Answers once the start-up models are loaded; counts the generations running and names
    the models that could not be loaded, with what to fix."""
    return {
        "status": "ok",
        "active_generations": backend.active,
        "unavailable_models": backend.models.problems,
    }
