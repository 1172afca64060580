"""The client: one method per endpoint, retries, and errors mapped in one place."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar, Unpack
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from xai_core._accumulators import Accumulator, ChatAccumulator, CompletionAccumulator
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
    DEFAULT_TIMEOUT,
    TIMEOUT_ENV,
    new_http_client,
    read_error_body,
    read_json,
)
from xai_core._models import (
    ApiKeyInfo,
    EmbeddingModel,
    LanguageModel,
    Model,
)
from xai_core._params import (
    ChatParams,
    CompletionParams,
    EmbeddingParams,
    Message,
    as_list_or_str,
    build_body,
    chat_body,
    completion_body,
)
from xai_core._retry import retry_after_seconds, should_retry_status, wait_before_retry
from xai_core._streaming import ChatStream, CompletionStream, Stream
from xai_core._types import (
    ChatCompletion,
    ChatCompletionChunk,
    Completion,
    CompletionChunk,
    EmbeddingResponse,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "TIMEOUT_ENV",
    "XaiClient",
    "new_http_client",
]

DEFAULT_BASE_URL = "https://api.x.ai/v1"
DEFAULT_MAX_RETRIES = 2

ModelT = TypeVar("ModelT", bound=BaseModel)
ChunkT = TypeVar("ChunkT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


class XaiClient:
    """A small typed client for the xAI REST API and other OpenAI-compatible servers.

    ``api_key`` and ``base_url`` default to the ``XAI_API_KEY`` and ``XAI_BASE_URL`` environment
    variables. The key is sent with each request and kept on this object only, never on the shared
    ``http_client``, so one ``httpx.Client`` may serve every user of an app.

    Limits: ``timeout`` overrides the HTTP client's (``XAI_TIMEOUT`` seconds, else 60 s between two
    chunks and 10 s to connect); an answer, or a whole stream, past ``max_response_bytes`` ends with
    an :class:`InvalidResponseError`; retries sleep at most ``MAX_RETRY_AFTER_S`` each and
    ``MAX_TOTAL_RETRY_WAIT_S`` in all, and a read timeout is never retried (the server has the
    request: a second try would double the wait).
    """

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

    # --- account and models ---------------------------------------------------------------------

    def get_api_key(self) -> ApiKeyInfo:
        """``GET /api-key``: the key's name, redacted form, team and blocked/disabled flags."""
        return self._get_one("/api-key", ApiKeyInfo)

    def list_models(self) -> list[Model]:
        """``GET /models``: every model the key may use (OpenAI shape, under ``data``)."""
        return self._get_list("/models", "data", Model)

    def get_model(self, model_id: str) -> Model:
        """``GET /models/{id}``."""
        return self._get_one(f"/models/{quote(model_id, safe='')}", Model)

    def list_language_models(self) -> list[LanguageModel]:
        """``GET /language-models``: modalities, prices, context window (under ``models``)."""
        return self._get_list("/language-models", "models", LanguageModel)

    def get_language_model(self, model_id: str) -> LanguageModel:
        """``GET /language-models/{id}``."""
        return self._get_one(f"/language-models/{quote(model_id, safe='')}", LanguageModel)

    def list_embedding_models(self) -> list[EmbeddingModel]:
        """``GET /embedding-models`` (xAI may list none for ordinary teams)."""
        return self._get_list("/embedding-models", "models", EmbeddingModel)

    def get_embedding_model(self, model_id: str) -> EmbeddingModel:
        """``GET /embedding-models/{id}``."""
        return self._get_one(f"/embedding-models/{quote(model_id, safe='')}", EmbeddingModel)

    # --- generation -------------------------------------------------------------------------------

    def chat(
        self,
        *,
        model: str,
        messages: Sequence[Message],
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ChatParams],
    ) -> ChatCompletion:
        """``POST /chat/completions`` without streaming. Parameters left ``None`` are not sent."""
        body = chat_body(model, messages, params, stream=False, extra_body=extra_body)
        return self._parse(self._post_json("/chat/completions", body), ChatCompletion)

    def stream_chat(
        self,
        *,
        model: str,
        messages: Sequence[Message],
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ChatParams],
    ) -> ChatStream:
        """``POST /chat/completions`` with ``stream: true``.

        The request is sent when iteration starts, so errors (including HTTP errors) surface while
        iterating. Usage is asked for (``stream_options.include_usage``) unless the caller says
        otherwise.
        """
        body = chat_body(model, messages, params, stream=True, extra_body=extra_body)
        return self._stream("/chat/completions", body, ChatCompletionChunk, ChatAccumulator())

    def complete(
        self,
        *,
        model: str,
        prompt: str | Sequence[str],
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[CompletionParams],
    ) -> Completion:
        """``POST /completions`` without streaming (legacy; xAI reasoning models refuse it)."""
        body = completion_body(model, prompt, params, stream=False, extra_body=extra_body)
        return self._parse(self._post_json("/completions", body), Completion)

    def stream_complete(
        self,
        *,
        model: str,
        prompt: str | Sequence[str],
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[CompletionParams],
    ) -> CompletionStream:
        """``POST /completions`` with ``stream: true``; see :meth:`stream_chat`."""
        body = completion_body(model, prompt, params, stream=True, extra_body=extra_body)
        return self._stream("/completions", body, CompletionChunk, CompletionAccumulator())

    def embed(
        self,
        *,
        model: str,
        input: str | Sequence[str],
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[EmbeddingParams],
    ) -> EmbeddingResponse:
        """``POST /embeddings``; ``.vectors()`` on the result gives float32, base64 decoded."""
        body = build_body(
            {"model": model, "input": as_list_or_str(input)}, params, EmbeddingParams, extra_body
        )
        return self._parse(self._post_json("/embeddings", body), EmbeddingResponse)

    # --- transport --------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def _where(self) -> str:
        url = httpx.URL(self.base_url)
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
        return Stream(
            lambda: self._send("POST", path, body, stream=True),
            chunk_type,
            accumulator,
            max_bytes=self.max_response_bytes,
            secret=self._api_key,
            read_timeout_s=self._read_timeout_s(),
        )

    def _request_json(self, method: str, path: str, body: Any = None) -> Any:
        with self._scrubbed():
            return read_json(self._send(method, path, body), self.max_response_bytes)

    def _post_json(self, path: str, body: Any) -> Any:
        return self._request_json("POST", path, body)

    def _get_one(self, path: str, model: type[ModelT]) -> ModelT:
        return self._parse(self._request_json("GET", path), model)

    def _get_list(self, path: str, key: str, model: type[ModelT]) -> list[ModelT]:
        payload = self._request_json("GET", path)
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
    text = str(exc).strip()
    return text or type(exc).__name__
