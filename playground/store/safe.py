"""SafeStore: what the app uses. It never raises on a database fault; it keeps the writes it could
not make (the latest per key) and makes them when the database comes back (pure)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from playground.store.errors import StoreError
from playground.store.store import Store

T = TypeVar("T")
log = logging.getLogger(__name__)
Write = Callable[[Store], None]


class SafeStore:
    """A Store opened lazily by ``open_store`` and reopened after a fault.

    ``problem`` is a plain sentence for the UI while the database cannot be used (None when
    healthy). A fault is a StoreError (StoreUnavailable included): reads then return their default
    and writes wait in memory. Any other exception from ``fn`` is a bug in the caller and is
    raised. After a fault, opening is retried at most every ``retry_after`` seconds by reads and
    writes (so a page does not wait on an unreachable server at every rerun); ``flush`` always
    tries. Safe to share between threads."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        *,
        retry_after: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Nothing is opened yet: the first read or write opens the store."""
        self._open = open_store
        self._retry_after = retry_after
        self._clock = clock
        self._store: Store | None = None
        self._failed_at: float | None = None
        self._pending: dict[str, Write] = {}
        self._lock = threading.RLock()
        self.problem: str | None = None

    @property
    def pending(self) -> int:
        """How many writes wait for the database."""
        return len(self._pending)

    def _fault(self, error: StoreError, store: Store | None = None) -> None:
        """Note the problem; drop the open store (``store``, when given, is the one that failed:
        another thread may have reopened one since)."""
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
        if self._store is not None:
            return self._store
        waiting = (
            self._failed_at is not None and self._clock() - self._failed_at < self._retry_after
        )
        if waiting and not force:
            return None
        try:
            self._store = self._open()
        except StoreError as error:
            self._fault(error)
            return None
        return self._store

    def _drain(self, force: bool, raising: str | None = None) -> bool:
        """Write what is pending, oldest first; True when nothing is left. A non-fault error of
        the write under ``raising`` (the caller's own) is raised; of an older one, logged."""
        if not self._pending:
            return True
        while self._pending:
            store = self._connected(force)
            if store is None:
                return False
            key = next(iter(self._pending))
            try:
                self._pending[key](store)
            except StoreError as error:
                self._fault(error)
                return False
            except Exception:
                if key == raising:
                    self._pending.pop(key, None)
                    raise
                log.exception("a pending write failed and was dropped (key %r)", key)
            self._pending.pop(key, None)
        self._healthy()
        return True

    def read(self, fn: Callable[[Store], T], default: T) -> T:
        """``fn(store)``, after the pending writes; ``default`` on a fault (``problem`` set).
        ``fn`` runs outside the lock: reads of several sessions do not wait for one another."""
        with self._lock:
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
        """Run ``fn(store)`` now (True), or keep it under ``key`` on a fault (False): the latest
        write per key wins, and it is retried at the next write or ``flush()``."""
        with self._lock:
            self._pending.pop(key, None)
            self._pending[key] = fn  # the newest, and last in line
            return self._drain(force=False, raising=key)

    def flush(self) -> bool:
        """Write what is pending now (trying to reopen the store); True when nothing is left."""
        with self._lock:
            return self._drain(force=True)

    def close(self) -> None:
        """Close the store (pending writes stay; the next call reopens it)."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
