"""In-process llama.cpp (xllamacpp) text model that speaks OpenAI/xAI-shaped dicts.

Requests are the bodies a client sent to ``/v1/chat/completions`` or ``/v1/completions``; results
are response (or stream chunk) dicts. llama.cpp does sampling, seeds, stop strings, json grammars
and logprobs; this module emulates ``n`` (one generation per choice), ``echo``, the completions
logprobs format, the ``choices: []`` usage chunk and stop-by-callback across choices. The
translations themselves are pure functions in ``llm_format``.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from local_backend.engines.base import OnChunk
from local_backend.engines.llm_format import (
    Json,
    LLMError,
    echo_prefix,
    map_request,
    new_id,
    requested_top_k,
    sum_usage,
    to_completion_logprobs,
    to_error,
    trim_chat_logprobs,
)
from local_backend.registry import ModelEntry, uses_jinja
from local_backend.schemas import MAX_CHOICES

__all__ = ["KV_CACHE_TYPE", "PROMPT_CACHE_MIB", "LocalLLM"]

#: The KV cache in 8-bit (llama.cpp's q8_0, flash attention on): about 150 MB less resident memory
#: for the two bundled text models, the same answers at temperature 0, the same speed (measured).
KV_CACHE_TYPE = "q8_0"
#: llama.cpp keeps finished prompts' states in RAM for reuse (``--cache-ram``, 8 GiB by default):
#: bounded here, so the backend's memory stops growing with traffic a few requests in.
PROMPT_CACHE_MIB = 128


class LocalLLM:
    """One loaded GGUF model; every method may be called from several threads at once."""

    def __init__(
        self,
        gguf_path: Path,
        *,
        model_id: str,
        chat_template: str | None,
        n_ctx: int = 4096,
        n_parallel: int = 4,
        threads: int = 2,
        hidden_tokens: tuple[str, ...] = (),
        sampling: tuple[tuple[str, float | int], ...] = (),
    ) -> None:
        """Load the model (~1.2 s). ``n_ctx`` is each request's context window; ``chat_template``
        a llama.cpp built-in name, Jinja source, or ``None`` for the GGUF's own;
        ``hidden_tokens`` special tokens the model must never write (banned when sampling);
        ``sampling`` llama.cpp settings for every request that does not set them."""
        import xllamacpp

        if not Path(gguf_path).is_file():
            raise FileNotFoundError(f"GGUF model not found: {gguf_path}")
        self.model_id, self.n_ctx = model_id, n_ctx
        self._sampling: Json = dict(sampling)
        self._key = secrets.token_hex(16)
        p = xllamacpp.CommonParams()
        p.model.path, p.model_alias = str(gguf_path), {model_id}
        # llama.cpp splits n_ctx between its slots: give every slot a full window.
        p.n_ctx, p.n_parallel, p.kv_unified = n_ctx * n_parallel, n_parallel, False
        kv_type = getattr(xllamacpp.ggml_type, f"GGML_TYPE_{KV_CACHE_TYPE.upper()}")
        p.cache_type_k = p.cache_type_v = kv_type
        p.cache_ram_mib = PROMPT_CACHE_MIB
        p.cpuparams.n_threads = p.cpuparams_batch.n_threads = threads
        # A built-in template name ("gemma") only works with jinja off; the GGUF's own template
        # and Jinja source need it on.
        p.use_jinja = uses_jinja(chat_template)
        if chat_template:
            p.chat_template = chat_template
        # Its own HTTP listener cannot be turned off: loopback, OS-chosen port, secret key, no UI.
        p.hostnames, p.port, p.api_keys, p.ui, p.verbosity = ["127.0.0.1"], 0, [self._key], False, 0
        try:
            self._server: Any = xllamacpp.Server(p)
        except Exception as exc:
            raise LLMError(
                500, f"llama.cpp could not load {gguf_path} ({exc}): is it a complete GGUF model?"
            ) from exc
        self._banned = tuple(self._special_token_ids(hidden_tokens))

    @classmethod
    def from_entry(cls, entry: ModelEntry, *, n_parallel: int = 4, threads: int = 2) -> LocalLLM:
        """Locate (assembling once if needed) and load a registry entry's GGUF."""
        return cls(
            entry.file.locate(),
            model_id=entry.id,
            chat_template=entry.chat_template,
            n_ctx=entry.context_length,
            n_parallel=n_parallel,
            threads=threads,
            hidden_tokens=entry.hidden_tokens,
            sampling=entry.sampling,
        )

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
        tokens = self._tokenize(text)
        return None if tokens is None else len(tokens)

    def tokenize(self, text: str) -> list[tuple[int, bytes]]:
        """Each token of ``text`` (no BOS) with its bytes, from llama.cpp's own tokenizer; the
        bytes of all the tokens joined are the text's UTF-8 bytes."""
        server = self._server
        if server is None:
            raise LLMError(500, "The local model has been closed")
        found = self._post(server, {"content": text, "add_special": False, "with_pieces": True})
        tokens = []
        for token in found["tokens"]:
            piece = token["piece"]  # text, or a list of byte values when not valid UTF-8
            raw = piece.encode() if isinstance(piece, str) else bytes(piece)
            tokens.append((int(token["id"]), raw))
        return tokens

    def _post(self, server: Any, body: Json) -> Any:
        """POST ``body`` to llama.cpp's /tokenize on its loopback listener."""
        req = urllib.request.Request(  # noqa: S310 (http://127.0.0.1:<port> from xllamacpp)
            f"{server.listening_address}/tokenize",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._key}"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
            return json.loads(resp.read())

    def _tokenize(self, text: str) -> list[int] | None:
        """llama.cpp's tokens for ``text`` (special tokens written out are parsed as such)."""
        server = self._server
        if server is None:
            return None
        try:
            found = self._post(server, {"content": text, "add_special": False})
            return [int(token) for token in found["tokens"]]
        except Exception:
            return None

    def _special_token_ids(self, names: tuple[str, ...]) -> list[int]:
        """The id of each special token in ``names`` that the vocabulary has as one token."""
        found = [self._tokenize(name) for name in names]
        return [tokens[0] for tokens in found if tokens is not None and len(tokens) == 1]

    def close(self) -> None:
        """Release the model (calls already running hold their own reference and finish)."""
        self._server = None

    # ------------------------------------------------------------ internals

    def _requests(self, kind: str, request: Json, stream: bool) -> list[Json]:
        """One llama.cpp request per choice (seed + i, so seeded choices differ reproducibly)."""
        n = request.get("n") or 1
        if not isinstance(n, int) or not 1 <= n <= MAX_CHOICES:
            raise LLMError(400, f"'n' must be an integer between 1 and {MAX_CHOICES}")
        base = self._sampling | map_request(request, kind, banned=self._banned)
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
        choices, top_k, echo = [], requested_top_k(kind, request), echo_prefix(kind, request)
        for i, (r, req) in enumerate(zip(results, reqs, strict=True)):
            c = r["choices"][0] | {"index": i}
            self._fix_choice(kind, c, echo, top_k, len(req.get("prompt", "")))
            choices.append(c)
        out = {k: v for k, v in results[0].items() if k != "timings"} | {"choices": choices}
        usage = sum_usage([r.get("usage") for r in results])
        return out | {"id": new_id(kind), "model": self.model_id, "usage": usage} | _tier(kind)

    def _stream(self, kind: str, request: Json, on_chunk: OnChunk) -> None:
        """Run one streaming generation per choice in worker threads; call ``on_chunk`` here."""
        reqs = self._requests(kind, request, stream=True)
        n, rid, top_k = len(reqs), new_id(kind), requested_top_k(kind, request)
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
        head |= _tier(kind)
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
                    echo = None if started[i] else echo_prefix(kind, request)
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


def _tier(kind: str) -> Json:
    """xAI's chat answers and chunks name their service tier (always the default one here)."""
    return {"service_tier": "default"} if kind == "chat" else {}
