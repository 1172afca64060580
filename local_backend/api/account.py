"""``/v1/api-key``: the local key, described as xAI describes a key."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from local_backend.api.state import AUTH, BackendDep
from local_backend.catalog import api_key_info

__all__ = ["router"]

router = APIRouter(prefix="/v1", dependencies=AUTH, tags=["account"])


@router.get("/api-key")
async def describe_api_key(backend: BackendDep) -> dict[str, Any]:
    """The key's redacted form and its (unlimited) rights."""
    return api_key_info(backend.api_key, backend.created)
