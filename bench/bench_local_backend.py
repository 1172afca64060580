"""The local backend over HTTP against its own models called in-process, measured in one run.

    .venv/bin/python bench/bench_local_backend.py [--quick]

Prints, each as a ratio to a baseline measured just before on this machine (machines are noisy;
absolute figures are not compared across runs):
- tokens/s of one stream and of 4 concurrent streams, HTTP server / in-process (target >= 0.95);
- embeddings/s for 1,000 and 10,000 sentences, HTTP server / direct onnxruntime on the same
  128-input batches (target >= 0.9). The API caps a request at 128 inputs; calling the embedder
  directly on the whole list (sorted by length across it) is shown too, for context;
- cold start to first token: asking for a backend -> first streamed token (target <= 3 s).

The baseline and the server never run at the same time, so they do not share the two cores.
Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_embeddings import measure_direct, synthetic_sentences
from bench_llm_inprocess import PROMPT, measure_inprocess, measure_streams

from local_backend.launcher import start_local_backend
from xai_core import XaiClient

EMBED_BATCH = 128  # xAI's cap per request
# One request in flight: the model already uses both cores, a second request only adds contention
# (measured here: 2 in flight is ~13 % slower). base64 halves the JSON work on both ends.
EMBED_IN_FLIGHT = 1
EMBED_FORMAT = "base64"


def http_stream(client: XaiClient, model: str, max_tokens: int, seed: int) -> dict[str, float]:
    start = time.perf_counter()
    stream = client.stream_chat(
        model=model,
        messages=[{"role": "user", "content": PROMPT}],
        max_tokens=max_tokens,
        temperature=0.7,
        seed=seed,
    )
    result = stream.until_done()
    tokens = result.usage.completion_tokens if result.usage else 0
    return {
        "tokens": float(tokens),
        "ttft_s": stream.stats.time_to_first_token_s or float("nan"),
        "seconds": time.perf_counter() - start,
    }


def measure_http(client: XaiClient, model: str, max_tokens: int) -> dict[str, Any]:
    """The same workload as ``measure_inprocess``, through the HTTP server."""
    return measure_streams(
        lambda tokens, seed: http_stream(client, model, tokens, seed), max_tokens
    )


def embed_http(client: XaiClient, model: str, texts: list[str]) -> float:
    """Embeddings/s through the server, decoded to float32 arrays as the app uses them."""
    batches = [texts[i : i + EMBED_BATCH] for i in range(0, len(texts), EMBED_BATCH)]

    def embed(batch: list[str]) -> int:
        response = client.embed(model=model, input=batch, encoding_format=EMBED_FORMAT)
        return len(response.vectors())

    embed(texts[:32])  # warm-up, as measure_direct does
    start = time.perf_counter()
    with ThreadPoolExecutor(EMBED_IN_FLIGHT) as pool:
        done = sum(pool.map(embed, batches))
    return done / (time.perf_counter() - start)


def direct_batched(embedder: Any, texts: list[str]) -> float:
    """Embeddings/s calling the embedder directly on the server's 128-input batches."""
    embedder.embed(texts[:32])
    start = time.perf_counter()
    for i in range(0, len(texts), EMBED_BATCH):
        embedder.embed(texts[i : i + EMBED_BATCH])
    return len(texts) / (time.perf_counter() - start)


def cold_start_to_first_token() -> float:
    """From asking for a backend (process start) to the first streamed token."""
    start = time.perf_counter()
    backend = start_local_backend()
    try:
        client = XaiClient(api_key=backend.api_key, base_url=backend.base_url)
        stream = client.stream_chat(
            model="gemma-3-270m", messages=[{"role": "user", "content": "Hi"}], max_tokens=8
        )
        for _ in stream.text_stream():
            return time.perf_counter() - start
        return float("nan")
    finally:
        backend.stop()


def baseline(max_tokens: int, sizes: list[int]) -> dict[str, Any]:
    from local_backend.engines.embedder import MiniLMEmbedder
    from local_backend.engines.llm import LocalLLM
    from local_backend.registry import default_registry

    llm = LocalLLM.from_entry(default_registry().language_models[0])
    try:
        text = measure_inprocess(llm, PROMPT, max_tokens)
    finally:
        llm.close()
    embedder = MiniLMEmbedder()
    batched = {n: direct_batched(embedder, synthetic_sentences(n)) for n in sizes}
    whole = {n: measure_direct(embedder, synthetic_sentences(n)) for n in sizes}
    return {"text": text, "embeds": batched, "embeds_whole": whole}


def verdict(ratio: float, target: float, higher_is_better: bool = True) -> str:
    ok = ratio >= target if higher_is_better else ratio <= target
    return "meets target" if ok else "BELOW TARGET" if higher_is_better else "OVER TARGET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small workloads (for make test)")
    args = parser.parse_args(argv)
    max_tokens, sizes = (48, [1000]) if args.quick else (128, [1000, 10_000])

    base = baseline(max_tokens, sizes)
    backend = start_local_backend()
    try:
        client = XaiClient(api_key=backend.api_key, base_url=backend.base_url, max_retries=0)
        http = measure_http(client, "gemma-3-270m", max_tokens)
        embeds = {n: embed_http(client, "all-minilm-l6-v2", synthetic_sentences(n)) for n in sizes}
    finally:
        backend.stop()
    cold = cold_start_to_first_token()

    mode = "quick" if args.quick else "full"
    print(f"local backend benchmark ({mode}): ratios against a baseline measured in this run")
    text_rows = (("1 stream", "single_tokens_per_s"), ("4 streams", "aggregate_tokens_per_s"))
    for label, key in text_rows:
        ratio = http[key] / base["text"][key]
        print(
            f"  text {label:<9} http {http[key]:6.1f} tok/s / in-process "
            f"{base['text'][key]:6.1f} tok/s = {ratio:.2f}"
            f"  (target >= 0.95: {verdict(ratio, 0.95)})"
        )
    for n in sizes:
        ratio = embeds[n] / base["embeds"][n]
        print(
            f"  embed {n:>6} texts http {embeds[n]:6.0f}/s / direct {base['embeds'][n]:6.0f}/s"
            f" = {ratio:.2f}  (target >= 0.9: {verdict(ratio, 0.9)});"
            f" direct on the whole list {base['embeds_whole'][n]:.0f}/s"
        )
    print(f"  cold start to first token {cold:.2f} s  (target <= 3 s: {verdict(cold, 3.0, False)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
