"""The HTTP API: one ``APIRouter`` per route family, in the order the OpenAPI lists them.

Shared state travels on ``app.state.backend`` (``state.Backend``) through the ``BackendDep``
dependency; every ``/v1`` router requires the key (``state.AUTH``).
"""

from __future__ import annotations

from fastapi import APIRouter

from local_backend.api import (
    account,
    chat,
    completions,
    embeddings,
    models,
    responses,
    service,
    tokenize,
)

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    service.router,
    account.router,
    models.router,
    chat.router,
    completions.router,
    embeddings.router,
    responses.router,
    tokenize.router,
)
