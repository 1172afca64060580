"""What a Responses reply says besides its text, as plain words and Markdown (pure, no Streamlit):
its server-side tool calls ("Searching the web: <query>"), their sources and the reply's citations
as links, and why it is incomplete (its cost split is :mod:`playground.core.replies`').

Everything here comes from a model or a web page, so it is untrusted: link text is escaped for
Markdown, only ``http(s)`` URLs become links, and nothing is ever HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "citations_markdown",
    "escape_markdown",
    "incomplete_text",
    "markdown_link",
    "tool_activity_line",
]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")
_INCOMPLETE = {
    "max_output_tokens": "it reached max_output_tokens",
    "max_prompt_tokens": "the prompt is longer than the model takes",
    "max_time_limit": "it ran out of time",
}


def escape_markdown(text: str) -> str:
    """``text`` shown literally in Markdown (one line: newlines become spaces)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown_link(title: str, url: str) -> str:
    """``[title](url)`` with the title escaped; a URL that is not ``http(s)`` (or has spaces or
    angle brackets) is shown as escaped text, not as a link."""
    shown = escape_markdown(title or url)
    if not re.fullmatch(r"https?://[^\s<>]+", url):
        return shown
    target = url.replace("(", "%28").replace(")", "%29")
    return f"[{shown}]({target})"


def citations_markdown(citations: Iterable[Mapping[str, Any]]) -> str:
    """The reply's citations as a numbered Markdown list of links ("" when there are none)."""
    lines = [
        f"{number}. {markdown_link(str(c.get('title') or ''), str(c.get('url') or ''))}"
        for number, c in enumerate(citations, start=1)
        if c.get("url")
    ]
    return "\n".join(lines)


def _running(status: str | None) -> bool:
    return status in ("in_progress", "searching", "executing", "interpreting", "generating")


def tool_activity_line(call: Mapping[str, Any]) -> str:
    """One server-side tool call in words, Markdown-escaped: ``Searching the web: <query>``
    while it runs, ``Searched the web: <query>`` once done, ``X search (x_keyword_search): ...``,
    ``Running code`` ..."""
    kind, status = str(call.get("kind") or ""), call.get("status")
    running = _running(status)
    query = escape_markdown(str(call.get("query") or ""))
    name = escape_markdown(str(call.get("name") or ""))
    if kind == "web_search":
        verb = "Searching the web" if running else "Searched the web"
        line = f"{verb}: {query}" if query else verb
    elif kind == "x_search":
        verb = "Searching X" if running else "Searched X"
        sub = f" ({name})" if name else ""
        line = f"{verb}{sub}: {query}" if query else f"{verb}{sub}"
    elif kind == "code_execution":
        line = "Running code" if running else "Ran code"
    else:
        label = escape_markdown(kind or "tool")
        line = f"{label}{f' ({name})' if name else ''}: {escape_markdown(str(status or ''))}"
    if status == "failed":
        line += " (failed)"
    return line


def incomplete_text(reason: str | None) -> str:
    """Why a reply stopped early, from ``incomplete_details.reason``."""
    said = _INCOMPLETE.get(reason or "", f"the server says {reason}" if reason else "")
    return f"Incomplete: {said}." if said else "Incomplete."
