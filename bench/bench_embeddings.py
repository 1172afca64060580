"""Embeddings per second of the local MiniLM embedder, called directly (the baseline).

    .venv/bin/python bench/bench_embeddings.py [--sizes 1000 10000] [--budget 120]

``measure_direct`` and ``synthetic_sentences`` are imported by the HTTP benchmark, which prints
server/direct ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from local_backend.engines.embedder import MiniLMEmbedder

__all__ = ["measure_direct", "synthetic_sentences"]

_SUBJECTS = [
    "the man", "a woman", "the child", "a monkey", "the old dog", "a young cat", "the teacher",
    "a farmer", "the pilot", "a musician", "the doctor", "my neighbour", "the small bird",
    "a tired student", "the chef", "an engineer",
]  # fmt: skip
_VERBS = [
    "is eating", "is playing", "is reading", "is cooking", "is painting", "is carrying",
    "is watching", "is cleaning", "is fixing", "is selling", "is buying", "is throwing",
    "is holding", "is writing", "is building", "is looking at",
]  # fmt: skip
_OBJECTS = [
    "a piece of bread", "the drums", "a long book", "some rice", "a red fence", "a heavy box",
    "the evening news", "the kitchen floor", "an old bicycle", "fresh vegetables", "a new guitar",
    "a tennis ball", "a cup of tea", "a short letter", "a wooden house", "the distant mountains",
]  # fmt: skip
_ENDINGS = [
    "", "", " in the park", " at home", " on the beach", " near the river", " after lunch",
    " with a friend", " in the rain", " before dinner", " on a busy street", " this morning",
]  # fmt: skip


def synthetic_sentences(n: int, seed: int = 0) -> list[str]:
    """``n`` short English sentences (about 8 to 14 tokens each), the same for the same seed."""
    rng = random.Random(seed)
    return [
        f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_VERBS)} "
        f"{rng.choice(_OBJECTS)}{rng.choice(_ENDINGS)}."
        for _ in range(n)
    ]


def measure_direct(embedder: MiniLMEmbedder, texts: Sequence[str], *, warmup: int = 32) -> float:
    """Embeddings per second of ``embedder.embed(texts)`` in this thread, after a short warm-up."""
    if not texts:
        raise ValueError("texts is empty")
    embedder.embed(list(texts[:warmup]))
    start = time.perf_counter()
    embedder.embed(texts)
    return len(texts) / (time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads")
    parser.add_argument(
        "--budget", type=float, default=120.0, help="skip sizes expected to overrun this (s)"
    )
    args = parser.parse_args(argv)

    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from local_backend.engines.embedder import MiniLMEmbedder

    deadline = time.perf_counter() + args.budget
    embedder = MiniLMEmbedder(threads=args.threads)
    rate: float | None = None
    for size in args.sizes:
        remaining = deadline - time.perf_counter()
        if rate is not None and size / rate > remaining:
            print(f"{size:>7,} sentences: skipped (~{size / rate:.0f} s, {remaining:.0f} s left)")
            continue
        texts = synthetic_sentences(size)
        rate = measure_direct(embedder, texts)
        print(f"{size:>7,} sentences: {rate:8.0f} embeddings/s  ({size / rate:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
