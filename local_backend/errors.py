"""Errors in xAI's flat shape: ``{"code": "<status text>", "error": "<message>"}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["ApiError", "flat_error", "install_error_handlers", "validation_message"]

STATUS_CODES = {
    400: "Client specified an invalid argument",
    401: "The request does not have valid authentication credentials",
    403: "The caller does not have permission",
    404: "Some requested entity was not found",
    405: "Method not allowed",
    415: "Unsupported media type",
    422: "Unprocessable Entity",
    429: "Some resource has been exhausted",
    500: "Internal error",
    503: "The service is currently unavailable",
}

# pydantic error types that mean "the body does not have the right shape" (422); anything else
# (a value out of range, an empty list) is an invalid argument (400), as xAI answers.
_SHAPE_ERRORS = ("missing", "model_type", "dict_type", "list_type", "model_attributes_type")


class ApiError(Exception):
    """An error answer: status and the message the user will read."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def flat_error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"code": STATUS_CODES.get(status, "Error"), "error": message}, status_code=status
    )


def validation_message(errors: list[Any]) -> tuple[int, str]:
    """One readable message naming the field, and 400 or 422 by the kind of problem. Of several
    errors the deepest one is named (a value that fits none of a union's shapes is reported
    where it went wrong in the closest shape, not as "not a string")."""
    first: dict[str, Any] = max(errors, key=lambda error: len(error.get("loc", ())), default={})
    kind = str(first.get("type", ""))
    location = [str(part) for part in first.get("loc", ()) if part != "body"]
    field = ".".join(location) or "body"
    if kind == "json_invalid":
        return 400, "The request body is not valid JSON."
    status = 422 if kind in _SHAPE_ERRORS or kind.endswith("_type") else 400
    return status, f"Invalid request: {field}: {first.get('msg', 'invalid value')}"


def install_error_handlers(app: FastAPI) -> None:
    """Every error the server sends, whatever raised it, is a flat xAI error body."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return flat_error(exc.status, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, message = validation_message(list(exc.errors()))
        return flat_error(status, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"No route {request.method} {request.url.path}"
        return flat_error(exc.status_code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return flat_error(500, f"The local backend failed: {type(exc).__name__}")
