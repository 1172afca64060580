"""The workspace store's cost inside the app: per chat turn, and the history list's.

    .venv/bin/python bench/bench_autosave.py [--quick] [--turns 30] [--conversations 1000]

Drives the Chat page in-process with Streamlit's AppTest against the fake xAI server
(tests/fake_xai/, no delay between stream events), the store an SQLite file in a temp folder:

- **autosave per turn**: two sessions of the page chat ``--turns`` messages side by side, one
  with the real store, one with the store's reads and writes replaced by no-ops (``SafeStore.read``
  gives its default, ``SafeStore.write`` does nothing): the page rerun without the store, the
  baseline. Their turns alternate (store first, then no store first, ...) so noise falls on both.
  A turn is the AppTest run that sends a message and streams the reply (it saves the conversation
  before and after the reply and saves the kept widget values; the app's store makes its writes
  on a writer thread, and after each store turn, untimed, the bench waits for them so they never
  fall into the next baseline turn). Prints the median ms per turn of each and the ratio
  (target ≤ 1.05), the median of the paired ratios, the process CPU time per turn of each (the
  store's counted until its writes are made, wherever they ran: less sensitive to other work on
  the machine than the wall clock), the time the page spent in the store's calls and the time
  the writes took on the writer thread. Measured with the History expander closed
  (as the page opens; its list is then neither read nor drawn), then again with it open
  (reported, no target; ``--turns-open``, 0 to skip).
- **history list**: a rerun of the Chat page, History open, for a workspace with
  ``--conversations`` saved conversations (the list: the newest 200) against the same rerun for an
  empty workspace, alternating, median; the difference is what the list costs (target ≤ 300 ms).

Timings never fail a build; a page exception or a reply missing does (exit 1). Bounded: every
AppTest run has a timeout and a hard deadline (``--hard-deadline``, 600 s) stops the script and
exits 3. Loopback only. ``--quick``: 10 turns (5 with the History open), 200 conversations,
fewer reruns.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import fill
from load_common import HardDeadline
from streamlit.testing.v1 import AppTest

from playground.store import SafeStore, Store, flush_all, new_workspace_id
from tests.apptest import new_app
from tests.fake_xai import FakeXai

TURN_TARGET = 1.05
LIST_TARGET_MS = 300.0
HISTORY_LIST = "chat_history_list"  # the key prefix of the History expander's list
HISTORY_OPEN = "chat_history_open"  # the History expander's state
RUN_TIMEOUT_S = 60.0


READ, WRITE = SafeStore.read, SafeStore.write


@contextlib.contextmanager
def no_store() -> Iterator[None]:
    """The store's reads give their default and its writes do nothing, while inside."""

    def skip_read(self: SafeStore, fn: Callable[[Store], Any], default: Any) -> Any:
        return default

    def skip_write(self: SafeStore, key: str, fn: Callable[[Store], None]) -> bool:
        return True

    SafeStore.read, SafeStore.write = skip_read, skip_write  # type: ignore[method-assign]
    try:
        yield
    finally:
        SafeStore.read, SafeStore.write = READ, WRITE  # type: ignore[method-assign]


@contextlib.contextmanager
def store_clock(spent: list[float], written: list[float] | None = None) -> Iterator[None]:
    """Add the seconds spent in the store's reads and writes to ``spent[0]``, and those its writes
    take when made (on any thread: the app's store writes on a writer thread) to ``written[0]``,
    for the writes queued while inside."""

    def read(self: SafeStore, fn: Callable[[Store], Any], default: Any) -> Any:
        started = time.perf_counter()
        try:
            return READ(self, fn, default)
        finally:
            spent[0] += time.perf_counter() - started

    def write(self: SafeStore, key: str, fn: Callable[[Store], None]) -> bool:
        def timed_fn(store: Store) -> None:
            began = time.perf_counter()
            try:
                fn(store)
            finally:
                if written is not None:
                    written[0] += time.perf_counter() - began

        started = time.perf_counter()
        try:
            return WRITE(self, key, timed_fn)
        finally:
            spent[0] += time.perf_counter() - started

    SafeStore.read, SafeStore.write = read, write  # type: ignore[method-assign]
    try:
        yield
    finally:
        SafeStore.read, SafeStore.write = READ, WRITE  # type: ignore[method-assign]


def checked(at: AppTest, what: str) -> AppTest:
    """``at`` after a run: an exception on the page stops the benchmark."""
    if at.exception:
        raise RuntimeError(f"{what}: {[e.value for e in at.exception][:1]}")
    return at


def chat_page(workspace: str, history_open: bool = False) -> AppTest:
    """A new session of ``workspace`` on the Chat page (its History expander open or not), after
    its first run."""
    at = new_app(timeout=RUN_TIMEOUT_S)
    at.session_state["_workspace_id"] = workspace
    at.session_state[HISTORY_OPEN] = history_open
    return checked(at.run(), "opening the Chat page")


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn()`` took."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def send(at: AppTest, text: str, replies: int) -> None:
    """Send ``text``; the page must then show ``replies`` answers."""
    checked(at.chat_input[0].set_value(text).run(), f"sending {text!r}")
    shown = sum(1 for m in at.chat_message if m.name == "assistant")
    if shown != replies:
        raise RuntimeError(f"after {text!r}: {shown} replies on the page, expected {replies}")


@dataclass
class Turns:
    """Per turn of each session: wall and process CPU seconds; for the store's, also the seconds
    the page spent in the store's calls and those its writes took (on the writer thread)."""

    wall_store: list[float] = field(default_factory=list)
    wall_bare: list[float] = field(default_factory=list)
    cpu_store: list[float] = field(default_factory=list)
    cpu_bare: list[float] = field(default_factory=list)
    inside: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)


def autosave_per_turn(turns: int, history_open: bool = False) -> Turns:
    """The two sessions' turns, alternating (see :class:`Turns`). A store turn's CPU time runs
    until its writes are made (waited for after the turn, untimed on the wall clock): the CPU
    ratio counts all the store's work, wherever it ran."""
    stored = chat_page(new_workspace_id(), history_open)
    with no_store():
        bare = chat_page(new_workspace_id(), history_open)
    measured = Turns()
    for n in range(turns):
        text = f"message {n + 1}: tell me about the store"

        def store_turn(n: int = n, text: str = text) -> None:
            spent, written = [0.0], [0.0]
            cpu = time.process_time()
            with store_clock(spent, written):
                measured.wall_store.append(timed(lambda: send(stored, text, n + 1)))
                if not flush_all():  # the writes are made before the next turn
                    raise RuntimeError("the store's writes failed")
            measured.cpu_store.append(time.process_time() - cpu)
            measured.inside.append(spent[0])
            measured.writes.append(written[0])

        def bare_turn(n: int = n, text: str = text) -> None:
            cpu = time.process_time()
            with no_store():
                measured.wall_bare.append(timed(lambda: send(bare, text, n + 1)))
            measured.cpu_bare.append(time.process_time() - cpu)

        for turn in (store_turn, bare_turn) if n % 2 == 0 else (bare_turn, store_turn):
            turn()
    return measured


def history_list(database: str, conversations: int, reruns: int) -> tuple[float, float, int]:
    """Median seconds of a Chat page rerun with ``conversations`` saved vs an empty workspace,
    alternating; and how many items the full workspace's list shows."""
    full, empty = new_workspace_id(), new_workspace_id()
    store = Store(database)
    try:
        fill(store, full, conversations, random.Random(14))
    finally:
        store.close()
    pages = {full: chat_page(full, history_open=True), empty: chat_page(empty, history_open=True)}
    times: dict[str, list[float]] = {full: [], empty: []}
    for n in range(reruns + 1):
        order = (full, empty) if n % 2 == 0 else (empty, full)
        for workspace in order:
            took = timed(pages[workspace].run)
            checked(pages[workspace], "rerunning the Chat page")
            if n:  # the first rerun of each warms it up
                times[workspace].append(took)
    radios = [r for r in pages[full].sidebar.radio if str(r.key).startswith(HISTORY_LIST)]
    shown = len(radios[0].options) if radios else 0
    return statistics.median(times[full]), statistics.median(times[empty]), shown


def report_turns(measured: Turns, history_open: bool = False) -> None:
    """Print the per-turn figures (the target applies with the History closed)."""
    with_store, without = measured.wall_store, measured.wall_bare
    store_ms, bare_ms = statistics.median(with_store) * 1000, statistics.median(without) * 1000
    ratio = store_ms / bare_ms
    paired = statistics.median(s / b for s, b in zip(with_store, without, strict=True))
    verdict = "meets" if ratio <= TURN_TARGET else "MISSES"
    print(
        f"autosave per chat turn, History {'open' if history_open else 'closed'},"
        f" {len(with_store)} turns each (median):"
    )
    print(f"  store reads and writes no-ops (baseline)  {bare_ms:7.1f} ms per turn")
    print(f"  with the store on SQLite                  {store_ms:7.1f} ms per turn")
    target = "reported, no target" if history_open else f"{verdict} ≤ {TURN_TARGET}"
    print(f"  ratio {ratio:.3f}  ({target}); median of paired ratios {paired:.3f}")
    cpu_store, cpu_bare = (
        statistics.median(measured.cpu_store),
        statistics.median(measured.cpu_bare),
    )
    print(
        f"  process CPU per turn {cpu_bare * 1000:.1f} ms without, {cpu_store * 1000:.1f} ms with"
        f" the store (its writes included): ratio {cpu_store / cpu_bare:.3f}"
    )
    inside_ms = statistics.median(measured.inside) * 1000
    print(
        f"  time inside the store's calls on the page: {inside_ms:.1f} ms per turn (median),"
        f" {inside_ms / store_ms:.0%} of a turn with the store"
    )
    print(
        f"  the writes themselves (writer thread): {statistics.median(measured.writes) * 1000:.1f}"
        " ms per turn (median)"
    )
    halves = len(with_store) // 2
    if halves:
        late = statistics.median(with_store[halves:]) / statistics.median(without[halves:])
        print(f"  ratio over the last {len(with_store) - halves} turns (longer bodies): {late:.3f}")


def main(argv: list[str] | None = None) -> int:
    """Run both measures on a fresh SQLite file and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 turns, 200 conversations")
    parser.add_argument("--turns", type=int, default=None, help="chat turns per session")
    parser.add_argument(
        "--turns-open", type=int, default=None, help="turns with the History open (0: skip)"
    )
    parser.add_argument("--conversations", type=int, default=None, help="for the history list")
    parser.add_argument("--hard-deadline", type=float, default=600.0)
    args = parser.parse_args(argv)
    turns = args.turns or (10 if args.quick else 30)
    turns_open = args.turns_open if args.turns_open is not None else (5 if args.quick else 20)
    conversations = args.conversations or (200 if args.quick else 1000)
    reruns = 7 if args.quick else 21
    watchdog = HardDeadline(args.hard_deadline, "bench_autosave").start()
    with FakeXai(stream_delay=0.0) as fake, tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'workspace.db'}"
        os.environ.update(
            PLAYGROUND_DB_URL=database,
            XAI_BASE_URL=fake.base_url,
            XAI_API_KEY=fake.api_key,
            EMBEDDINGS_CACHE_DIR=str(Path(folder) / "embeddings"),
        )
        for name in ("LOCAL_BACKEND_URL", "LOCAL_API_KEY"):
            os.environ.pop(name, None)
        print(f"Chat page in AppTest against the fake xAI server (127.0.0.1), store {database}")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: noisy timings)")
        try:
            report_turns(autosave_per_turn(turns))
            if turns_open:
                report_turns(autosave_per_turn(turns_open, history_open=True), history_open=True)
            full_s, empty_s, shown = history_list(database, conversations, reruns)
        except RuntimeError as exc:
            print(f"FAIL: {exc}")
            return watchdog.exit_code(1)
    watchdog.cancel()
    cost_ms = (full_s - empty_s) * 1000
    verdict = "meets" if cost_ms <= LIST_TARGET_MS else "MISSES"
    print(
        f"history list, {conversations} saved conversations ({shown} listed), page rerun (median):"
    )
    print(f"  empty workspace (baseline)  {empty_s * 1000:7.1f} ms")
    print(f"  {conversations:>5} conversations         {full_s * 1000:7.1f} ms")
    print(f"  the list's cost             {cost_ms:7.1f} ms  ({verdict} ≤ 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
