"""Responses stream parse throughput: ``xai_core`` against the official ``openai`` SDK.

    .venv/bin/python bench/bench_responses_parse.py [--quick] [--repeat 10] [--rounds 5]

Both clients read the same recorded stream (xAI's X search stream of December 2025 from
``tests/fixtures/responses/x_search_stream.sse``: custom tool calls, four web searches completing
out of order, 1,701 text deltas, 20 citations), its text deltas repeated ``--repeat`` times
(sequence numbers renumbered) so one stream is several MB, served from an ``httpx.MockTransport``
in 16 KB network pieces: no sockets, so the figure is the clients' own work. ``xai_core`` runs
``XaiClient.stream_response`` (SSE parsing, typed events, and the accumulated ``Response`` read at
the end); the baseline is ``OpenAI.responses.create(stream=True)`` iterated to its end (typed
events only). Rounds alternate the two, and the median of each is compared in the same run:
ratio = xai_core events/s / openai events/s, target >= 1.0. Timings never fail a build.
``--quick``: repeat 2, 3 rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xai_core import XaiClient

RECORDING = Path(__file__).resolve().parent.parent / "tests/fixtures/responses/x_search_stream.sse"
TARGET = 1.0
PIECE = 16 * 1024
KEY = "xai-bench-key-not-secret"


def big_stream(repeat: int) -> tuple[bytes, int]:
    """The recording with its text deltas ``repeat`` times over, and its number of events."""
    events = [
        json.loads(block[6:])
        for block in RECORDING.read_text(encoding="utf-8").split("\n\n")
        if block.startswith("data: {")
    ]
    out: list[dict[str, object]] = []
    for event in events:
        copies = repeat if event["type"] == "response.output_text.delta" else 1
        out.extend(dict(event) for _ in range(copies))
    for number, event in enumerate(out):
        event["sequence_number"] = number
    body = "".join(f"data: {json.dumps(event, separators=(',', ':'))}\n\n" for event in out)
    return (body + "data: [DONE]\n\n").encode(), len(out)


class Pieces(httpx.SyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.body), PIECE):
            yield self.body[start : start + PIECE]


def transport(body: bytes) -> httpx.MockTransport:
    headers = {"content-type": "text/event-stream"}
    return httpx.MockTransport(
        lambda request: httpx.Response(200, headers=headers, stream=Pieces(body))
    )


def run_xai_core(http: httpx.Client) -> Callable[[], int]:
    client = XaiClient(api_key=KEY, base_url="http://bench.test/v1", http_client=http)

    def once() -> int:
        count = 0
        with client.stream_response(model="grok-4.3", input="Latest media from xAI?") as stream:
            for _event in stream:
                count += 1
        assert stream.done and stream.result.output_text
        return count

    return once


def run_openai(http: httpx.Client) -> Callable[[], int]:
    from openai import OpenAI

    client = OpenAI(api_key=KEY, base_url="http://bench.test/v1", http_client=http, max_retries=0)

    def once() -> int:
        count = 0
        for event in client.responses.create(
            model="grok-4.3", input="Latest media from xAI?", stream=True
        ):
            count += 1
            _ = event.type
        return count

    return once


def main() -> int:
    """Time both clients on the same stream and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="repeat 2, 3 rounds")
    parser.add_argument("--repeat", type=int, default=10, help="copies of each text delta")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    repeat, rounds = (2, 3) if args.quick else (args.repeat, args.rounds)
    body, events = big_stream(repeat)
    print(f"stream: {events:,} events, {len(body) / 1e6:.1f} MB (text deltas x{repeat})")
    http = httpx.Client(transport=transport(body))
    runners = {"xai_core": run_xai_core(http), "openai": run_openai(http)}
    times: dict[str, list[float]] = {name: [] for name in runners}
    for name, once in runners.items():  # warm-up: imports, pydantic schemas
        if once() != events:
            raise SystemExit(f"{name} saw a different number of events")
    for _ in range(rounds):
        for name, once in runners.items():
            start = time.perf_counter()
            once()
            times[name].append(time.perf_counter() - start)
    rates = {name: events / statistics.median(spent) for name, spent in times.items()}
    for name, rate in rates.items():
        median_ms = statistics.median(times[name]) * 1000
        print(f"{name:>9}: {rate:>10,.0f} events/s  (median {median_ms:.0f} ms per stream)")
    ratio = rates["xai_core"] / rates["openai"]
    verdict = "meets" if ratio >= TARGET else "misses"
    print(f"ratio xai_core/openai: {ratio:.2f} ({verdict} the target >= {TARGET:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
