"""SafeStore's background writes (``background=True``, the app's store): queued and made by a
writer thread, the latest per key, in the order first queued; reads see them; a fault keeps them
until the database is back; at exit they are flushed."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from playground.store import SafeStore, Store, flush_all
from playground.store import safe as safe_module
from tests.store.test_safe import put, titles

REPO = Path(__file__).resolve().parents[2]


def sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'w.db'}"


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


class Gate:
    """A write that waits until the test opens the gate (so others queue behind it)."""

    def __init__(self) -> None:
        self.entered, self.opened = threading.Event(), threading.Event()

    def __call__(self, store: Store) -> None:
        self.entered.set()
        assert self.opened.wait(10)


def test_a_write_returns_at_once_and_is_made_by_the_writer(tmp_path: Path) -> None:
    safe = SafeStore(lambda: Store(sqlite(tmp_path)), background=True)
    gate = Gate()
    assert safe.write("gate", gate) is True
    assert gate.entered.wait(10)  # the writer thread is inside the first write
    started = time.perf_counter()
    assert safe.write("c1", put("One")) is True
    assert time.perf_counter() - started < 0.5 and safe.pending == 2
    gate.opened.set()
    assert wait_until(lambda: safe.pending == 0)
    assert Store(sqlite(tmp_path)).get_item("ws", "c1") is not None  # on disk, no flush
    assert safe.problem is None


def test_the_latest_write_of_a_key_keeps_its_place_in_line(tmp_path: Path) -> None:
    safe = SafeStore(lambda: Store(sqlite(tmp_path)), background=True)
    made: list[str] = []

    def record(name: str) -> Callable[[Store], None]:
        return lambda store: made.append(name)

    gate = Gate()
    safe.write("gate", gate)
    assert gate.entered.wait(10)
    safe.write("prompt", record("prompt 1"))
    safe.write("version", record("version"))
    safe.write("prompt", record("prompt 2"))  # replaces "prompt 1", still before "version"
    safe.write("prompt", record("prompt 3"))
    gate.opened.set()
    assert safe.flush() is True
    assert made == ["prompt 3", "version"]


def test_a_read_sees_the_queued_writes(tmp_path: Path) -> None:
    safe = SafeStore(lambda: Store(sqlite(tmp_path)), background=True)
    for n in range(5):
        safe.write("c1", put(f"Turn {n}"))
        assert titles(safe) == [f"Turn {n}"]
    assert safe.pending == 0


def test_flush_and_flush_all_make_what_is_queued(tmp_path: Path) -> None:
    first = SafeStore(lambda: Store(sqlite(tmp_path)), background=True)
    other = SafeStore(lambda: Store(f"sqlite:///{tmp_path / 'other.db'}"), background=True)
    gate = Gate()
    first.write("gate", gate)
    assert gate.entered.wait(10)
    first.write("c1", put("First"))
    other.write("c2", put("Other", "c2"))
    threading.Timer(0.2, gate.opened.set).start()
    assert flush_all() is True  # waits for the write in flight, then makes the rest
    assert first.pending == 0 and other.pending == 0
    assert Store(sqlite(tmp_path)).get_item("ws", "c1") is not None
    assert Store(f"sqlite:///{tmp_path / 'other.db'}").get_item("ws", "c2") is not None


def test_a_fault_keeps_the_writes_and_the_writer_makes_them_when_it_is_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_module, "RETRY_FLOOR_S", 0.05)
    state = {"down": True}

    def open_store() -> Store:
        return Store(f"sqlite:///{tmp_path}" if state["down"] else sqlite(tmp_path))

    safe = SafeStore(open_store, retry_after=0.05, background=True)
    assert safe.write("c1", put("First")) is True  # not known to be down yet
    assert wait_until(lambda: safe.problem is not None)
    assert "folder" in str(safe.problem)
    assert safe.write("c1", put("Second")) is False  # known down: kept, the caller is told
    assert safe.write("c2", put("Other", "c2")) is False
    assert safe.pending == 2
    state["down"] = False
    assert wait_until(lambda: safe.pending == 0)  # retried by the writer, no flush, no read
    assert safe.problem is None
    assert sorted(titles(safe)) == ["Other", "Second"]


def test_a_caller_bug_is_logged_and_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    safe = SafeStore(lambda: Store(sqlite(tmp_path)), background=True)
    safe.write("c1", lambda s: s.put_item("mine", "c1", "prompt", title="x", body={}))
    safe.write("c2", lambda s: s.put_item("theirs", "c1", "prompt", title="y", body={}))
    safe.write("c3", put("After", "c3"))
    assert safe.flush() is True and safe.pending == 0 and safe.problem is None
    assert "dropped" in caplog.text and "'c2'" in caplog.text
    assert titles(safe) == ["After"]


def test_the_writer_ends_when_idle_and_a_new_write_starts_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_module, "IDLE_S", 0.05)
    safe = SafeStore(lambda: Store(sqlite(tmp_path)), background=True)
    safe.write("c1", put("One"))
    assert wait_until(lambda: safe._thread is None)
    safe.write("c1", put("Two"))
    assert wait_until(lambda: safe.pending == 0)
    assert titles(safe) == ["Two"]


EXITING_APP = """
import sys, time
sys.path.insert(0, {repo!r})
from playground.store import SafeStore, Store

def slow_open():
    time.sleep(0.5)  # the writes are still queued when the script ends
    return Store({url!r})

safe = SafeStore(slow_open, background=True)
for n in range(3):
    safe.write("c1", lambda s, n=n: s.put_item("ws", "c1", "conversation", title=f"Reply {{n}}",
                                              body={{}}))
print("queued", safe.pending)
"""


def test_queued_writes_are_made_at_interpreter_exit(tmp_path: Path) -> None:
    url = sqlite(tmp_path)
    script = EXITING_APP.format(repo=str(REPO), url=url)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "queued 1" in done.stdout
    item = Store(url).get_item("ws", "c1")
    assert item is not None and item.title == "Reply 2"
