"""The server-side tools of a Responses request (xAI runs them): web search, X search and code
execution, from what the panel holds to the ``tools`` entries the API takes (pure, no Streamlit).

:func:`server_tools` checks everything xAI would refuse before anything is sent: at most 5
domains, allowed *or* excluded (not both), domains written as names (``example.com``), at most 10
X handles written without ``@``, dates as ``YYYY-MM-DD`` with the first not after the last. Each
problem is one message that names the field; with any problem the page sends nothing and keeps
what was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_DOMAINS",
    "MAX_HANDLES",
    "ServerToolSettings",
    "server_tools",
    "split_entries",
]

MAX_DOMAINS = 5
MAX_HANDLES = 10
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)
_HANDLE = re.compile(r"^\w{1,15}$")


@dataclass(frozen=True)
class ServerToolSettings:
    """What the server-side tools panel holds (lists as typed, one entry per line or comma)."""

    web_search: bool = False
    allowed_domains: tuple[str, ...] = ()
    excluded_domains: tuple[str, ...] = ()
    web_image_understanding: bool = False
    x_search: bool = False
    allowed_handles: tuple[str, ...] = ()
    excluded_handles: tuple[str, ...] = ()
    from_date: str = ""
    to_date: str = ""
    x_image_understanding: bool = False
    x_video_understanding: bool = False
    code_execution: bool = False

    @property
    def any_on(self) -> bool:
        """True when some server-side tool is on."""
        return self.web_search or self.x_search or self.code_execution


def split_entries(text: str) -> tuple[str, ...]:
    """Entries typed one per line or separated by commas, blank ones dropped."""
    return tuple(part.strip() for part in re.split(r"[,\n]", text) if part.strip())


def _xor_list(
    allowed: Iterable[str], excluded: Iterable[str], what: str, limit: int
) -> tuple[str, list[str], list[str]]:
    """(``allowed_…``/``excluded_…`` or ``""``, the list, errors) for one allow-or-exclude pair."""
    allowed, excluded = list(allowed), list(excluded)
    if allowed and excluded:
        return "", [], [f"{what}: give allowed or excluded ones, not both."]
    kind, items = ("allowed", allowed) if allowed else ("excluded", excluded)
    if len(items) > limit:
        return kind, items, [f"{what}: at most {limit} {kind}, not {len(items)}."]
    return kind, items, []


def _web_search(settings: ServerToolSettings) -> tuple[dict[str, Any], list[str]]:
    tool: dict[str, Any] = {"type": "web_search"}
    kind, domains, errors = _xor_list(
        settings.allowed_domains, settings.excluded_domains, "Web search domains", MAX_DOMAINS
    )
    bad = [d for d in domains if not _DOMAIN.match(d)]
    if bad:
        errors.append(
            "Web search domains are names such as example.com (no https://, no path): "
            + ", ".join(repr(d) for d in bad)
            + "."
        )
    if kind and domains and not errors:
        tool[f"{kind}_domains"] = [d.lower() for d in domains]
    if settings.web_image_understanding:
        tool["enable_image_understanding"] = True
    return tool, errors


def _date(text: str, name: str, errors: list[str]) -> dt.date | None:
    if not text.strip():
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        errors.append(f"X search {name} must be a date as YYYY-MM-DD, not {text.strip()!r}.")
        return None


def _x_search(settings: ServerToolSettings) -> tuple[dict[str, Any], list[str]]:
    tool: dict[str, Any] = {"type": "x_search"}
    kind, handles, errors = _xor_list(
        settings.allowed_handles, settings.excluded_handles, "X handles", MAX_HANDLES
    )
    with_at = [h for h in handles if h.startswith("@")]
    if with_at:
        errors.append(
            "X handles are written without @: "
            + ", ".join(f"{h[1:]!r} not {h!r}" for h in with_at)
            + "."
        )
    bad = [h for h in handles if not h.startswith("@") and not _HANDLE.match(h)]
    if bad:
        errors.append(
            "X handles are up to 15 letters, digits or _: " + ", ".join(map(repr, bad)) + "."
        )
    if kind and handles and not errors:
        tool[f"{kind}_x_handles"] = list(handles)
    start = _date(settings.from_date, "from date", errors)
    end = _date(settings.to_date, "to date", errors)
    if start is not None and end is not None and start > end:
        errors.append(f"X search from date {start} is after the to date {end}.")
    if start is not None:
        tool["from_date"] = start.isoformat()
    if end is not None:
        tool["to_date"] = end.isoformat()
    if settings.x_image_understanding:
        tool["enable_image_understanding"] = True
    if settings.x_video_understanding:
        tool["enable_video_understanding"] = True
    return tool, errors


def server_tools(settings: ServerToolSettings) -> tuple[list[dict[str, Any]], list[str]]:
    """The ``tools`` entries of the tools that are on, and a message per problem (with any
    problem, nothing should be sent)."""
    tools: list[dict[str, Any]] = []
    errors: list[str] = []
    if settings.web_search:
        tool, problems = _web_search(settings)
        tools.append(tool)
        errors += problems
    if settings.x_search:
        tool, problems = _x_search(settings)
        tools.append(tool)
        errors += problems
    if settings.code_execution:
        tools.append({"type": "code_interpreter"})
    return tools, errors
