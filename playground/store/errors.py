"""The store's two errors, and how a driver's exception becomes one of them (pure)."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

#: SQLite messages meaning "try again later": the file is held by another, or cannot be written.
_SQLITE_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "readonly database",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
    "locking protocol",
)
#: PostgreSQL SQLSTATE prefixes that are transient: connection (08), resources (53),
#: operator intervention such as a shutdown (57P), read-only transaction (25006),
#: serialization failure and deadlock (40001, 40P01).
_PG_TRANSIENT = ("08", "53", "57P", "25006", "40001", "40P01")


class StoreError(Exception):
    """The store cannot be used as it is: the message names the file or URL (password redacted)
    and says what is wrong ("not a database", "schema newer than this app", ...)."""


class StoreUnavailable(StoreError):
    """The database is unreachable, locked or read-only for now: retry later."""


def _sqlstate(error: BaseException) -> str:
    orig = getattr(error, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state if isinstance(state, str) else ""


def first_line(error: BaseException) -> str:
    """The first line of what the driver said (or of ``error`` itself)."""
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    return detail[0] if detail else type(error).__name__


def translate(error: Exception, where: str) -> StoreError:
    """The StoreError (or StoreUnavailable) for a driver or SQLAlchemy ``error`` on ``where``."""
    if isinstance(error, StoreError):
        return error
    first = first_line(error)
    lowered = first.lower()
    from_sqlite = type(getattr(error, "orig", None)).__module__.startswith("sqlite3")
    if "not a database" in lowered or "file is encrypted" in lowered:
        return StoreError(f"{where} is not a database (SQLite says: {first})")
    if "malformed" in lowered:
        return StoreError(f"{where} is damaged (SQLite says: {first})")
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return StoreUnavailable(f"lost the connection to {where} ({first})")
    state = _sqlstate(error)
    if state.startswith(_PG_TRANSIENT) or any(text in lowered for text in _SQLITE_TRANSIENT):
        return StoreUnavailable(f"cannot use {where} now ({first})")
    if isinstance(error, OSError) or (
        isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)
        and not state
        and not from_sqlite
    ):  # a server that cannot be reached says so without an SQLSTATE
        return StoreUnavailable(f"cannot reach {where} ({first})")
    return StoreError(f"{where}: {first}")
