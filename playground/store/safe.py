"""SafeStore: what the app uses. It never raises on a database fault; it keeps the writes it could
not make (the latest per key) and makes them when the database comes back (pure).

Background writes (``background=True``, the app's store): ``write`` only queues the write and
returns at once; a writer thread of the store makes the queued writes, oldest first, so a page
run never waits for the database. A key's newer write replaces its queued one where that one
stood in line (only the latest is written, and never before a write queued ahead of the first,
e.g. a prompt's creation before its version). A read first makes (or waits for) every queued
write, so it always sees them. After a fault the writes stay queued and the writer retries every
``retry_after`` seconds (at least ``RETRY_FLOOR_S``); at interpreter exit every background store
is flushed (``atexit``), and :func:`flush_all` does it on demand (the tests, after a page run).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import TypeVar

from playground.store.errors import StoreError
from playground.store.store import Store

T = TypeVar("T")
log = logging.getLogger(__name__)
Write = Callable[[Store], None]

#: The writer thread's shortest wait before it retries after a fault.
RETRY_FLOOR_S = 0.5
#: A writer thread with nothing to write for this long ends (the next write starts another).
IDLE_S = 10.0
_BACKGROUND: weakref.WeakSet[SafeStore] = weakref.WeakSet()


def flush_all() -> bool:
    """Make the queued writes of every background store of this process now (trying to reopen
    their databases); True when none has a write left. Runs at interpreter exit."""
    return all([store.flush() for store in list(_BACKGROUND)])


atexit.register(flush_all)


class SafeStore:
    """A Store opened lazily by ``open_store`` and reopened after a fault.

    ``problem`` is a plain sentence for the UI while the database cannot be used (None when
    healthy). A fault is a StoreError (StoreUnavailable included): reads then return their default
    and writes wait in memory. Any other exception from ``fn`` is a bug in the caller: raised by a
    synchronous write of its own key, else logged and the write dropped. After a fault, opening is
    retried at most every ``retry_after`` seconds by reads and writes (so a page does not wait on
    an unreachable server at every rerun); ``flush`` always tries. ``background``: writes are made
    by a writer thread (see the module docstring). Safe to share between threads."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        *,
        retry_after: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        background: bool = False,
    ) -> None:
        """Nothing is opened yet: the first read or write opens the store."""
        self._open = open_store
        self._retry_after = retry_after
        self._clock = clock
        self._background = background
        self._store: Store | None = None
        self._failed_at: float | None = None
        self._pending: dict[str, Write] = {}
        self._lock = threading.RLock()  # guards the fields above; held only briefly
        self._wake = threading.Condition(self._lock)
        self._writing = threading.Lock()  # held while writes are made: one writer at a time
        self._opening = threading.Lock()  # held while the store is opened (outside ``_lock``)
        self._thread: threading.Thread | None = None
        self.problem: str | None = None
        if background:
            _BACKGROUND.add(self)

    @property
    def pending(self) -> int:
        """How many writes wait to be made (for the database, or for the writer thread)."""
        return len(self._pending)

    def _fault(self, error: StoreError, store: Store | None = None) -> None:
        """Note the problem; drop the open store (``store``, when given, is the one that failed:
        another thread may have reopened one since). Called with ``_lock`` held."""
        self.problem = str(error)
        self._failed_at = self._clock()
        if self._store is not None and (store is None or store is self._store):
            store, self._store = self._store, None
            try:
                store.close()
            except Exception:  # closing a broken connection may fail too; it is gone either way
                log.debug("closing the store after a fault failed", exc_info=True)

    def _healthy(self) -> None:
        if not self._pending:
            self.problem = None
            self._failed_at = None

    def _connected(self, force: bool) -> Store | None:
        """The open store, opening it when needed (never with ``_lock`` held: opening may wait
        for a server, and queueing a write must not)."""
        with self._opening:
            with self._lock:
                if self._store is not None:
                    return self._store
                failed = self._failed_at
                if not force and failed is not None and self._clock() - failed < self._retry_after:
                    return None
            try:
                opened = self._open()
            except StoreError as error:
                with self._lock:
                    self._fault(error)
                return None
            with self._lock:
                self._store = opened
            return opened

    def _drain(self, force: bool, raising: str | None = None) -> bool:
        """Make the queued writes, oldest first; True when nothing is left. A non-fault error of
        the write under ``raising`` (the caller's own) is raised; of another one, logged."""
        with self._writing:
            wrote = False
            while True:
                with self._lock:
                    if not self._pending:
                        if wrote:
                            self._healthy()
                        return True
                store = self._connected(force)
                if store is None:
                    return False
                with self._lock:
                    if not self._pending:
                        continue
                    key, fn = next(iter(self._pending.items()))
                try:
                    fn(store)
                except StoreError as error:
                    with self._lock:
                        self._fault(error, store)
                    return False
                except Exception:
                    self._done(key, fn)
                    if key == raising:
                        raise
                    log.exception("a queued write failed and was dropped (key %r)", key)
                    continue
                self._done(key, fn)
                wrote = True

    def _done(self, key: str, fn: Write) -> None:
        """Take ``fn`` off the queue, unless a newer write of ``key`` replaced it meanwhile."""
        with self._lock:
            if self._pending.get(key) is fn:
                del self._pending[key]

    def _writer(self) -> None:
        """The writer thread: make the queued writes; after a fault, wait and retry; end after
        ``IDLE_S`` seconds with nothing to write."""
        while True:
            with self._lock:
                if not self._pending:
                    self._wake.wait(IDLE_S)
                    if not self._pending:
                        self._thread = None
                        return
            if not self._drain(force=False):
                with self._lock:
                    self._wake.wait(max(self._retry_after, RETRY_FLOOR_S))

    def read(self, fn: Callable[[Store], T], default: T) -> T:
        """``fn(store)``, after the queued writes; ``default`` on a fault (``problem`` set).
        ``fn`` runs outside the locks: reads of several sessions do not wait for one another."""
        if not self._drain(force=False):
            return default
        store = self._connected(force=False)
        if store is None:
            return default
        try:
            value = fn(store)
        except StoreError as error:
            with self._lock:
                self._fault(error, store)
            return default
        with self._lock:
            self._healthy()
        return value

    def write(self, key: str, fn: Write) -> bool:
        """Write ``fn(store)`` under ``key``: the latest write per key wins. Synchronous: run it
        now (True), or keep it on a fault (False), retried at the next write or ``flush()``.
        Background: queue it and return at once, True unless the database is known to be down."""
        with self._lock:
            self._pending[key] = fn  # a key already queued keeps its place in line
            if self._background:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._writer, name="store-writer", daemon=True
                    )
                    self._thread.start()
                else:
                    self._wake.notify()
                return self.problem is None
        return self._drain(force=False, raising=key)

    def flush(self) -> bool:
        """Write what is queued now (trying to reopen the store); True when nothing is left."""
        return self._drain(force=True)

    def close(self) -> None:
        """Close the store (queued writes stay; the next call reopens it)."""
        with self._opening, self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
