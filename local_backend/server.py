"""The local backend: xAI's REST surface on FastAPI, served by small models on the CPU.

:func:`create_app` builds the app from a :class:`~local_backend.engines.pool.ModelPool` (the
registry's models, each loaded once) and includes one router per route family (``api/``). Model
calls block, so they run in a bounded thread pool, never on the event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from local_backend.api import ROUTERS
from local_backend.api.state import ERROR_RESPONSES, Backend
from local_backend.engines.pool import ModelPool
from local_backend.errors import install_error_handlers

__all__ = ["create_app"]


def create_app(models: ModelPool, *, api_key: str, workers: int = 8) -> FastAPI:
    """The FastAPI app. ``api_key`` is required on every ``/v1`` route; the models whose entry
    says ``load="start"`` load before the app serves (so ``/health`` answers once they are
    ready), the ``"background"`` ones right after."""
    backend = Backend(models, api_key, workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.get_running_loop().run_in_executor(backend.executor, models.preload)
        backend.created = int(time.time())
        models.warm()
        yield
        backend.executor.shutdown(wait=False, cancel_futures=True)
        models.close()

    app = FastAPI(
        title="xAI Playground local backend",
        version="1.0",
        description="The xAI REST API, served offline by small local models.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.backend = backend
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
