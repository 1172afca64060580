"""The fake server itself: :class:`FakeXai` starts and stops it, records requests and queues the
faults the :mod:`handler` serves."""

from __future__ import annotations

import threading
from collections import deque
from http.server import ThreadingHTTPServer
from typing import Any

from tests.fake_xai.faults import Fault, RecordedRequest, SlowStart, StreamScript, take_matching
from tests.fake_xai.handler import Handler, QuietServer
from tests.fake_xai.payloads import catalog_lists, flat_error, load_json
from tests.fake_xai.responses_api import ResponseStore

DEFAULT_KEY = "xai-test-key-0123456789"


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
        #: The model lists served instead of the fixtures (``set_catalog``), by route.
        self.catalog: dict[str, Any] | None = None
        #: Stored responses (``previous_response_id``, GET/DELETE /v1/responses/{id}).
        self.responses = ResponseStore()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeXai:
        self._stopped.clear()
        server = QuietServer(("127.0.0.1", self.port), Handler)
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

    def set_catalog(self, entries: list[dict[str, Any]]) -> None:
        """Serve ``entries`` (dicts with an ``id`` and any of ``kind``, ``description``,
        ``context_length``, ``capabilities``) as the server's models, in that order, on
        ``/v1/models``, ``/v1/language-models`` and ``/v1/embedding-models`` (and their ``/{id}``
        forms) until ``clear()``; e.g. ``fake.set_catalog(LOCAL_CATALOG)``."""
        with self._lock:
            self.catalog = catalog_lists(entries)

    @property
    def stream_times(self) -> list[tuple[float, float]]:
        """``(first event sent, last event sent)`` wall-clock times (``time.time()``) of every
        stream that ran to its end, oldest first (for benchmarks)."""
        with self._lock:
            return list(self._stream_times)

    def clear(self) -> None:
        """Forget recorded requests, queued faults, stream scripts, stream times, stored
        responses and the catalog set with ``set_catalog``."""
        self.responses.clear()
        with self._lock:
            self.catalog = None
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
            return take_matching(self._faults, method, path)

    def _take_slow_start(self, method: str, path: str) -> SlowStart | None:
        with self._lock:
            return take_matching(self._slow_starts, method, path)

    def _take_script(self) -> StreamScript | None:
        with self._lock:
            return self._scripts.popleft() if self._scripts else None

    def _note_stream(self, first_sent: float, last_sent: float) -> None:
        with self._lock:
            self._stream_times.append((first_sent, last_sent))
