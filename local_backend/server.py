"""The local backend: xAI's REST surface on FastAPI, served by small models on the CPU.

Model calls block, so they run in a bounded thread pool, never on the event loop. Streams are fed
from the worker thread through a queue; when the client goes away, the next chunk callback tells
llama.cpp to stop, which frees its slot.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Annotated, Any, Protocol

import numpy as np
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from local_backend.catalog import LocalCatalog, redact
from local_backend.embedder import encode_base64, truncate_dimensions
from local_backend.errors import ApiError, install_error_handlers
from local_backend.schemas import (
    MAX_CHARS_PER_TOKEN,
    MAX_CHOICES,
    MAX_EMBEDDING_INPUTS,
    ChatRequest,
    CompletionRequest,
    EmbeddingRequest,
    ErrorBody,
)

__all__ = ["Embedder", "Engines", "TextModel", "create_app"]

OnChunk = Callable[[dict[str, Any]], bool]


class TextModel(Protocol):
    """What the server needs of the text model (``local_backend.llm.LocalLLM``)."""

    model_id: str
    n_ctx: int

    def chat(self, request: dict[str, Any]) -> dict[str, Any]: ...
    def complete(self, request: dict[str, Any]) -> dict[str, Any]: ...
    def stream_chat(self, request: dict[str, Any], on_chunk: OnChunk) -> None: ...
    def stream_complete(self, request: dict[str, Any], on_chunk: OnChunk) -> None: ...


class Embedder(Protocol):
    """What the server needs of the embedding model (``local_backend.embedder.MiniLMEmbedder``)."""

    model_id: str
    dimensions: int

    def embed(self, texts: list[str]) -> tuple[np.ndarray[Any, Any], int]: ...


class Engines(Protocol):
    """Loads the models once; the server waits for them before it reports healthy."""

    def load(self) -> tuple[TextModel, Embedder]: ...


#: Documented on every route: any 4xx comes in xAI's flat error shape (FastAPI's default
#: ``HTTPValidationError`` body is never sent, so it is not advertised either).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorBody, "description": "The request was refused; `error` says why."}
}
#: A generation answers JSON, or an event stream when the request sets ``stream``.
GENERATION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The generation, or with `stream: true` its chunks as server-sent events",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}

_Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]


class _State:
    def __init__(self, api_key: str, workers: int) -> None:
        self.api_key = api_key
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="model")
        self.llm: TextModel | None = None
        self.embedder: Embedder | None = None
        self.catalog: LocalCatalog | None = None
        self.active = 0  # generations running now (streams stop when their client leaves)
        self.active_lock = threading.Lock()

    def track(self, delta: int) -> None:
        with self.active_lock:
            self.active += delta


def create_app(engines: Engines, *, api_key: str, workers: int = 8) -> FastAPI:
    """The FastAPI app. ``api_key`` is required on every ``/v1`` route."""
    state = _State(api_key, workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        llm, embedder = await loop.run_in_executor(state.pool, engines.load)
        state.llm, state.embedder = llm, embedder
        state.catalog = LocalCatalog.now(
            llm_id=llm.model_id,
            llm_version=llm.model_id,
            context_length=llm.n_ctx,
            embedding_id=embedder.model_id,
            embedding_dimensions=embedder.dimensions,
        )
        yield
        state.pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="xAI Playground local backend",
        version="1.0",
        description="The xAI REST API, served offline by small local models.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    install_error_handlers(app)

    def authorised(credentials: _Credentials) -> None:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise ApiError(401, "Missing or malformed Authorization header: Bearer <key>.")
        if not hmac.compare_digest(credentials.credentials.encode(), state.api_key.encode()):
            raise ApiError(
                400,
                f"Incorrect API key provided: {redact(credentials.credentials)}. "
                "The local backend printed its key when it started (or set LOCAL_API_KEY).",
            )

    auth = [Depends(authorised)]

    def catalog() -> LocalCatalog:
        assert state.catalog is not None
        return state.catalog

    def llm_for(model: str) -> TextModel:
        assert state.llm is not None
        if model != state.llm.model_id:
            raise ApiError(
                404,
                f"The model {model} does not exist (this server has "
                f"{state.llm.model_id} for text).",
            )
        return state.llm

    def check_size(body: ChatRequest | CompletionRequest, llm: TextModel) -> None:
        """Refuse, with a clear 400, a reply or a prompt that cannot fit the model's context."""
        limit = body.reply_limit()
        if limit is not None and limit > llm.n_ctx:
            raise ApiError(
                400,
                f"max_tokens is {limit:,}, but {llm.model_id}'s context is {llm.n_ctx:,} tokens: "
                f"ask for at most {llm.n_ctx:,}.",
            )
        chars, most = body.prompt_chars(), llm.n_ctx * MAX_CHARS_PER_TOKEN
        if chars > most:
            raise ApiError(
                400,
                f"The prompt is {chars:,} characters, far more than {llm.model_id}'s context of "
                f"{llm.n_ctx:,} tokens holds (at most {most:,} characters are accepted). "
                "Shorten the prompt or the conversation.",
            )

    async def run(call: Callable[..., Any], *args: Any) -> Any:
        """A blocking model call on the worker pool; its errors become API errors."""
        try:
            return await asyncio.get_running_loop().run_in_executor(state.pool, call, *args)
        except ApiError:
            raise
        except Exception as exc:
            raise _as_api_error(exc) from exc

    # --- service routes ------------------------------------------------------------------------

    @app.get("/health", tags=["service"])
    async def health() -> dict[str, Any]:
        return {"status": "ok", "active_generations": state.active}

    # --- account and models --------------------------------------------------------------------

    @app.get("/v1/api-key", dependencies=auth, tags=["account"])
    async def describe_api_key() -> dict[str, Any]:
        return catalog().api_key(state.api_key)

    @app.get("/v1/models", dependencies=auth, tags=["models"])
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": catalog().models()}

    @app.get("/v1/models/{model_id}", dependencies=auth, tags=["models"])
    async def model(model_id: str) -> dict[str, Any]:
        for entry in catalog().models():
            if entry["id"] == model_id:
                return entry
        raise ApiError(404, f"The model {model_id} does not exist.")

    @app.get("/v1/language-models", dependencies=auth, tags=["models"])
    async def language_models() -> dict[str, Any]:
        return {"models": [catalog().language_model()]}

    @app.get("/v1/language-models/{model_id}", dependencies=auth, tags=["models"])
    async def language_model(model_id: str) -> dict[str, Any]:
        entry = catalog().language_model()
        if entry["id"] != model_id:
            raise ApiError(404, f"The language model {model_id} does not exist.")
        return entry

    @app.get("/v1/embedding-models", dependencies=auth, tags=["models"])
    async def embedding_models() -> dict[str, Any]:
        return {"models": [catalog().embedding_model()]}

    @app.get("/v1/embedding-models/{model_id}", dependencies=auth, tags=["models"])
    async def embedding_model(model_id: str) -> dict[str, Any]:
        entry = catalog().embedding_model()
        if entry["id"] != model_id:
            raise ApiError(404, f"The embedding model {model_id} does not exist.")
        return entry

    # --- generation ----------------------------------------------------------------------------

    @app.post(
        "/v1/chat/completions",
        dependencies=auth,
        tags=["generation"],
        response_model=None,
        responses=GENERATION_RESPONSES,
    )
    async def chat_completions(body: ChatRequest) -> JSONResponse | StreamingResponse:
        llm = llm_for(body.model)
        check_size(body, llm)
        request = body.body()
        if body.stream:
            return await stream(llm.stream_chat, request)
        return JSONResponse(await run(llm.chat, request))

    @app.post(
        "/v1/completions",
        dependencies=auth,
        tags=["generation"],
        response_model=None,
        responses=GENERATION_RESPONSES,
    )
    async def completions(body: CompletionRequest) -> JSONResponse | StreamingResponse:
        llm = llm_for(body.model)
        check_size(body, llm)
        prompts = len(body.prompt) if isinstance(body.prompt, list) else 1
        if prompts * (body.n or 1) > MAX_CHOICES:
            raise ApiError(
                400,
                f"{prompts} prompts × n={body.n or 1} asks for {prompts * (body.n or 1)} "
                f"completions; this server makes at most {MAX_CHOICES} per request.",
            )
        request = body.body()
        if body.stream:
            if isinstance(body.prompt, list) and len(body.prompt) > 1:
                raise ApiError(400, "Streaming takes one prompt at a time; send a single prompt.")
            return await stream(llm.stream_complete, request)
        if isinstance(body.prompt, list) and len(body.prompt) > 1:
            answers = [await run(llm.complete, {**request, "prompt": p}) for p in body.prompt]
            return JSONResponse(merge_completions(answers))
        return JSONResponse(await run(llm.complete, request))

    @app.post("/v1/embeddings", dependencies=auth, tags=["generation"])
    async def embeddings(body: EmbeddingRequest) -> dict[str, Any]:
        assert state.embedder is not None
        embedder = state.embedder
        if body.model != embedder.model_id:
            raise ApiError(404, f"The embedding model {body.model} does not exist.")
        texts = body.texts()
        if len(texts) > MAX_EMBEDDING_INPUTS:
            raise ApiError(
                400, f"Too many inputs: {len(texts)}; at most {MAX_EMBEDDING_INPUTS} per request."
            )
        dims = body.dimensions
        if dims is not None and dims > embedder.dimensions:
            raise ApiError(
                400, f"dimensions must be at most {embedder.dimensions} for {embedder.model_id}."
            )
        vectors, tokens = await run(embedder.embed, texts)
        if dims is not None and dims < embedder.dimensions:
            vectors = truncate_dimensions(vectors, dims)
        encode: Callable[[np.ndarray[Any, Any]], Any] = (
            encode_base64 if body.encoding_format == "base64" else lambda v: v.tolist()
        )
        return {
            "object": "list",
            "model": embedder.model_id,
            "data": [
                {"index": i, "embedding": encode(vector), "object": "embedding"}
                for i, vector in enumerate(vectors)
            ],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }

    async def stream(
        generate: Callable[[dict[str, Any], OnChunk], None], request: dict[str, Any]
    ) -> JSONResponse | StreamingResponse:
        """Run a streaming generation; an error before the first chunk is a plain HTTP error."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stop = threading.Event()

        def on_chunk(chunk: dict[str, Any]) -> bool:
            if stop.is_set():
                return True  # the client left: llama.cpp stops and frees the slot
            loop.call_soon_threadsafe(queue.put_nowait, ("chunk", chunk))
            return False

        def work() -> None:
            state.track(+1)
            try:
                generate(request, on_chunk)
                loop.call_soon_threadsafe(queue.put_nowait, ("done", None))
            except Exception as exc:  # reported to the client, in-band or as HTTP
                loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
            finally:
                state.track(-1)

        loop.run_in_executor(state.pool, work)
        try:
            first = await queue.get()
        except asyncio.CancelledError:
            stop.set()
            raise
        if first[0] == "error":
            stop.set()
            raise _as_api_error(first[1])

        async def events() -> AsyncIterator[str]:
            item = first
            try:
                while True:
                    kind, value = item
                    if kind == "chunk":
                        yield f"data: {json.dumps(value, ensure_ascii=False)}\n\n"
                    elif kind == "error":
                        error = _as_api_error(value)
                        payload = {"error": {"message": error.message, "code": error.status}}
                        yield f"data: {json.dumps(payload)}\n\n"
                        return
                    else:
                        yield "data: [DONE]\n\n"
                        return
                    item = await queue.get()
            finally:
                stop.set()

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return app


def _as_api_error(exc: BaseException) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    status = getattr(exc, "status", 500)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return ApiError(status if isinstance(status, int) else 500, message)


def merge_completions(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """One completion answer for a list of prompts: choices in prompt order, usage added up."""
    merged = dict(answers[0])
    choices = [choice for answer in answers for choice in answer.get("choices", [])]
    merged["choices"] = [{**choice, "index": i} for i, choice in enumerate(choices)]
    usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    for answer in answers:
        for key in usage:
            usage[key] += int((answer.get("usage") or {}).get(key, 0))
    merged["usage"] = usage
    return merged
