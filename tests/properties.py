"""What the property tests share: runs that repeat exactly (the same examples every time, no
example database) with no deadline per example (a slow machine is not a failure). Each test file
derives its own settings from it: ``settings(REPEATABLE, max_examples=...)``."""

from __future__ import annotations

from hypothesis import settings

REPEATABLE = settings(deadline=None, derandomize=True, database=None)
