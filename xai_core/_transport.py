"""The transport under :class:`~xai_core.XaiClient`: the key, retries, limits, errors mapped in
one place, and the helpers every endpoint method uses."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from xai_core._accumulators import Accumulator
from xai_core._errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidResponseError,
    XaiError,
    error_from_status,
    parse_error_body,
    scrub_secret,
)
from xai_core._http import (
    DEFAULT_MAX_RESPONSE_BYTES,
    TIMEOUT_ENV,
    new_http_client,
    read_error_body,
    read_json,
)
from xai_core._retry import retry_after_seconds, should_retry_status, wait_before_retry
from xai_core._streaming import Stream

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "Transport"]

DEFAULT_BASE_URL = "https://api.x.ai/v1"
DEFAULT_MAX_RETRIES = 2

ModelT = TypeVar("ModelT", bound=BaseModel)
ChunkT = TypeVar("ChunkT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


class Transport:
    """Sends requests for :class:`~xai_core.XaiClient` (see its docstring for the limits)."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        http_client: httpx.Client | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: httpx.Timeout | float | None = None,
        env: Mapping[str, str] | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        environ = os.environ if env is None else env
        self._api_key = api_key if api_key is not None else environ.get("XAI_API_KEY")
        self.base_url = (base_url or environ.get("XAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.max_retries = max_retries
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else new_http_client(env=environ)
        self._timeout = httpx.Timeout(timeout) if timeout is not None else None
        #: The most bytes read from one answer or one stream (default: 64 MiB).
        self.max_response_bytes = (
            max_response_bytes if max_response_bytes is not None else DEFAULT_MAX_RESPONSE_BYTES
        )
        #: How the client waits between retries; tests replace it.
        self.sleep: Callable[[float], None] = time.sleep

    def __repr__(self) -> str:
        return f"XaiClient(base_url={self.base_url!r}, key={'set' if self._api_key else 'unset'})"

    @property
    def has_api_key(self) -> bool:
        return bool(self._api_key)

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- transport --------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def _where(self) -> str:
        url = httpx.URL(self.base_url)
        if not url.scheme or not url.host:
            return "the base URL"  # "localhost:8000/v1" reads as scheme "localhost": no echo
        port = f":{url.port}" if url.port else ""
        return f"{url.scheme}://{url.host}{port}"  # never userinfo, never a query

    def _read_timeout_s(self) -> float | None:
        return (self._timeout or self._http.timeout).read

    @contextlib.contextmanager
    def _scrubbed(self) -> Iterator[None]:
        """Every error raised inside leaves with the key replaced by its redacted form."""
        try:
            yield
        except XaiError as exc:
            scrub_secret(exc, self._api_key)
            raise

    def _send(
        self, method: str, path: str, body: Any = None, *, stream: bool = False
    ) -> httpx.Response:
        """Send with retries; return a 2xx response (body not read yet) or raise the mapped
        error. Retries: connection failures and 408/409/429/5xx, within the bounded waits of
        :func:`wait_before_retry`; never a read timeout."""
        headers = self._headers()
        if stream:
            headers["Accept"] = "text/event-stream"
        extensions = {"timeout": self._timeout.as_dict()} if self._timeout else None
        request = self._http.build_request(
            method, self.base_url + path, json=body, headers=headers, extensions=extensions
        )
        attempt, waited = 0, 0.0

        def backoff(headers: Mapping[str, str] | None = None) -> bool:
            """Sleep before the next try and say True, or say False to give up now."""
            nonlocal attempt, waited
            delay = wait_before_retry(attempt, waited, headers)
            if attempt >= self.max_retries or delay is None:
                return False
            self.sleep(delay)
            attempt, waited = attempt + 1, waited + delay
            return True

        while True:
            try:
                response = self._http.send(request, stream=True)
            except httpx.ReadTimeout as exc:
                wait = self._read_timeout_s()
                within = f" within {wait:g} s" if wait else ""
                raise APITimeoutError(
                    f"The server at {self._where()} did not answer{within}. "
                    f"(The wait is set by {TIMEOUT_ENV}.)"
                ) from exc
            except httpx.TimeoutException as exc:
                if backoff():
                    continue
                raise APITimeoutError(f"The request to {self._where()} timed out.") from exc
            except httpx.TransportError as exc:
                if backoff():
                    continue
                raise APIConnectionError(
                    f"Could not reach {self._where()}: {_reason(exc)}"
                ) from exc
            if response.is_success:
                return response
            raw = read_error_body(response)
            response.close()
            if should_retry_status(response.status_code) and backoff(response.headers):
                continue
            raise error_from_status(
                response.status_code,
                parse_error_body(raw),
                response.reason_phrase,
                retry_after_seconds(response.headers),
            )

    def _stream(
        self,
        path: str,
        body: dict[str, Any],
        chunk_type: type[ChunkT],
        accumulator: Accumulator[ChunkT, ResultT],
    ) -> Stream[ChunkT, ResultT]:
        """A stream of ``POST path``: sent when iteration starts, with this client's retries, cap,
        read timeout, and the key scrubbed from every error."""
        return Stream(self._opener(path, body), chunk_type, accumulator, **self._stream_limits())

    def _opener(self, path: str, body: dict[str, Any]) -> Callable[[], httpx.Response]:
        """What a stream calls to send ``POST path`` (with retries) when iteration starts."""
        return lambda: self._send("POST", path, body, stream=True)

    def _stream_limits(self) -> dict[str, Any]:
        """The byte cap, the key to scrub and the read timeout every stream of this client has."""
        return {
            "max_bytes": self.max_response_bytes,
            "secret": self._api_key,
            "read_timeout_s": self._read_timeout_s(),
        }

    def _request_json(self, method: str, path: str, body: Any = None) -> Any:
        with self._scrubbed():
            return read_json(self._send(method, path, body), self.max_response_bytes)

    def _post_json(self, path: str, body: Any) -> Any:
        return self._request_json("POST", path, body)

    def _get_one(self, path: str, model: type[ModelT]) -> ModelT:
        return self._parse(self._request_json("GET", path), model)

    def _get_list(self, path: str, key: str, model: type[ModelT]) -> list[ModelT]:
        return self._list(self._request_json("GET", path), path, key, model)

    def _list(self, payload: Any, path: str, key: str, model: type[ModelT]) -> list[ModelT]:
        """The items of ``payload[key]`` as ``model``."""
        items = payload.get(key) if isinstance(payload, dict) else None
        if not isinstance(items, list):
            raise InvalidResponseError(f"Expected a list under {key!r} from {path}.")
        return [self._parse(item, model) for item in items]

    @staticmethod
    def _parse(payload: Any, model: type[ModelT]) -> ModelT:
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            raise InvalidResponseError(
                f"The server's answer is not a valid {model.__name__}: "
                f"{exc.errors()[0].get('msg', exc)}"
            ) from exc


def _reason(exc: httpx.TransportError) -> str:
    """Why a request did not reach the server, in plain words (no errno, no library wording)."""
    text = str(exc).strip()
    lowered = text.lower()
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "the base URL must start with http:// or https:// (e.g. http://127.0.0.1:8000/v1)."
    if "refused" in lowered or "errno 111" in lowered:
        return (
            "the connection was refused: nothing is listening at that address. Check the host "
            "and port, and that the server is running."
        )
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return "the host name could not be found. Check the spelling of the base URL."
    if "errno -3" in lowered or "temporary failure in name resolution" in lowered:
        return "the host name could not be looked up (no DNS?). Check the base URL and the network."
    return text or type(exc).__name__
