"""The client's errors: one hierarchy, status codes mapped in one place.

    XaiError
    ├── APIConnectionError            the server could not be reached, or the connection dropped
    │   └── APITimeoutError           connect, read or write timed out
    ├── InvalidResponseError          the server answered something that is not the API's shape
    ├── APIStreamError                an error object arrived in the middle of a stream (or a
    │                                 Responses stream failed, or ended before its terminal event)
    ├── ResponseIncompleteError       a Responses stream ended with ``response.incomplete``
    └── APIStatusError                the server answered with an HTTP error status
        ├── BadRequestError           400
        ├── AuthenticationError       401, and xAI's "Incorrect API key" on 400
        ├── PermissionDeniedError     403
        ├── NotFoundError             404
        ├── UnprocessableEntityError  422
        ├── RateLimitError            429 (rate limit, or credits exhausted)
        └── InternalServerError       5xx

``str(error)`` is always the server's own words when it gave any, so a page can show it as is
(a plain-text or HTML error page is shortened to its first few hundred characters).
No error ever carries the API key: request headers are never copied into an error, and the client
passes every error it raises through :func:`scrub_secret`, so a server that echoes the key (in an
error body, a stream error or a malformed chunk) still cannot make it appear in a message.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "InternalServerError",
    "InvalidResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseIncompleteError",
    "UnprocessableEntityError",
    "XaiError",
    "error_from_body",
    "error_from_status",
    "redact_secret",
    "scrub_secret",
]

#: A server's plain-text (or HTML) error body is cut to this many characters in the message.
MAX_TEXT_MESSAGE_CHARS = 300


class XaiError(Exception):
    """Base class of every error the client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class APIConnectionError(XaiError):
    """The request never got an HTTP answer: refused, reset, DNS, or dropped mid-stream."""


class APITimeoutError(APIConnectionError):
    """The request timed out (a read timeout is the gap between two chunks, not a deadline)."""


class InvalidResponseError(XaiError):
    """The server answered, but not in the API's shape (bad JSON, wrong content type)."""


class APIStreamError(XaiError):
    """The server sent an error object in the middle of a stream.

    The text received before it stays available on the stream's ``result``.
    """

    def __init__(self, message: str, *, code: str | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.body = body


class ResponseIncompleteError(XaiError):
    """A Responses stream ended with ``response.incomplete``: the reply stopped early.

    ``reason`` is the server's ``incomplete_details.reason`` (``max_output_tokens``,
    ``max_prompt_tokens``, ``max_time_limit``, ...) when it gave one; what arrived stays on the
    stream's ``result``.
    """

    def __init__(self, message: str, *, reason: str | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.body = body


class APIStatusError(XaiError):
    """The server answered with an HTTP error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.body = body
        #: Seconds the server asked to wait (``Retry-After``), when it said.
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400: an invalid argument (the message names it)."""


class AuthenticationError(APIStatusError):
    """401, or a 400 whose message says the API key is incorrect (xAI's way)."""


class PermissionDeniedError(APIStatusError):
    """403: no permission, key or team blocked, or a team without credits."""


class NotFoundError(APIStatusError):
    """404: unknown model (or no access to it) or unknown route."""


class UnprocessableEntityError(APIStatusError):
    """422: a body field is missing or has an invalid format."""


class RateLimitError(APIStatusError):
    """429: rate limited, or the team's credits or spending limit are exhausted."""


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_INCORRECT_KEY_PREFIX = "incorrect api key"


def _message_and_code(body: Any) -> tuple[str | None, str | None]:
    """Read xAI's flat ``{"code", "error"}`` body or the nested ``{"error": {"message"}}`` one."""
    if isinstance(body, str):
        text = " ".join(body.split())
        if len(text) > MAX_TEXT_MESSAGE_CHARS:
            text = text[: MAX_TEXT_MESSAGE_CHARS - 1].rstrip() + "…"
        return (text or None), None
    if not isinstance(body, dict):
        return None, None
    error = body.get("error")
    if isinstance(error, dict):
        message = error.get("message")
        code = error.get("code") or error.get("type")
        return (str(message) if message else None), (str(code) if code else None)
    code = body.get("code")
    if isinstance(error, str):
        return error, (str(code) if code else None)
    message = body.get("message") or body.get("detail")
    if isinstance(message, str):
        return message, (str(code) if code else None)
    return None, (str(code) if code else None)


def error_from_status(
    status_code: int, body: Any, reason: str = "", retry_after: float | None = None
) -> APIStatusError:
    """Build the error for an HTTP error answer; ``body`` is the parsed JSON or the raw text."""
    message, code = _message_and_code(body)
    if message is None:
        message = f"HTTP {status_code} {reason}".strip()
    if status_code >= 500:
        cls: type[APIStatusError] = InternalServerError
    elif status_code == 400 and message.lower().startswith(_INCORRECT_KEY_PREFIX):
        cls = AuthenticationError
    else:
        cls = _STATUS_CLASSES.get(status_code, APIStatusError)
    return cls(message, status_code=status_code, code=code, body=body, retry_after=retry_after)


def error_from_body(body: Any) -> APIStreamError:
    """Build the error for an error object received inside a stream."""
    message, code = _message_and_code(body)
    return APIStreamError(
        message or "The server reported an error mid-stream.", code=code, body=body
    )


def parse_error_body(raw: bytes) -> Any:
    """Decode an error body: JSON when it is JSON, else the text itself."""
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


ErrorT = TypeVar("ErrorT", bound=XaiError)


def redact_secret(secret: str) -> str:
    """``xai-…b7Qx``: enough to recognise a key, never enough to use it (``…Qx`` when short)."""
    if len(secret) <= 10:
        return "…" + secret[-2:]
    return f"{secret[:4]}…{secret[-4:]}"


def _scrub_value(value: Any, secret: str, redacted: str) -> Any:
    if isinstance(value, str):
        return value.replace(secret, redacted)
    if isinstance(value, dict):
        return {key: _scrub_value(item, secret, redacted) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub_value(item, secret, redacted) for item in value]
    return value


def scrub_secret(error: ErrorT, secret: str | None) -> ErrorT:
    """``error`` with every occurrence of ``secret`` in its message, args and body replaced by
    :func:`redact_secret`'s form (in place; returned for convenience)."""
    if not secret:
        return error
    redacted = redact_secret(secret)
    error.message = error.message.replace(secret, redacted)
    error.args = tuple(_scrub_value(arg, secret, redacted) for arg in error.args)
    if isinstance(error, APIStatusError | APIStreamError | ResponseIncompleteError):
        error.body = _scrub_value(error.body, secret, redacted)
    return error
