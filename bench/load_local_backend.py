"""The local backend under 8 concurrent streaming clients for 60 s: errors, latency and memory.

    .venv/bin/python bench/load_local_backend.py [--quick] [--duration 60] [--clients 8]

Starts the real local backend (127.0.0.1 only), warms it with as many simultaneous requests as
there will be clients (so every llama.cpp slot and worker thread has run once), then measures a
baseline: one client alone, time to first token (TTFT) of a few short streaming requests. Then
``--clients`` threads loop streaming requests through ``xai_core`` (varied prompts, 16-32 tokens)
for ``--duration`` seconds: chat to the chat default (Qwen2.5-Coder 0.5B Instruct), completions to
the base model (Gemma 3 270M), as the app's two pages send them. Prints:
- requests completed and errors by type (target 0);
- TTFT p50/p95 under load, and p50 under load / p50 alone (reported, never a failure: the model
  has 4 slots on 2 shared cores, so 8 clients queue);
- aggregate tokens/s;
- the backend's resident memory (its process tree) after warm-up and after the load, and the growth
  against MEMORY_GROWTH_BOUND_MB;
- ``/health`` ``active_generations`` once the clients are done (must return to 0: nothing leaked).

Exits 1 when a correctness target fails (any error, memory growth over the bound, a leaked
generation, a client thread that never finished). ``--quick`` only shortens the baseline; the load
itself keeps the 60 s the issue asks for. Bounded: per-request timeouts, a whole-request limit,
and a hard deadline for the script after which it stops the backend and exits 3.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_common import HardDeadline, percentile, report_targets, tree_rss_bytes

from local_backend.launcher import LocalBackendError, LocalBackendProcess, start_local_backend
from xai_core import DEFAULT_TIMEOUT, ChatStream, CompletionStream, Message, XaiClient

CHAT_MODEL = "qwen2.5-coder-0.5b-instruct"  # the Chat page's default
COMPLETION_MODEL = "gemma-3-270m"  # the Completions page's default
# The model file is mmapped and llama.cpp allocates every slot's KV cache when it loads, so after a
# warm-up that ran every slot the steady state barely moves: +4 to +10 MB over 60 s here. The bound
# is ten times that (glibc's arenas for 8 model threads and Python's caches may move by tens of MB),
# yet a leak that follows traffic trips it: keeping one 1 MB logits row (Gemma's 262,144-token
# vocabulary as float32) per request crosses it after 100 requests, one llama.cpp context (tens of
# MB) after a few. Growth per request is printed too: a slow run does fewer requests.
MEMORY_GROWTH_BOUND_MB = 100.0
# The app's own timeouts (60 s of silence between two chunks, 10 s to connect): an error here is
# one a user of the app would have seen. A queued request sends nothing until its first token.
REQUEST_TIMEOUT = DEFAULT_TIMEOUT
# A stream still running after this is closed and counted as an error; it keeps the drain after the
# load bounded even if the backend trickles (32 tokens take well under 10 s on an idle machine).
WHOLE_REQUEST_LIMIT_S = 120.0
HEALTH_SETTLE_S = 15.0  # how long /health may take to show 0 active generations after the load
PROMPTS = [
    "Name three colours of the sea.",
    "Write one sentence about a lighthouse.",
    "What is the capital of France?",
    "Give me a short tip for learning Python.",
    "Describe a cat in five words.",
    "Tell me a fact about the Moon.",
    "List two fruits that are red.",
    "Say hello in Spanish and in German.",
    "Why is the sky blue? Answer briefly.",
    "Suggest a name for a small bakery.",
    "Once upon a time, in a quiet village by the river,",
    "The three most important rules of cooking are",
]


@dataclass
class RequestResult:
    """One streaming request: its TTFT (None without a token), tokens, and error type if any."""

    kind: str
    ttft_s: float | None
    tokens: int
    error: str | None = None


@dataclass
class LoadFigures:
    """Everything the load phase measured."""

    results: list[RequestResult] = field(default_factory=list)
    wall_s: float = 0.0
    hung_clients: int = 0

    def ok(self) -> list[RequestResult]:
        return [r for r in self.results if r.error is None]

    def errors(self) -> Counter[str]:
        return Counter(r.error for r in self.results if r.error is not None)

    def ttfts(self) -> list[float]:
        return [r.ttft_s for r in self.ok() if r.ttft_s is not None]


def open_stream(
    client: XaiClient, kind: str, prompt: str, max_tokens: int, seed: int
) -> ChatStream | CompletionStream:
    """A streaming chat (the prompt as one user message) or completion request, not yet sent."""
    if kind == "chat":
        messages: list[Message] = [{"role": "user", "content": prompt}]
        return client.stream_chat(
            model=CHAT_MODEL, messages=messages, max_tokens=max_tokens, temperature=0.7, seed=seed
        )
    return client.stream_complete(
        model=COMPLETION_MODEL, prompt=prompt, max_tokens=max_tokens, temperature=0.7, seed=seed
    )


def one_request(
    client: XaiClient, kind: str, prompt: str, max_tokens: int, seed: int
) -> RequestResult:
    """Stream one chat or completion request to its end (or its whole-request limit)."""
    stream = open_stream(client, kind, prompt, max_tokens, seed)
    started = time.monotonic()
    try:
        for _chunk in stream:
            if time.monotonic() - started > WHOLE_REQUEST_LIMIT_S:
                stream.close()
                return RequestResult(
                    kind, stream.stats.time_to_first_token_s, 0, "WholeRequestLimit"
                )
    except Exception as exc:  # every failure is a figure of the report, by type
        return RequestResult(kind, None, 0, type(exc).__name__)
    finally:
        stream.close()
    if not stream.done:
        return RequestResult(kind, None, 0, "Incomplete")
    stats = stream.stats
    return RequestResult(kind, stats.time_to_first_token_s, stats.generated_tokens or 0)


def request_plan(client_index: int, iteration: int) -> tuple[str, str, int, int]:
    """Kind, prompt, max_tokens and seed of a client's n-th request: varied, but reproducible."""
    step = client_index * 7 + iteration
    kind = "chat" if (client_index + iteration) % 2 == 0 else "completion"
    return kind, PROMPTS[step % len(PROMPTS)], 16 + (step * 5) % 17, 1000 * client_index + iteration


def run_in_threads(work: Callable[[int], None], count: int, within_s: float, name: str) -> int:
    """``work(0)`` .. ``work(count - 1)`` in daemon threads, waited for at most ``within_s``;
    returns how many are still running (hung: they die with the script)."""
    threads = [
        threading.Thread(target=work, args=(i,), name=f"{name}-{i}", daemon=True)
        for i in range(count)
    ]
    join_until = time.monotonic() + within_s
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, join_until - time.monotonic()))
    return sum(thread.is_alive() for thread in threads)


def run_clients(
    client: XaiClient, clients: int, duration_s: float, join_within_s: float
) -> LoadFigures:
    """``clients`` threads loop requests for ``duration_s``; a thread still busy after
    ``join_within_s`` is counted as hung."""
    figures = LoadFigures()
    lock = threading.Lock()
    stop_at = time.monotonic() + duration_s

    def loop(index: int) -> None:
        iteration = 0
        while time.monotonic() < stop_at:
            result = one_request(client, *request_plan(index, iteration))
            with lock:
                figures.results.append(result)
            iteration += 1

    started = time.monotonic()
    figures.hung_clients = run_in_threads(loop, clients, join_within_s, "load-client")
    figures.wall_s = time.monotonic() - started
    return figures


def warm_up(client: XaiClient, clients: int) -> list[RequestResult]:
    """As many simultaneous requests as there will be clients, both kinds: every slot runs once.
    A request still running after the whole-request limit (and a margin) counts as "Hung"."""
    results: list[RequestResult] = []

    def one(index: int) -> None:
        results.append(one_request(client, *request_plan(index, 0)))

    hung = run_in_threads(one, clients, WHOLE_REQUEST_LIMIT_S + 30.0, "warm-up")
    return [*results, *(RequestResult("warm-up", None, 0, "Hung") for _ in range(hung))]


def baseline(client: XaiClient, requests: int) -> list[RequestResult]:
    """One client alone: ``requests`` sequential streaming requests with the load's prompt mix."""
    return [one_request(client, *request_plan(0, i)) for i in range(requests)]


def active_generations(backend: LocalBackendProcess, settle_s: float) -> int:
    """``/health``'s ``active_generations``, polled until 0 or ``settle_s`` passes (-1 if it
    never answered)."""
    url = backend.base_url.removesuffix("/v1") + "/health"
    deadline = time.monotonic() + settle_s
    active = -1
    while True:
        try:
            active = int(httpx.get(url, timeout=5.0).json()["active_generations"])
        except (httpx.HTTPError, ValueError, KeyError):
            active = -1
        if active == 0 or time.monotonic() > deadline:
            return active
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a shorter baseline (for make test)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8, help="concurrent streaming clients")
    parser.add_argument(
        "--hard-deadline", type=float, default=600.0, help="seconds before the script gives up"
    )
    args = parser.parse_args(argv)
    watchdog = HardDeadline(args.hard_deadline, "load_local_backend").start()
    baseline_requests = 4 if args.quick else 12

    try:
        backend = start_local_backend(timeout=min(180.0, watchdog.remaining()))
    except LocalBackendError as exc:
        print(f"FAIL: the local backend did not start: {exc}")
        return watchdog.exit_code(1)
    try:
        client = XaiClient(
            api_key=backend.api_key,
            base_url=backend.base_url,
            max_retries=0,  # a retry would hide an error
            timeout=REQUEST_TIMEOUT,
        )
        warm = warm_up(client, args.clients)
        alone = baseline(client, baseline_requests)
        rss_before = tree_rss_bytes(backend.process.pid)
        join_within = min(args.duration + WHOLE_REQUEST_LIMIT_S + 15.0, watchdog.remaining() - 30)
        load = run_clients(client, args.clients, args.duration, join_within)
        active = active_generations(backend, HEALTH_SETTLE_S)
        rss_after = tree_rss_bytes(backend.process.pid)
        backend_alive = backend.running
    except psutil.NoSuchProcess:
        print(f"FAIL: the local backend died during the run:\n{backend.log_tail()}")
        return watchdog.exit_code(1)
    finally:
        backend.stop()
    watchdog.cancel()
    code = report(args, warm, alone, load, active, rss_before, rss_after, backend_alive)
    return watchdog.exit_code(code)


def report(
    args: argparse.Namespace,
    warm: list[RequestResult],
    alone: list[RequestResult],
    load: LoadFigures,
    active: int,
    rss_before: int,
    rss_after: int,
    backend_alive: bool,
) -> int:
    """Print the figures; return 1 if a correctness target failed, else 0."""
    alone_ttfts = [r.ttft_s for r in alone if r.error is None and r.ttft_s is not None]
    alone_errors = Counter(r.error for r in [*warm, *alone] if r.error is not None)
    p50_alone, p50, p95 = (
        percentile(alone_ttfts, 50),
        percentile(load.ttfts(), 50),
        percentile(load.ttfts(), 95),
    )
    tokens = sum(r.tokens for r in load.ok())
    kinds = Counter(r.kind for r in load.ok())
    growth_mb = (rss_after - rss_before) / 2**20
    errors = load.errors()
    print(
        f"local backend load ({'quick baseline' if args.quick else 'full'}): {args.clients} "
        f"streaming clients for {args.duration:.0f} s on 127.0.0.1 (machine shared: noisy timings)"
    )
    print(
        f"  requests completed    {len(load.ok())} ({kinds['chat']} chat, "
        f"{kinds['completion']} completion) in {load.wall_s:.1f} s"
    )
    print(f"  errors                {sum(errors.values())} {dict(errors) or ''}  (target 0)")
    print(
        f"  TTFT alone            p50 {p50_alone * 1000:.0f} ms over {len(alone_ttfts)} requests"
        " (baseline, this run)"
    )
    print(f"  TTFT under load       p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"  ratio p50 load/alone  {p50 / p50_alone:.2f}  (reported, not a target)")
    print(f"  aggregate             {tokens / load.wall_s:.1f} tokens/s ({tokens} tokens)")
    print(
        f"  backend RSS           {rss_before / 2**20:.0f} MB after warm-up -> "
        f"{rss_after / 2**20:.0f} MB after the load: {growth_mb:+.0f} MB "
        f"(bound {MEMORY_GROWTH_BOUND_MB:.0f} MB), "
        f"{growth_mb * 1024 / max(1, len(load.results)):+.0f} KB per request"
    )
    print(f"  active generations    {active} after the load (target 0)")
    failures = []
    if errors or alone_errors:
        failures.append(
            f"errors under load {dict(errors)}, in warm-up/baseline {dict(alone_errors)}"
        )
    if not load.ok():
        failures.append("no request completed")
    if load.hung_clients:
        failures.append(f"{load.hung_clients} client thread(s) never finished")
    if growth_mb > MEMORY_GROWTH_BOUND_MB:
        failures.append(f"memory grew {growth_mb:.0f} MB > {MEMORY_GROWTH_BOUND_MB:.0f} MB")
    if active != 0:
        failures.append(f"active_generations is {active}, not 0 (leaked or no answer)")
    if not backend_alive:
        failures.append("the backend process died during the load")
    return report_targets(failures)


if __name__ == "__main__":
    sys.exit(main())
