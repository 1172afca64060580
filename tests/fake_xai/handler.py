"""The HTTP side of the fake: routes in xAI's shapes, auth first, then queued faults and scripts."""

from __future__ import annotations

import base64
import contextlib
import json
import select
import socket
import struct
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl

from tests.fake_xai.faults import Fault, RecordedRequest
from tests.fake_xai.payloads import (
    OVERSIZE_PREFIX,
    OVERSIZE_SUFFIX,
    fake_embedding,
    flat_error,
    load_json,
    load_sse,
    redact,
    sse_event,
    with_chat_logprobs,
)
from tests.fake_xai.responses_api import (
    INVALID,
    NOT_FOUND,
    Answer,
    create,
    stored_route,
    tokenize_text,
)

if TYPE_CHECKING:
    from tests.fake_xai.server import FakeXai

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


class QuietServer(ThreadingHTTPServer):
    """Clients that hang up (a closed browser tab, a stopped stream) are not errors here."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """One request: auth, then a queued fault or script, else the route's recorded answer."""

    protocol_version = "HTTP/1.1"
    server_version = "fake-xai/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # silent: never log keys
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

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
            self.fake._note_stream(first_sent or time.time(), time.time())
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
        if path in ("/v1/responses", "/v1/tokenize-text") or path.startswith("/v1/responses/"):
            return self._responses(method, path, query, raw, body)
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
        if not self._body_ok(raw, body, POST_ROUTES[path]):
            return None
        if path == "/v1/embeddings":
            return self._embeddings(body)
        return self._generate(path, body)

    def _body_ok(self, raw: bytes, body: Any, required: tuple[str, ...]) -> bool:
        """True for a JSON object with the ``required`` fields; else the error is sent."""
        if not raw:
            self._send(415, flat_error("Unsupported Media Type", "Expected a JSON body"))
        elif not isinstance(body, dict):
            self._send(400, flat_error(INVALID, "Failed to parse the request body as JSON"))
        else:
            missing = [name for name in required if name not in body]
            if not missing:
                return True
            msg = f"Failed to deserialize the JSON body: missing field `{missing[0]}`"
            self._send(422, flat_error("Unprocessable Entity", msg))
        return False

    def _responses(self, method: str, path: str, query: str, raw: bytes, body: Any) -> None:
        """``/v1/responses`` (create, stored, input items) and ``/v1/tokenize-text``."""
        store = self.fake.responses
        if path.startswith("/v1/responses/") and method != "POST":
            response_id, _, rest = path.removeprefix("/v1/responses/").partition("/")
            return self._answer(
                stored_route(method, response_id, rest, dict(parse_qsl(query)), store)
            )
        if path.startswith("/v1/responses/"):
            return self._send(404, flat_error(NOT_FOUND, f"No route for {method} {path}"))
        if method != "POST":
            return self._send(405, flat_error("Method Not Allowed", f"{method} {path}"))
        tokenizing = path == "/v1/tokenize-text"
        if not self._body_ok(raw, body, ("text",) if tokenizing else ("model", "input")):
            return None
        if tokenizing:
            return self._answer(tokenize_text(body))
        script = self.fake._take_script() if body.get("stream") else None
        if script is not None:
            return self._stream(
                script.events, script.delay, script.cut_after, script.stall_after, script.stall_for
            )
        return self._answer(create(body, self._listing("/v1/models")["data"], store))

    def _answer(self, answer: Answer) -> None:
        if answer.drop:  # the connection closes without an answer
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif answer.events is not None:
            self._stream(answer.events, self.fake.stream_delay, cut_after=answer.cut)
        else:
            self._send(answer.status, answer.body)

    def _listing(self, path: str) -> Any:
        """A list route's body: the catalog set with ``set_catalog``, else the fixture."""
        catalog = self.fake.catalog
        if catalog is not None and path in catalog:
            return catalog[path]
        return load_json(GET_ROUTES[path])

    def _get(self, path: str) -> None:
        if path in GET_ROUTES:
            return self._send(200, self._listing(path))
        collection, _, model_id = path.rpartition("/")
        _, list_key = LISTS[collection]
        for item in self._listing(collection)[list_key]:
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
            # xAI's 2026 spec requires service_tier, which the recorded replies predate
            extra = {"service_tier": "default"} if chat else {}
            if chat and body.get("logprobs"):
                reply = with_chat_logprobs(reply, int(body.get("top_logprobs") or 0))
            return self._send(200, {**reply, "model": body["model"], **extra})
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
                extra = {"service_tier": "default"} if chat else {}
                if chat and body.get("logprobs"):
                    obj = with_chat_logprobs(obj, int(body.get("top_logprobs") or 0))
                event = sse_event({**obj, "model": body["model"], **extra})
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
