"""The continuation and difference views escape every piece of text."""

from __future__ import annotations

from playground.completions.sweep import DiffSegment
from playground.completions.token_html import continuation_html, differences_html


def test_continuation_and_difference_views_escape_text() -> None:
    markup = continuation_html("a <b>", "& c", "</div>", cursor=True)
    assert "a &lt;b&gt;" in markup and "&amp; c ▌" in markup and "&lt;/div&gt;" in markup
    assert markup.count("</div>") == 1
    diff = differences_html([DiffSegment("same", "x "), DiffSegment("added", "<i>")])
    assert "&lt;i&gt;" in diff and 'class="added"' in diff and "<i>" not in diff
