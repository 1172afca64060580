"""The HTML of a token view and the box every text view is drawn in (pure, no Streamlit).

Every piece of text that came from a user or a model goes through :func:`html.escape` (quotes
included, so it is safe in attributes too); the only markup is the fixed spans built here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from playground.core.token_probabilities import TokenProbability, probability_colour

__all__ = ["PROMPT_SPAN", "box", "escaped", "tokens_html"]

_BOX = (
    '<div class="{cls}" style="white-space:pre-wrap;word-break:break-word;'
    'font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:0.9rem;line-height:1.7">'
    "{body}</div>"
)
#: Text around the model's (a prompt, a suffix): grey.
PROMPT_SPAN = '<span class="prompt" style="color:#888">{}</span>'


def escaped(value: str) -> str:
    """``value`` safe in HTML text and attributes."""
    return html.escape(value, quote=True)


def box(cls: str, body: str) -> str:
    """``body`` (markup built here, text escaped) in the monospaced box of class ``cls``."""
    return _BOX.format(cls=cls, body=body)


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
            f'<span class="token" data-index="{row.index}" title="{escaped(tip)}" '
            f'style="background:{probability_colour(p)};border-radius:3px;'
            f'padding:1px 0;color:#111;box-shadow:inset -1px 0 0 rgba(0,0,0,0.25)">'
            f"{escaped(row.token)}</span>"
        )
    body = PROMPT_SPAN.format(escaped(prompt)) + "".join(spans)
    if suffix:
        body += PROMPT_SPAN.format(escaped(suffix))
    return box("token-view", body)
