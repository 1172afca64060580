"""A saved embedding map at scale: writing and reading a 100,000-point map in the workspace store.

    .venv/bin/python bench/bench_saved_map.py [--quick] [--rows 100000] [--text-chars 80]

A pasted dataset of ``--rows`` texts (``--text-chars`` each, so the texts are kept in the body),
2-D coordinates, 30 clusters with labels. Measures, median of 5 (``--quick``: 10,000 rows, 3):

- the page run's part of an autosave: the rows digest (once per new map) and ``build_map``
  (no copy of the texts or the page's colours);
- the writer thread's part: ``map_body`` (base64 arrays) and ``put_item`` (JSON, SQLite);
- reading it back: ``get_item`` and ``map_from_body``;
- the JSON size of the body, and of its coordinates and clusters against body format 1's JSON
  lists (the baseline: what the explorer stored before), as a ratio.

Timings never fail a build (exit 0); an exception does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from playground.embeddings.compute.compare import rows_digest
from playground.embeddings.compute.projection import ProjectionSettings
from playground.embeddings.data.files import Dataset
from playground.embeddings.data.saved_map import KIND, build_map, map_body, map_from_body
from playground.store import Store

T = TypeVar("T")


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result


def main() -> int:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--text-chars", type=int, default=80)
    args = parser.parse_args()
    rows, repeat = (10_000, 3) if args.quick else (args.rows, 5)
    rng = np.random.default_rng(0)
    filler = "x" * max(0, args.text_chars - 12)
    dataset = Dataset([f"{i:>10} {filler}" for i in range(rows)])
    coords = rng.normal(size=(rows, 2)).astype(np.float32)
    clusters = rng.integers(-1, 30, rows)
    colours = [str(c) for c in clusters.tolist()]  # the page's colour groups
    labels = [{"cluster": c, "name": f"topic {c}", "keywords": ["a", "b"]} for c in range(30)]

    digest_s, digest = timed(lambda: rows_digest(dataset), repeat)

    def build() -> Any:
        return build_map(
            dataset=dataset,
            source="pasted",
            model="grok-embed",
            namespace="ns",
            dimensions=None,
            encoding=None,
            settings=ProjectionSettings(),
            coords=coords,
            colour_title="cluster",
            clusters=clusters,
            labels=labels,
            digest=digest,
            colours=colours,
        )

    build_s, saved = timed(build, repeat)
    body_s, body = timed(lambda: map_body(saved), repeat)
    size = len(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
    arrays = len(json.dumps([body["coords"], body["clusters"]]))
    old = len(json.dumps([np.round(coords.astype(np.float64), 5).tolist(), clusters.tolist()]))
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/bench.db")
        put_s, _ = timed(
            lambda: store.put_item("ws", "map", KIND, title="t", body=body) or True, repeat
        )
        get_s, item = timed(lambda: store.get_item("ws", "map"), repeat)
        store.close()
    assert item is not None
    read_s, read = timed(lambda: map_from_body(item.body), repeat)
    assert np.array_equal(read.coords, coords) and len(read.texts or []) == rows

    print(f"saved map of {rows:,} points, {args.text_chars}-character texts (median of {repeat})")
    print(f"  page run : rows digest {digest_s * 1e3:7.1f} ms, build_map {build_s * 1e3:6.1f} ms")
    print(f"  writer   : map_body {body_s * 1e3:7.1f} ms, put_item {put_s * 1e3:7.1f} ms")
    print(f"  read     : get_item {get_s * 1e3:7.1f} ms, map_from_body {read_s * 1e3:7.1f} ms")
    print(f"  body     : {size / 1e6:.2f} MB JSON ({size / rows:.1f} characters a point)")
    print(
        f"  arrays   : {arrays / 1e6:.2f} MB (format 1's JSON lists: {old / 1e6:.2f} MB, "
        f"ratio {arrays / old:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
