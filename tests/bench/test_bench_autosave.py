"""bench_autosave's two store patches: no-ops that never touch the database, and a clock that
adds up the time spent in the store's calls; both put SafeStore back as it was."""

from __future__ import annotations

import sys
from pathlib import Path

from playground.store import SafeStore, Store

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_autosave import no_store, store_clock


def never_opened() -> Store:
    raise AssertionError("the store was opened")


def test_no_store_reads_defaults_and_writes_nothing() -> None:
    read, write = SafeStore.read, SafeStore.write
    safe = SafeStore(never_opened)
    with no_store():
        assert safe.read(lambda s: s.load_draft("w", "widgets"), "default") == "default"
        assert safe.write("key", lambda s: s.save_draft("w", "widgets", {})) is True
    assert safe.pending == 0
    assert (SafeStore.read, SafeStore.write) == (read, write)


def test_store_clock_adds_up_the_time_in_the_store(tmp_path: Path) -> None:
    read, write = SafeStore.read, SafeStore.write
    safe = SafeStore(lambda: Store(f"sqlite:///{tmp_path / 'workspace.db'}"))
    spent = [0.0]
    with store_clock(spent):
        assert safe.write("key", lambda s: s.save_draft("w", "widgets", {"a": 1}))
        assert safe.read(lambda s: s.load_draft("w", "widgets"), None) == {"a": 1}
    assert spent[0] > 0
    assert (SafeStore.read, SafeStore.write) == (read, write)


def test_store_clock_counts_the_writes_made_on_the_writer_thread(tmp_path: Path) -> None:
    safe = SafeStore(lambda: Store(f"sqlite:///{tmp_path / 'workspace.db'}"), background=True)
    spent, written = [0.0], [0.0]
    with store_clock(spent, written):
        assert safe.write("key", lambda s: s.save_draft("w", "widgets", {"a": 1}))
    assert safe.flush() and written[0] > 0
    assert safe.read(lambda s: s.load_draft("w", "widgets"), None) == {"a": 1}
