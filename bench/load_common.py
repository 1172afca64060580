"""Shared pieces of the load scripts: percentiles, a hard deadline, and stopping what we started.

The load scripts must stop by themselves whatever happens (a hung backend, a browser that never
answers). :class:`HardDeadline` is the last resort: when it fires it stops every child process of
this script (only ours, found by parent id) and exits with :data:`DEADLINE_EXIT_CODE`.
"""

from __future__ import annotations

import atexit
import math
import os
import sys
import threading
import time
from collections.abc import Sequence

import psutil

__all__ = [
    "DEADLINE_EXIT_CODE",
    "HardDeadline",
    "percentile",
    "stop_child_processes",
    "tree_rss_bytes",
]

DEADLINE_EXIT_CODE = 3


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank ``pct`` percentile (0-100) of ``values``; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def report_targets(failures: Sequence[str]) -> int:
    """Print each missed correctness target and the verdict; the script's exit code (1 on any)."""
    for failure in failures:
        print(f"FAIL: {failure}")
    print("load targets: " + ("FAILED" if failures else "all met"))
    return 1 if failures else 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of process ``pid`` and all its descendants, in bytes."""
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return int(total)


def stop_child_processes(grace_s: float = 5.0) -> list[int]:
    """Terminate every descendant of this process (then kill what is left after ``grace_s``).

    Only this script's own children are touched (found from our pid, never by name). Returns the
    pids that were still running.
    """
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return []
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            continue
    _, alive = psutil.wait_procs(children, timeout=grace_s)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(alive, timeout=grace_s)
    return [child.pid for child in children]


class HardDeadline:
    """A watchdog for the whole script: after ``seconds`` it stops our children and exits.

    Also registers :func:`stop_child_processes` with ``atexit`` so a normal exit that skipped a
    ``finally`` still leaves nothing running.
    """

    def __init__(self, seconds: float, label: str) -> None:
        self.seconds = seconds
        self.label = label
        self._ends_at = float("inf")  # set by start()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        #: True once the deadline fired (the script is being stopped).
        self.fired = False

    def start(self) -> HardDeadline:
        """Arm the watchdog and the atexit cleanup; returns ``self``."""
        atexit.register(stop_child_processes)
        self._ends_at = time.monotonic() + self.seconds
        self._timer.start()
        return self

    def remaining(self) -> float:
        """Seconds left before the deadline fires (never negative)."""
        return max(0.0, self._ends_at - time.monotonic())

    def cancel(self) -> None:
        """Disarm the watchdog (the script finished in time)."""
        self._timer.cancel()

    def exit_code(self, code: int) -> int:
        """``code``, or :data:`DEADLINE_EXIT_CODE` if the deadline fired meanwhile."""
        return DEADLINE_EXIT_CODE if self.fired else code

    def _fire(self) -> None:
        self.fired = True
        print(
            f"FAIL: {self.label} hit its hard deadline of {self.seconds:.0f} s; "
            "stopping every process it started.",
            file=sys.stderr,
            flush=True,
        )
        stopped = stop_child_processes()
        print(f"stopped child processes: {stopped or 'none'}", file=sys.stderr, flush=True)
        os._exit(DEADLINE_EXIT_CODE)
