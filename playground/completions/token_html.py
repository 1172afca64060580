"""The HTML of the continuation and difference views (pure, no Streamlit); the token view's is
:mod:`playground.core.token_html`.

Every piece of text that came from a user or a model goes through :func:`html.escape` (quotes
included, so it is safe in attributes too); the only markup is the fixed spans built here.
"""

from __future__ import annotations

from collections.abc import Sequence

from playground.completions.sweep import DiffSegment
from playground.core.token_html import PROMPT_SPAN, box, escaped

__all__ = ["continuation_html", "differences_html"]

_OUTPUT = '<span class="output" style="font-weight:600">{}</span>'


def continuation_html(prompt: str, output: str, suffix: str = "", *, cursor: bool = False) -> str:
    """The prompt (grey), the model's text (bold) and the suffix (grey), escaped."""
    body = PROMPT_SPAN.format(escaped(prompt)) + _OUTPUT.format(
        escaped(output) + (" ▌" if cursor else "")
    )
    if suffix:
        body += PROMPT_SPAN.format(escaped(suffix))
    return box("continuation", body)


_SEGMENT_STYLE = {
    "same": "",
    "added": "background:#c8f0c8;color:#111",
    "removed": "background:#f6c6c6;color:#555;text-decoration:line-through",
}


def differences_html(segments: Sequence[DiffSegment]) -> str:
    """A completion compared with the reference: added words green, removed words struck out."""
    parts = []
    for segment in segments:
        style = _SEGMENT_STYLE.get(segment.kind, "")
        text = escaped(segment.text)
        parts.append(
            f'<span class="{segment.kind}" style="{style}">{text}</span>' if style else text
        )
    return box("differences", "".join(parts))
