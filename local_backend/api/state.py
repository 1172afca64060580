"""What every route shares, carried on ``app.state.backend``: the model pool (and its registry),
the key, the worker pool for blocking model calls, the count of running generations, and the
stored responses. Routes
get it through the :data:`BackendDep` dependency; ``/v1`` routers add :data:`AUTH`."""

from __future__ import annotations

import asyncio
import hmac
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from local_backend.catalog import redact
from local_backend.engines.pool import ModelPool
from local_backend.errors import ApiError
from local_backend.registry import Registry
from local_backend.responses.store import ResponseStore
from local_backend.schemas import ErrorBody

__all__ = ["AUTH", "ERROR_RESPONSES", "Backend", "BackendDep", "as_api_error", "authorised"]

#: Documented on every route: any 4xx comes in xAI's flat error shape (FastAPI's default
#: ``HTTPValidationError`` body is never sent, so it is not advertised either).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorBody, "description": "The request was refused; `error` says why."}
}


class Backend:
    """The state of one running server."""

    def __init__(self, models: ModelPool, api_key: str, workers: int) -> None:
        self.models = models
        self.api_key = api_key
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="model")
        self.created = int(time.time())  # set again once the start-up models are loaded
        self.active = 0  # generations running now (streams stop when their client leaves)
        self.responses = ResponseStore()  # stored responses, for previous_response_id
        self._active_lock = threading.Lock()

    def __repr__(self) -> str:  # never the key
        return f"Backend(models={[e.id for e in self.registry.entries]}, active={self.active})"

    @property
    def registry(self) -> Registry:
        """The models this server serves."""
        return self.models.registry

    def track(self, delta: int) -> None:
        """Count a generation in (+1) or out (-1)."""
        with self._active_lock:
            self.active += delta

    async def run(self, call: Callable[..., Any], *args: Any) -> Any:
        """A blocking model call on the worker pool; its errors become API errors."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, call, *args)
        except ApiError:
            raise
        except Exception as exc:
            raise as_api_error(exc) from exc


def _backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


BackendDep = Annotated[Backend, Depends(_backend)]
_Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]


def authorised(credentials: _Credentials, backend: BackendDep) -> None:
    """The request carries this server's key as a bearer token (compared in constant time)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "Missing or malformed Authorization header: Bearer <key>.")
    if not hmac.compare_digest(credentials.credentials.encode(), backend.api_key.encode()):
        raise ApiError(
            400,
            f"Incorrect API key provided: {redact(credentials.credentials)}. "
            "The local backend printed its key when it started (or set LOCAL_API_KEY).",
        )


#: The dependency every ``/v1`` route carries.
AUTH = [Depends(authorised)]


def as_api_error(exc: BaseException) -> ApiError:
    """Any engine error as an API error: its ``status`` (else 500) and message."""
    if isinstance(exc, ApiError):
        return exc
    status = getattr(exc, "status", 500)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return ApiError(status if isinstance(status, int) else 500, message)
