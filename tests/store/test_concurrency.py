"""Two writers at once: threads on one Store, two Stores on one database, two processes (one of
them opening a fresh database while the other does, so both try to migrate it)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from playground.store import Store

ROOT = Path(__file__).resolve().parents[2]
TURNS = 40

WRITER = """
import sys
from playground.store import Store
url, who, turns = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(url)
turns_so_far = []
for n in range(turns):
    turns_so_far.append({"role": "user", "content": f"{who} turn {n}"})
    store.put_item(who, f"{who}-chat", "conversation", title=f"{who} chat",
                   body={"turns": turns_so_far}, text=f"{who} turn {n}")
    store.put_item(who, f"{who}-{n}", "prompt", title=f"{who} prompt {n}", body={"n": n})
    store.save_draft(who, "widgets", {"n": n})
store.close()
print("done")
"""


def check(store: Store, who: str, turns: int = TURNS) -> None:
    item = store.get_item(who, f"{who}-chat")
    assert item is not None and len(item.body["turns"]) == turns
    assert len(store.list_items(who, "prompt", limit=1000)) == turns
    assert store.load_draft(who, "widgets") == {"n": turns - 1}
    assert all(row.title.startswith(who) for row in store.list_items(who, "prompt", limit=1000))


def write_turns(store: Store, who: str, errors: list[BaseException]) -> None:
    try:
        turns: list[dict[str, str]] = []
        for n in range(TURNS):
            turns.append({"role": "user", "content": f"{who} turn {n}"})
            store.put_item(
                who, f"{who}-chat", "conversation", title=f"{who} chat", body={"turns": turns}
            )
            store.put_item(who, f"{who}-{n}", "prompt", title=f"{who} prompt {n}", body={"n": n})
            store.save_draft(who, "widgets", {"n": n})
    except BaseException as error:
        errors.append(error)


def run_threads(stores: list[Store]) -> list[BaseException]:
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=write_turns, args=(store, f"ws{i}", errors))
        for i, store in enumerate(stores)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_threads_on_one_store(store: Store) -> None:
    assert run_threads([store, store]) == []
    check(store, "ws0")
    check(store, "ws1")


def test_two_stores_on_one_database(db_url: str) -> None:
    first, second = Store(db_url), Store(db_url)
    try:
        assert run_threads([first, second]) == []
        check(first, "ws1")
        check(second, "ws0")
    finally:
        first.close()
        second.close()


def patient(url: str) -> str:
    """``url`` with a 60 s SQLite busy timeout: on a loaded machine (CI) a writer can wait longer
    than the app's 5 s for the other process's migration; that is a fault SafeStore rides out,
    while this test checks that concurrent writers lose nothing."""
    if not url.startswith("sqlite"):
        return url
    return url + ("&" if "?" in url else "?") + "timeout=60"


def test_two_processes_open_and_write_at_once(db_url: str) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, patient(db_url), who, str(TURNS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("alice", "bob")
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err[-3000:]
        assert out.strip() == "done"
    store = Store(db_url)
    try:
        check(store, "alice")
        check(store, "bob")
        assert store.get_item("alice", "bob-chat") is None
    finally:
        store.close()


def test_versions_from_two_threads_are_numbered_once(store: Store) -> None:
    store.put_item("ws", "p", "prompt", title="P", body={})
    numbers: list[int] = []
    errors: list[BaseException] = []

    def add(prefix: str) -> None:
        try:
            for n in range(15):
                numbers.append(store.add_version("ws", "p", {"text": f"{prefix}{n}"}))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=add, args=(prefix,)) for prefix in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == list(range(1, 31))
    assert [v.number for v in store.list_versions("ws", "p")] == list(range(1, 31))
