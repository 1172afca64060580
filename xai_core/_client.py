"""The client: one method per endpoint, retries, and errors mapped in one place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack
from urllib.parse import quote, urlencode

from xai_core._accumulators import ChatAccumulator, CompletionAccumulator
from xai_core._http import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, TIMEOUT_ENV, new_http_client
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
    ResponseInput,
    ResponseParams,
    as_list_or_str,
    build_body,
    chat_body,
    completion_body,
    responses_body,
)
from xai_core._response_stream import ResponseStream
from xai_core._responses import DeletedResponse, InputItemList, Response, TextToken
from xai_core._streaming import ChatStream, CompletionStream
from xai_core._transport import DEFAULT_BASE_URL, Transport
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


class XaiClient(Transport):
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

    # --- responses --------------------------------------------------------------------------------

    def create_response(
        self,
        *,
        model: str,
        input: ResponseInput,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ResponseParams],
    ) -> Response:
        """``POST /responses`` without streaming. Parameters left ``None`` are not sent.

        An incomplete or failed response is returned as is (see ``status``, ``error``,
        ``incomplete_details``); only an HTTP error raises.
        """
        body = responses_body(model, input, params, stream=False, extra_body=extra_body)
        return self._parse(self._post_json("/responses", body), Response)

    def stream_response(
        self,
        *,
        model: str,
        input: ResponseInput,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ResponseParams],
    ) -> ResponseStream:
        """``POST /responses`` with ``stream: true``: typed events, and ``result`` as they add up.

        Sent when iteration starts, so errors surface while iterating; the stream raises when it
        ends incomplete (:class:`ResponseIncompleteError`), failed or cut
        (:class:`APIStreamError`), and ``result`` keeps what arrived.
        """
        body = responses_body(model, input, params, stream=True, extra_body=extra_body)
        return ResponseStream(self._opener("/responses", body), **self._stream_limits())

    def get_response(self, response_id: str) -> Response:
        """``GET /responses/{id}``: a stored response (kept 30 days)."""
        return self._get_one(f"/responses/{quote(response_id, safe='')}", Response)

    def delete_response(self, response_id: str) -> DeletedResponse:
        """``DELETE /responses/{id}``; an empty answer (204) reads as deleted."""
        payload = self._request_json("DELETE", f"/responses/{quote(response_id, safe='')}")
        if payload is None:
            return DeletedResponse(id=response_id, deleted=True)
        return self._parse(payload, DeletedResponse)

    def list_response_input_items(
        self,
        response_id: str,
        *,
        limit: int | None = None,
        order: str | None = None,
        after: str | None = None,
    ) -> InputItemList:
        """``GET /responses/{id}/input_items``: one page (``limit`` 1-100, ``order`` ``asc`` or
        ``desc``, ``after`` an item id); ``has_more`` says whether another follows."""
        query = {"limit": limit, "order": order, "after": after}
        given = urlencode({key: value for key, value in query.items() if value is not None})
        path = f"/responses/{quote(response_id, safe='')}/input_items"
        return self._get_one(f"{path}?{given}" if given else path, InputItemList)

    def tokenize_text(self, text: str, *, model: str) -> list[TextToken]:
        """``POST /tokenize-text``: the tokens ``model`` splits ``text`` into."""
        payload = self._post_json("/tokenize-text", {"text": text, "model": model})
        return self._list(payload, "/tokenize-text", "token_ids", TextToken)
