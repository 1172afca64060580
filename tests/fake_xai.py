"""A fake xAI API server for tests (stdlib only), answering in xAI's shapes from tests/fixtures/.

    with FakeXai() as fake:  # 127.0.0.1, free port, daemon thread
        auth = {"Authorization": f"Bearer {fake.api_key}"}
        httpx.get(f"{fake.base_url}/models", headers=auth)
        fake.fail_next(429, load_json("error_flat_429.json"), headers={"Retry-After": "1"})
        fake.set_stream_script(load_sse("chat_stream_tool_call_fragments.sse"), cut_after=2)
        fake.requests[-1].body  # what the client sent (never the Authorization header)

Behaviour worth knowing:
- A chat request with `tools` gets a tool call back, unless its last message is a `tool` result
  (then the usual text reply). `stream_times` holds when each stream's first and last events left.
- Auth is checked first, like api.x.ai: a missing/malformed header -> 401, a wrong Bearer key ->
  400 "Incorrect API key provided: wr***ey" (flat body). Faults only hit authorized requests.
- Streams use HTTP/1.1 chunked encoding, so ``cut_after`` is a truly broken body for the client.
- As on xAI, the ``choices: []`` usage chunk of the built-in streams is only sent when the request
  has ``stream_options: {"include_usage": true}``. Scripted streams are sent verbatim.
- ``FakeXai(extra_keys={"xai-bob-key-...": "bob-key"})`` accepts more keys; ``/v1/api-key`` answers
  with each key's own name and redacted form, and ``RecordedRequest.key_name`` says whose it was.
- ``python -m tests.fake_xai --port 8787 [--key KEY]`` serves in the foreground.

Faults, one call each (every one hits the next matching authorized request only, unless
``times`` says more; ``clear()`` forgets them all):

    fake.fail_next(429, headers={"Retry-After": "2"})   # 429 with Retry-After (none: no header)
    fake.fail_next(503, times=3)                        # 500/502/503..., e.g. past 2 retries
    fake.slow_first_byte(2.0)                           # wait before the status line (any route)
    fake.cut_stream(text_events(["a", "b", "c"]), after=2)     # connection dropped mid-stream
    fake.stall_stream(text_events(["a", "b"]), after=1)        # silent forever after 1 event
    fake.stall_stream(events, after=1, seconds=3)       # silent 3 s, then goes on to [DONE]
    fake.set_stream_script([*text_events(["a"], done=False), MALFORMED_EVENT])  # bad chunk
    fake.set_stream_script([*text_events(["a"], done=False), error_event("Overloaded")])
    fake.oversize_next(10 * 2**30, path="/v1/models")   # a 10 GB JSON body, made as it is sent
    fake.oversize_next(2**20, chunked=True)             # the same without a Content-Length
    fake.answer_next("<html>login</html>", "text/html", path="/v1/models")  # wrong content type
    fake.answer_next(load_json("chat_completion.json"), path="/v1/chat/completions")  # JSON
                                                        # where a stream was asked for

A stall "forever" ends when the client hangs up (checked every 0.05 s) or the server stops.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import re
import select
import socket
import struct
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal, TypeVar

FIXTURES = Path(__file__).parent / "fixtures"
DEFAULT_KEY = "xai-test-key-0123456789"
NOT_FOUND = "Some requested entity was not found"
INVALID = "Client specified an invalid argument"
LISTS = {  # collection path -> (fixture, key of its item list); also serves GET {path}/{id}
    "/v1/models": ("models.json", "data"),
    "/v1/language-models": ("language_models.json", "models"),
    "/v1/embedding-models": ("embedding_models.json", "models"),
}
GET_ROUTES = {"/v1/api-key": "api_key.json", **{p: f for p, (f, _) in LISTS.items()}}
POST_ROUTES = {  # path -> required body fields
    "/v1/chat/completions": ("model", "messages"),
    "/v1/completions": ("model", "prompt"),
    "/v1/embeddings": ("model", "input"),
}


def load_json(name: str) -> Any:
    """Parse tests/fixtures/<name>."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def load_sse(name: str) -> list[str]:
    """Split tests/fixtures/<name> into raw events, each keeping its own terminator (LF or CRLF)."""
    text = (FIXTURES / name).read_bytes().decode("utf-8")
    return [part for part in re.split(r"(?<=\n\n)|(?<=\r\n\r\n)", text) if part]


def sse_event(obj: Any) -> str:
    """Format one ``data: {json}`` event (compact JSON, raw non-ASCII characters)."""
    return f"data: {json.dumps(obj, ensure_ascii=False, separators=(',', ':'))}\n\n"


#: An event whose data is not JSON (a truncated object).
MALFORMED_EVENT = 'data: {"choices": [{"index": 0, "delta": {"content": "x\n\n'
DONE_EVENT = "data: [DONE]\n\n"
#: The start and end of :meth:`FakeXai.oversize_next`'s body: valid JSON listing nothing.
OVERSIZE_PREFIX = b'{"object": "list", "data": [], "models": [], "padding": "'
OVERSIZE_SUFFIX = b'"}'


def text_events(
    pieces: list[str], model: str = "grok-4.3", *, finish: bool = True, done: bool = True
) -> list[str]:
    """A chat stream of ``pieces`` as content deltas, then a ``stop`` finish chunk and
    ``[DONE]`` (each left out when told)."""
    events = [
        sse_event({"model": model, "choices": [{"index": 0, "delta": {"content": piece}}]})
        for piece in pieces
    ]
    if finish:
        stop = {"index": 0, "delta": {}, "finish_reason": "stop"}
        events.append(sse_event({"model": model, "choices": [stop]}))
    return [*events, DONE_EVENT] if done else events


def completion_events(
    pieces: list[str], model: str = "grok-4.3", *, done: bool = True
) -> list[str]:
    """A text-completion stream of ``pieces``, the last one with ``finish_reason: stop``."""
    events = [
        sse_event(
            {
                "object": "text_completion",
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "text": piece,
                        "finish_reason": "stop" if k == len(pieces) - 1 and done else None,
                    }
                ],
            }
        )
        for k, piece in enumerate(pieces)
    ]
    return [*events, DONE_EVENT] if done else events


def error_event(message: str, code: str = "overloaded") -> str:
    """An error object in the middle of a stream, the way xAI sends one."""
    return sse_event({"error": {"message": message, "type": "server_error", "code": code}})


def redact(key: str) -> str:
    """Redact a key the way xAI's error message does: first 2 + '***' + last 2."""
    return f"{key[:2]}***{key[-2:]}"


def flat_error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "error": message}


def fake_embedding(text: str, dim: int) -> list[float]:
    """A deterministic unit vector derived from sha256(text), exactly representable in float32."""
    seed = b"".join(hashlib.sha256(f"{i}:{text}".encode()).digest() for i in range(dim // 8 + 1))
    vals = [int.from_bytes(seed[4 * i : 4 * i + 4], "little") / 2**31 - 1.0 for i in range(dim)]
    norm = sum(v * v for v in vals) ** 0.5 or 1.0
    return list(struct.unpack(f"<{dim}f", struct.pack(f"<{dim}f", *(v / norm for v in vals))))


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: str
    body: Any  # parsed JSON body, or None (no body / invalid JSON)
    auth: Literal["valid", "invalid", "missing"]  # never the key itself
    key_name: str | None = None  # the name of the valid key used (see ``FakeXai.key_names``)


@dataclass
class Fault:
    status: int
    body: Any = None  # dict/list -> JSON; str/bytes -> sent as is; None -> empty
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1  # None: until clear()
    path: str | None = None  # exact path, e.g. "/v1/chat/completions"; None matches any
    method: str | None = None
    delay: float = 0.0  # seconds to wait before answering
    size: int | None = None  # a generated JSON body of this many bytes instead of ``body``
    chunked: bool = False  # send the body chunked, without a Content-Length


@dataclass
class SlowStart:
    """Wait ``delay`` s before the status line, then answer as usual."""

    delay: float
    times: int | None = 1
    path: str | None = None
    method: str | None = None


QueuedT = TypeVar("QueuedT", Fault, SlowStart)


@dataclass
class StreamScript:
    events: list[str]
    delay: float = 0.0
    cut_after: int | None = None
    stall_after: int | None = None  # go silent after this many events...
    stall_for: float | None = None  # ...for this many seconds (None: until the client hangs up)


class FakeXai:
    """A fake api.x.ai on 127.0.0.1, serving the recorded shapes from tests/fixtures/."""

    def __init__(
        self,
        api_key: str = DEFAULT_KEY,
        port: int = 0,
        stream_delay: float = 0.0,
        embedding_dim: int = 8,
        extra_keys: dict[str, str] | None = None,
    ) -> None:
        self.api_key = api_key
        #: Every valid key -> the name ``/v1/api-key`` gives it.
        self.key_names: dict[str, str] = {
            api_key: load_json("api_key.json")["name"],
            **(extra_keys or {}),
        }
        self.port = port
        self.stream_delay = stream_delay
        self.embedding_dim = embedding_dim
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._faults: deque[Fault] = deque()
        self._slow_starts: deque[SlowStart] = deque()
        self._stopped = threading.Event()
        self._scripts: deque[StreamScript] = deque()
        self._stream_times: list[tuple[float, float]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeXai:
        self._stopped.clear()
        server = _QuietServer(("127.0.0.1", self.port), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server, self.port = server, server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-xai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()  # ends every stall
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeXai:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def enqueue(self, fault: Fault) -> None:
        """Answer the next ``fault.times`` matching authorized requests with ``fault``."""
        with self._lock:
            self._faults.append(fault)

    def fail_next(
        self,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer the next ``times`` matching requests (``None``: until ``clear()``) with
        ``status``/``body``/``headers``; ``body`` defaults to a flat xAI error."""
        if body is None:
            body = flat_error(f"HTTP {status}", f"Injected failure with status {status}")
        self.enqueue(Fault(status, body, dict(headers or {}), times, path, method, delay))

    def set_stream_script(
        self,
        events: list[str],
        delay: float = 0.0,
        cut_after: int | None = None,
        stall_after: int | None = None,
        stall_for: float | None = None,
    ) -> None:
        """Send ``events`` verbatim as the next stream (chat or completions), ``delay`` s apart;
        with ``cut_after=k`` the connection is dropped after k events (no [DONE]); with
        ``stall_after=k`` nothing is sent after k events for ``stall_for`` s (``None``: until the
        client hangs up), then the rest follows."""
        with self._lock:
            self._scripts.append(
                StreamScript(list(events), delay, cut_after, stall_after, stall_for)
            )

    def cut_stream(self, events: list[str], after: int, delay: float = 0.0) -> None:
        """The next stream sends ``after`` of ``events``, then drops the connection."""
        self.set_stream_script(events, delay, cut_after=after)

    def stall_stream(
        self, events: list[str], after: int, seconds: float | None = None, delay: float = 0.0
    ) -> None:
        """The next stream sends ``after`` of ``events``, then nothing for ``seconds`` (``None``:
        never again, until the client hangs up), then the rest."""
        self.set_stream_script(events, delay, stall_after=after, stall_for=seconds)

    def slow_first_byte(
        self,
        seconds: float,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> None:
        """Wait ``seconds`` before the status line of the next ``times`` matching requests (JSON
        or stream routes), then answer as usual (faults and scripts included)."""
        with self._lock:
            self._slow_starts.append(SlowStart(seconds, times, path, method))

    def answer_next(
        self,
        body: Any,
        content_type: str = "application/json",
        status: int = 200,
        path: str | None = None,
        method: str | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer the next matching requests with ``body`` as ``content_type`` (dict/list as
        JSON): a login page as ``text/html``, or one JSON completion for a stream request."""
        self.fail_next(status, body, {"Content-Type": content_type}, times, path, method)

    def oversize_next(
        self,
        size: int,
        path: str | None = None,
        method: str | None = None,
        chunked: bool = False,
        times: int | None = 1,
    ) -> None:
        """Answer the next matching requests with a valid JSON body of ``size`` bytes (it lists
        nothing), generated while it is sent, so even gigabytes cost nothing here; with
        ``chunked`` there is no Content-Length for the client to check first."""
        fault = Fault(200, None, {}, times, path, method, size=size, chunked=chunked)
        self.enqueue(fault)

    @property
    def stream_times(self) -> list[tuple[float, float]]:
        """``(first event sent, last event sent)`` wall-clock times (``time.time()``) of every
        stream that ran to its end, oldest first (for benchmarks)."""
        with self._lock:
            return list(self._stream_times)

    def clear(self) -> None:
        """Forget recorded requests, queued faults, stream scripts and stream times."""
        with self._lock:
            self._stream_times.clear()
            self._requests.clear()
            self._faults.clear()
            self._slow_starts.clear()
            self._scripts.clear()

    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(req)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            return _take_matching(self._faults, method, path)

    def _take_slow_start(self, method: str, path: str) -> SlowStart | None:
        with self._lock:
            return _take_matching(self._slow_starts, method, path)

    def _take_script(self) -> StreamScript | None:
        with self._lock:
            return self._scripts.popleft() if self._scripts else None


def _take_matching(queue: deque[QueuedT], method: str, path: str) -> QueuedT | None:
    """The first entry of ``queue`` matching ``method`` and ``path``, used up once."""
    for entry in queue:
        if entry.path in (None, path) and entry.method in (None, method):
            if entry.times is not None:
                entry.times -= 1
                if entry.times <= 0:
                    queue.remove(entry)
            return entry
    return None


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up (a closed browser tab, a stopped stream) are not errors here."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-xai/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # silent: never log keys
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    @property
    def fake(self) -> FakeXai:
        return self.server.fake  # type: ignore[attr-defined,no-any-return]

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        if body is None or isinstance(body, str | bytes):
            data = body.encode() if isinstance(body, str) else body or b""
        else:
            data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_oversized(self, fault: Fault) -> None:
        """A JSON body of ``fault.size`` bytes, written 64 KiB at a time as it is made."""
        size = max(fault.size or 0, len(OVERSIZE_PREFIX) + len(OVERSIZE_SUFFIX))
        self.send_response(fault.status)
        self.send_header("Content-Type", "application/json")
        if fault.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        padding = size - len(OVERSIZE_PREFIX) - len(OVERSIZE_SUFFIX)
        piece = b"x" * 65536
        try:
            self._write_body(OVERSIZE_PREFIX, fault.chunked)
            while padding > 0:
                self._write_body(piece[:padding], fault.chunked)
                padding -= len(piece)
            self._write_body(OVERSIZE_SUFFIX, fault.chunked)
            if fault.chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: expected
            self.close_connection = True

    def _write_body(self, data: bytes, chunked: bool) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)

    def _wait_unless_hung_up(self, seconds: float | None) -> bool:
        """Send nothing for ``seconds`` (``None``: forever); False once the client hung up or the
        server is stopping."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while deadline is None or time.monotonic() < deadline:
            if self.fake._stopped.is_set():
                return False
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return False
                except OSError:
                    return False
        return True

    def _stream(
        self,
        events: list[str],
        delay: float,
        cut_after: int | None = None,
        stall_after: int | None = None,
        stall_for: float | None = None,
    ) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        first_sent = None
        try:
            for i, event in enumerate(events):
                if cut_after is not None and i >= cut_after:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                stalled = stall_after is not None and i == stall_after
                if stalled and not self._wait_unless_hung_up(stall_for):
                    self.close_connection = True
                    return
                if i and delay:
                    time.sleep(delay)
                data = event.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
                first_sent = time.time() if first_sent is None else first_sent
            with self.fake._lock:
                self.fake._stream_times.append((first_sent or time.time(), time.time()))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client went away
            self.close_connection = True

    def _handle(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body: Any = None
        with contextlib.suppress(ValueError):
            body = json.loads(raw) if raw else None
        scheme, _, key = (self.headers.get("Authorization") or "").partition(" ")
        key = key.strip()
        auth: Literal["valid", "invalid", "missing"] = "missing"
        if scheme.lower() == "bearer" and key:
            auth = "valid" if key in self.fake.key_names else "invalid"
        key_name = self.fake.key_names.get(key) if auth == "valid" else None
        self.fake._record(RecordedRequest(method, path, query, body, auth, key_name))
        if auth == "missing":
            return self._send(401, load_json("error_flat_401.json"))
        if auth == "invalid":
            err = load_json("error_incorrect_key.json")
            return self._send(400, {**err, "error": err["error"].replace("wr***ey", redact(key))})
        slow = self.fake._take_slow_start(method, path)
        if slow is not None and not self._wait_unless_hung_up(slow.delay):
            self.close_connection = True
            return None
        fault = self.fake._take_fault(method, path)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.size is not None:
                return self._send_oversized(fault)
            return self._send(fault.status, fault.body, fault.headers)
        is_get_route = path in GET_ROUTES or path.rpartition("/")[0] in LISTS
        if method == "GET" and path == "/v1/api-key" and key != self.fake.api_key:
            info = {**load_json("api_key.json"), "name": key_name}
            return self._send(200, {**info, "redacted_api_key": f"{key[:4]}...{key[-4:]}"})
        if method == "GET" and is_get_route:
            return self._get(path)
        if method != "POST" or path not in POST_ROUTES:
            if is_get_route or path in POST_ROUTES:
                return self._send(405, flat_error("Method Not Allowed", f"{method} {path}"))
            return self._send(404, flat_error(NOT_FOUND, f"No route for {method} {path}"))
        if not raw:
            return self._send(415, flat_error("Unsupported Media Type", "Expected a JSON body"))
        if not isinstance(body, dict):
            return self._send(400, flat_error(INVALID, "Failed to parse the request body as JSON"))
        for name in POST_ROUTES[path]:
            if name not in body:
                msg = f"Failed to deserialize the JSON body: missing field `{name}`"
                return self._send(422, flat_error("Unprocessable Entity", msg))
        if path == "/v1/embeddings":
            return self._embeddings(body)
        return self._generate(path, body)

    def _get(self, path: str) -> None:
        if path in GET_ROUTES:
            return self._send(200, load_json(GET_ROUTES[path]))
        collection, _, model_id = path.rpartition("/")
        fixture, list_key = LISTS[collection]
        for item in load_json(fixture)[list_key]:
            if model_id == item["id"] or model_id in item.get("aliases", []):
                return self._send(200, item)
        msg = f"The model {model_id} does not exist or your team does not have access to it."
        return self._send(404, flat_error(NOT_FOUND, msg))

    def _generate(self, path: str, body: dict[str, Any]) -> None:
        """Chat and legacy completions: a fixture with the requested model, or a stream."""
        chat, tools = path == "/v1/chat/completions", bool(body.get("tools"))
        messages = body.get("messages") if chat else None
        if tools and isinstance(messages, list) and messages:
            last = messages[-1]  # a tool result answered: the model replies in text
            tools = not (isinstance(last, dict) and last.get("role") == "tool")
        if not body.get("stream"):
            reply = load_json(
                ("chat_completion_tool_calls.json" if tools else "chat_completion.json")
                if chat
                else "completion.json"
            )
            return self._send(200, {**reply, "model": body["model"]})
        script = self.fake._take_script()
        if script is not None:
            return self._stream(
                script.events, script.delay, script.cut_after, script.stall_after, script.stall_for
            )
        name = "completion_stream.sse"
        if chat:
            name = "chat_stream_tool_call_whole.sse" if tools else "chat_stream_reasoning.sse"
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = []
        for event in load_sse(name):
            if event.startswith("data: {"):
                obj = json.loads(event[len("data: ") :])
                if "usage" in obj and not obj["choices"] and not include_usage:
                    continue
                event = sse_event({**obj, "model": body["model"]})
            events.append(event)
        return self._stream(events, self.fake.stream_delay)

    def _embeddings(self, body: dict[str, Any]) -> None:
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        if not 1 <= len(inputs) <= 128:
            return self._send(400, flat_error(INVALID, "input must have between 1 and 128 items"))
        dim = int(body.get("dimensions") or self.fake.embedding_dim)
        data, tokens = [], 0
        for i, text in enumerate(inputs):
            vec: Any = fake_embedding(str(text), dim)
            if body.get("encoding_format") == "base64":
                vec = base64.b64encode(struct.pack(f"<{dim}f", *vec)).decode()
            data.append({"index": i, "embedding": vec, "object": "embedding"})
            tokens += max(1, len(str(text)) // 4)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        reply = {"object": "list", "model": body["model"], "data": data, "usage": usage}
        return self._send(200, reply)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake xAI API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--key", default=DEFAULT_KEY, help="the valid API key (default: test key)")
    parser.add_argument("--stream-delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    fake = FakeXai(api_key=args.key, port=args.port, stream_delay=args.stream_delay).start()
    print(f"fake xAI API at {fake.base_url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
