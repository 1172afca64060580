"""When to retry a request and how long to wait first."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

__all__ = [
    "MAX_RETRY_AFTER_S",
    "MAX_TOTAL_RETRY_WAIT_S",
    "RETRYABLE_STATUS",
    "retry_after_seconds",
    "retry_delay",
    "should_retry_status",
    "wait_before_retry",
]

#: Statuses worth another try: timeout, conflict, rate limit and server errors.
RETRYABLE_STATUS = frozenset({408, 409, 429})
INITIAL_DELAY_S = 0.5
MAX_BACKOFF_S = 8.0
#: The longest ``Retry-After`` the client sleeps for. When the server asks for more, the client
#: does not wait at all: it raises at once with ``retry_after`` set, so a page can say
#: "the server asks to wait N s" instead of hanging.
MAX_RETRY_AFTER_S = 20.0
#: All the sleeps of one request's retries together stay under this.
MAX_TOTAL_RETRY_WAIT_S = 30.0


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
    :data:`MAX_RETRY_AFTER_S` (the client does not retry past it: see :func:`wait_before_retry`);
    otherwise ``min(0.5 x 2^attempt, 8)`` seconds less up to 25 % jitter.
    """
    after = None if headers is None else retry_after_seconds(headers, now)
    if after is not None:
        return min(after, MAX_RETRY_AFTER_S)
    backoff = min(INITIAL_DELAY_S * 2.0**attempt, MAX_BACKOFF_S)
    jitter = 1.0 - 0.25 * (rng or random).random()
    return backoff * jitter


def wait_before_retry(
    attempt: int,
    waited_s: float,
    headers: Mapping[str, str] | None = None,
    *,
    rng: random.Random | None = None,
    now: float | None = None,
) -> float | None:
    """Seconds to sleep before retry number ``attempt``, or ``None`` to give up now: when the
    server asks to wait longer than :data:`MAX_RETRY_AFTER_S`, or when the sleep would take the
    request's retries (``waited_s`` so far) past :data:`MAX_TOTAL_RETRY_WAIT_S`."""
    after = None if headers is None else retry_after_seconds(headers, now)
    if after is not None and after > MAX_RETRY_AFTER_S:
        return None
    delay = retry_delay(attempt, headers, rng=rng, now=now)
    if waited_s + delay > MAX_TOTAL_RETRY_WAIT_S:
        return None
    return delay
