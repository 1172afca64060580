"""The README's openai SDK example for the local backend runs as written against it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from local_backend.launcher import LocalBackendProcess

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- readme-example: responses-local"


def readme_example() -> str:
    """The Python block right after the README's marker."""
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER) :]
    match = re.search(r"```python\n(.*?)```", after, re.S)
    assert match is not None, "no Python block after the README marker"
    return match.group(1)


def test_readme_responses_example_runs_against_the_local_backend(
    local_server: LocalBackendProcess, tmp_path: Path
) -> None:
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    env = {
        **os.environ,
        "LOCAL_BACKEND_URL": local_server.base_url,
        "LOCAL_API_KEY": local_server.api_key,
    }
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    first_line, streamed = done.stdout.splitlines()[:2]
    assert "zoltan" in first_line.lower()  # the stored first turn was remembered
    assert streamed.strip()  # the streamed reply printed its text
