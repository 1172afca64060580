"""The workspace store: the history list with 1,000 saved conversations, and one autosave.

    .venv/bin/python bench/bench_store.py [--quick] [--conversations 1000] [--url URL]

Fills a fresh SQLite file (or ``--url``, e.g. a PostgreSQL database) with conversations of 20
turns each (about 15 kB of JSON: content, reasoning, usage and stats per reply), as the chat page
saves them, plus as many in a second workspace. Then times, median of several runs:

- ``list_items`` of the full workspace against the same call on an empty workspace (the baseline,
  same run), and a case-insensitive search (a word in a few titles/texts, and one in none, which
  reads every row of the workspace); target ≤ 300 ms for the list;
- one ``put_item`` of a 20-turn conversation (an autosave), in ms; the app-level ratio against a
  page rerun is measured separately.

Timings never fail a build. ``--quick``: 200 conversations, fewer repeats.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playground.store import Store, new_item_id, new_workspace_id

TARGET_MS = 300.0
WORDS = [
    "model", "temperature", "tokens", "reply", "answer", "question", "python", "function", "list",
    "data", "chart", "table", "error", "request", "server", "stream", "latency", "cost", "budget",
    "summary", "draft", "email", "plan", "trip", "paris", "berlin", "recipe", "bread", "garden",
    "music", "guitar", "lesson", "exercise", "physics", "energy", "orbit", "planet", "rome",
]  # fmt: skip


def paragraph(rng: random.Random, words: int) -> str:
    """A pseudo-English paragraph of ``words`` words."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def conversation(rng: random.Random, turns: int = 20) -> tuple[str, dict[str, Any], str]:
    """A title, a chat body shaped like the chat page's, and its searchable text."""
    messages: list[dict[str, Any]] = []
    for n in range(turns):
        if n % 2 == 0:
            messages.append({"role": "user", "content": paragraph(rng, rng.randint(10, 40))})
            continue
        messages.append(
            {
                "role": "assistant",
                "content": paragraph(rng, rng.randint(80, 220)),
                "reasoning": paragraph(rng, rng.randint(20, 60)),
                "stats": {
                    "usage": {"prompt_tokens": 300 + n * 40, "completion_tokens": 180},
                    "cost_usd": 0.00042,
                    "latency_s": 1.8,
                    "first_token_s": 0.31,
                    "finish_reason": "stop",
                },
            }
        )
    title = paragraph(rng, 5)[:60]
    body = {
        "model": "grok-4",
        "params": {"temperature": 0.7, "top_p": 0.95, "max_tokens": 1024},
        "system": "Be brief.",
        "messages": messages,
    }
    text = "\n".join(m["content"] for m in messages)
    return title, body, text


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn()`` in ms, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill(store: Store, workspace: str, count: int, rng: random.Random) -> float:
    """Save ``count`` conversations in ``workspace``; the seconds it took."""
    start = time.perf_counter()
    for n in range(count):
        title, body, text = conversation(rng)
        if n % 50 == 0:
            title = f"Zanzibar trip {n}"  # a word only a few conversations hold
        store.put_item(workspace, new_item_id(), "conversation", title=title, body=body, text=text)
    return time.perf_counter() - start


def run(url: str, count: int, repeats: int) -> None:
    """Fill, measure and print."""
    rng = random.Random(14)
    store = Store(url)
    mine, other, empty = new_workspace_id(), new_workspace_id(), new_workspace_id()
    title, body, text = conversation(rng)
    size_kb = len(str(body).encode()) / 1024
    print(f"store: {store.display_url}")
    print(f"{count} conversations of 20 turns (~{size_kb:.0f} kB each) in one workspace,")
    print("as many in another workspace")
    filled = fill(store, mine, count, rng) + fill(store, other, count, rng)
    print(f"  filled in {filled:.1f} s ({filled / (2 * count) * 1000:.1f} ms per conversation)")

    baseline = median_ms(lambda: store.list_items(empty, "conversation"), repeats)
    listed = median_ms(lambda: store.list_items(mine, "conversation"), repeats)
    listed_all = median_ms(lambda: store.list_items(mine, "conversation", limit=count), repeats)
    hit = median_ms(lambda: store.list_items(mine, "conversation", "ZANZIBAR"), repeats)
    miss = median_ms(lambda: store.list_items(mine, "conversation", "no such words"), repeats)
    rows = len(store.list_items(mine, "conversation"))
    hits = len(store.list_items(mine, "conversation", "zanzibar"))
    verdict = "meets" if listed <= TARGET_MS else "MISSES"
    print(f"history list, empty workspace (baseline): {baseline:7.2f} ms")
    print(f"history list, {rows} rows (limit 200):     {listed:7.2f} ms  ({verdict} ≤ 300 ms)")
    print(f"history list, all {count} rows:            {listed_all:7.2f} ms")
    print(f"search, {hits} hits:                        {hit:7.2f} ms")
    print(f"search, no hit (reads every row):        {miss:7.2f} ms")

    chat_id = new_item_id()
    store.put_item(mine, chat_id, "conversation", title=title, body=body, text=text)
    put = median_ms(
        lambda: store.put_item(mine, chat_id, "conversation", title=title, body=body, text=text),
        repeats,
    )
    print(f"one put_item of a 20-turn conversation (autosave): {put:.2f} ms")
    store.close()


def main() -> int:
    """Parse the arguments and run on a fresh SQLite file unless ``--url`` is given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 conversations, fewer repeats")
    parser.add_argument("--conversations", type=int, default=None)
    parser.add_argument(
        "--url", default=None, help="an empty database (default: a temp SQLite file)"
    )
    args = parser.parse_args()
    count = args.conversations or (200 if args.quick else 1000)
    repeats = 7 if args.quick else 21
    if args.url:
        run(args.url, count, repeats)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        run(f"sqlite:///{Path(folder) / 'workspace.db'}", count, repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
