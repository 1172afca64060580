"""Text from files or servers is shown literally in Streamlit's markdown (that data, compute and
figures import no Streamlit is checked for every feature in tests/test_layout.py)."""

from __future__ import annotations

from playground.embeddings.widgets import plain


def test_plain_escapes_markdown_and_links() -> None:
    text = "[click](https://evil.example) **bold** `code` <b>x</b> $x$"
    escaped = plain(text)
    assert "\\[click\\]\\(https://evil\\.example\\)" in escaped
    assert "\\*\\*bold\\*\\*" in escaped and "\\`code\\`" in escaped
    assert "\\<b\\>" in escaped and "\\$x\\$" in escaped
