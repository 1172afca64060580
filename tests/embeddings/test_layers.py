"""The embeddings feature's layers: data, compute and figures never import Streamlit; text from
files or servers is shown literally in Streamlit's markdown."""

from __future__ import annotations

import subprocess
import sys

from playground.embeddings.widgets import plain

PURE_MODULES = [
    "playground.embeddings.data.files",
    "playground.embeddings.data.sample",
    "playground.embeddings.data.export",
    "playground.embeddings.compute.jobs",
    "playground.embeddings.compute.projection",
    "playground.embeddings.compute.clusters",
    "playground.embeddings.compute.neighbours",
    "playground.embeddings.figures",
]


def test_data_compute_and_figures_import_no_streamlit() -> None:
    code = f"import sys; import {', '.join(PURE_MODULES)}; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_plain_escapes_markdown_and_links() -> None:
    text = "[click](https://evil.example) **bold** `code` <b>x</b> $x$"
    escaped = plain(text)
    assert "\\[click\\]\\(https://evil\\.example\\)" in escaped
    assert "\\*\\*bold\\*\\*" in escaped and "\\`code\\`" in escaped
    assert "\\<b\\>" in escaped and "\\$x\\$" in escaped
