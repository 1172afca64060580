"""The HTML of the continuation, token and difference views (pure, no Streamlit).

Every piece of text that came from a user or a model goes through :func:`html.escape` (quotes
included, so it is safe in attributes too); the only markup is the fixed spans built here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from playground.completions.probabilities import TokenProbability, probability_colour
from playground.completions.sweep import DiffSegment

__all__ = ["continuation_html", "differences_html", "tokens_html"]

_BOX = (
    '<div class="{cls}" style="white-space:pre-wrap;word-break:break-word;'
    'font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:0.9rem;line-height:1.7">'
    "{body}</div>"
)
_PROMPT = '<span class="prompt" style="color:#888">{}</span>'
_OUTPUT = '<span class="output" style="font-weight:600">{}</span>'


def _text(value: str) -> str:
    return html.escape(value, quote=True)


def continuation_html(prompt: str, output: str, suffix: str = "", *, cursor: bool = False) -> str:
    """The prompt (grey), the model's text (bold) and the suffix (grey), escaped."""
    body = _PROMPT.format(_text(prompt)) + _OUTPUT.format(_text(output) + (" ▌" if cursor else ""))
    if suffix:
        body += _PROMPT.format(_text(suffix))
    return _BOX.format(cls="continuation", body=body)


def tokens_html(prompt: str, tokens: Sequence[TokenProbability], suffix: str = "") -> str:
    """The prompt, then each token on a background coloured by its probability; hovering a
    token shows its probability, entropy and top alternatives (a ``title`` tooltip)."""
    spans = []
    for row in tokens:
        p = row.probability
        tip = f"#{row.index} {row.token!r}: " + ("p unknown" if p is None else f"p = {p:.1%}")
        if row.entropy_bits is not None:
            tip += f", entropy ≥ {row.entropy_bits:.2f} bits"
        if row.alternatives:
            tip += "\ntop: " + row.alternatives_text()
        spans.append(
            f'<span class="token" data-index="{row.index}" title="{_text(tip)}" '
            f'style="background:{probability_colour(p)};border-radius:3px;'
            f'padding:1px 0;color:#111;box-shadow:inset -1px 0 0 rgba(0,0,0,0.25)">'
            f"{_text(row.token)}</span>"
        )
    body = _PROMPT.format(_text(prompt)) + "".join(spans)
    if suffix:
        body += _PROMPT.format(_text(suffix))
    return _BOX.format(cls="token-view", body=body)


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
        text = _text(segment.text)
        parts.append(
            f'<span class="{segment.kind}" style="{style}">{text}</span>' if style else text
        )
    return _BOX.format(cls="differences", body="".join(parts))
