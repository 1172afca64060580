"""When to retry a request and how long to wait first."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

__all__ = [
    "MAX_RETRY_AFTER_S",
    "RETRYABLE_STATUS",
    "retry_after_seconds",
    "retry_delay",
    "should_retry_status",
]

#: Statuses worth another try: timeout, conflict, rate limit and server errors.
RETRYABLE_STATUS = frozenset({408, 409, 429})
INITIAL_DELAY_S = 0.5
MAX_BACKOFF_S = 8.0
#: A ``Retry-After`` longer than this is capped, so a page never hangs for minutes.
MAX_RETRY_AFTER_S = 60.0


def should_retry_status(status_code: int) -> bool:
    """True for 408, 409, 429 and every 5xx."""
    return status_code in RETRYABLE_STATUS or status_code >= 500


def _retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if value.strip() else None
    if parsed is None:
        return None
    return parsed.timestamp() - now


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The wait the server asked for (``Retry-After``: seconds or an HTTP date), if readable."""
    try:
        after = _retry_after_seconds(headers, time.time() if now is None else now)
    except (TypeError, ValueError, OverflowError):
        return None
    return None if after is None else max(after, 0.0)


def retry_delay(
    attempt: int,
    headers: Mapping[str, str] | None = None,
    *,
    rng: random.Random | None = None,
    now: float | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first retry).

    ``Retry-After`` (seconds or an HTTP date) wins when present, capped at
    :data:`MAX_RETRY_AFTER_S`; otherwise ``min(0.5 x 2^attempt, 8)`` seconds less up to 25 % jitter.
    """
    after = None if headers is None else retry_after_seconds(headers, now)
    if after is not None:
        return min(after, MAX_RETRY_AFTER_S)
    backoff = min(INITIAL_DELAY_S * 2.0**attempt, MAX_BACKOFF_S)
    jitter = 1.0 - 0.25 * (rng or random).random()
    return backoff * jitter
