"""In-process throughput of the local text model (no HTTP): single stream and 4 concurrent streams.

Run: ``.venv/bin/python bench/bench_llm_inprocess.py``. The HTTP benchmark imports
:func:`measure_inprocess` to compute the server / in-process ratio on the same workload.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROMPT = "Write a long story about a lighthouse keeper who finds a message in a bottle."


def _one_stream(llm: Any, prompt: str, max_tokens: int, seed: int) -> dict[str, float]:
    """Stream one chat completion; return its token count, time to first token and duration."""
    start = time.perf_counter()
    first: list[float] = []
    usage: dict[str, Any] = {}

    def on_chunk(chunk: dict[str, Any]) -> bool:
        if chunk.get("choices") and not first:
            first.append(time.perf_counter() - start)
        usage.update(chunk.get("usage") or {})
        return False

    request = {
        "model": llm.model_id,
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": max_tokens,
        "temperature": 0.7,
        "seed": seed,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    llm.stream_chat(request, on_chunk)
    return {
        "tokens": float(usage.get("completion_tokens", 0)),
        "ttft_s": first[0] if first else float("nan"),
        "seconds": time.perf_counter() - start,
    }


def measure_streams(
    one_stream: Callable[[int, int], dict[str, float]],
    max_tokens: int,
    *,
    runs: int = 2,
    concurrency: int = 4,
) -> dict[str, Any]:
    """Tokens/s of one stream (median of ``runs``) and aggregate tokens/s of ``concurrency``
    simultaneous streams. ``one_stream(max_tokens, seed)`` runs one stream and returns its
    ``tokens``, ``ttft_s`` and ``seconds``; the HTTP benchmark passes its own."""
    one_stream(4, 0)  # warm the prompt cache and threads
    singles = [one_stream(max_tokens, i) for i in range(runs)]
    results: list[dict[str, float]] = [{} for _ in range(concurrency)]

    def worker(i: int) -> None:
        results[i] = one_stream(max_tokens, 100 + i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    total = sum(r["tokens"] for r in results)
    return {
        "max_tokens": max_tokens,
        "single_tokens_per_s": statistics.median(s["tokens"] / s["seconds"] for s in singles),
        "single_ttft_s": statistics.median(s["ttft_s"] for s in singles),
        "single_tokens": [int(s["tokens"]) for s in singles],
        "concurrency": concurrency,
        "aggregate_tokens_per_s": total / wall,
        "aggregate_tokens": int(total),
        "aggregate_wall_s": wall,
    }


def measure_inprocess(
    llm: Any, prompt: str, max_tokens: int, *, runs: int = 2, concurrency: int = 4
) -> dict[str, Any]:
    """:func:`measure_streams` through ``llm.stream_chat`` callbacks, no HTTP.

    Tokens are the completion_tokens llama.cpp reports (a stream may end before ``max_tokens``).
    """
    return measure_streams(
        lambda tokens, seed: _one_stream(llm, prompt, tokens, seed),
        max_tokens,
        runs=runs,
        concurrency=concurrency,
    )


def main() -> None:
    """Load the default model, measure, print the figures."""
    from local_backend.engines.llm import LocalLLM
    from local_backend.registry import default_registry

    entry = default_registry().language_models[0]
    path = entry.file.locate()
    start = time.perf_counter()
    llm = LocalLLM.from_entry(entry)
    load_s = time.perf_counter() - start
    try:
        figures = measure_inprocess(llm, PROMPT, 128)
    finally:
        llm.close()
    print(f"model load:            {load_s:.2f} s  ({path.name})")
    print(f"single stream:         {figures['single_tokens_per_s']:.1f} tokens/s")
    print(f"time to first token:   {figures['single_ttft_s'] * 1000:.0f} ms")
    print(
        f"{figures['concurrency']} concurrent streams:  "
        f"{figures['aggregate_tokens_per_s']:.1f} tokens/s aggregate "
        f"({figures['aggregate_tokens']} tokens in {figures['aggregate_wall_s']:.1f} s)"
    )
    print(json.dumps({"load_s": round(load_s, 3), **figures}))


if __name__ == "__main__":
    main()
