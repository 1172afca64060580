"""The house rules of the layout (docs/style.md, "The house"), checked on the files themselves.

- xai_core, playground/core and every data/compute/figures module import no Streamlit;
- playground/ holds only feature packages; the old app_pages/ folder is gone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND = ROOT / "playground"
#: Modules (or packages) of these names are pure: data, computation and figures, never Streamlit.
PURE_NAMES = {"data", "compute", "figures"}


def module_name(path: Path) -> str:
    """``playground/models/data/snapshot.py`` -> ``playground.models.data.snapshot``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def streamlit_free_modules() -> list[str]:
    """xai_core, every module of playground/core, and every module that is or sits in a ``data``
    or ``compute`` package, or is named ``compute.py`` / ``figures.py``, under playground/."""
    files = python_files(ROOT / "xai_core") + python_files(PLAYGROUND / "core")
    for path in python_files(PLAYGROUND):
        inside = path.relative_to(PLAYGROUND).parts
        if PURE_NAMES & set(inside[:-1]) or path.stem in PURE_NAMES:
            files.append(path)
    return sorted({module_name(path) for path in files})


CHECK_IMPORTS = """
import importlib, json, sys
checked, offenders = [], []
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    checked.append(name)
    if any(m == "streamlit" or m.startswith("streamlit.") for m in sys.modules):
        offenders.append(name)
        for loaded in [m for m in sys.modules if m == "streamlit" or m.startswith("streamlit.")]:
            del sys.modules[loaded]  # so the next offender shows too
print(json.dumps({"checked": checked, "offenders": offenders}))
"""


def test_pure_modules_import_no_streamlit() -> None:
    modules = streamlit_free_modules()
    assert "playground.embeddings.compute.projection" in modules
    assert {"xai_core", "playground.core.connection", "playground.models.figures"} <= set(modules)
    done = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORTS, json.dumps(modules)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["checked"] == modules
    assert report["offenders"] == [], (
        f"These modules import Streamlit (directly or through what they import): "
        f"{report['offenders']}; keep Streamlit in page.py, the feature's view modules and shell/."
    )


def test_playground_root_holds_only_packages() -> None:
    strays = [
        entry.name
        for entry in PLAYGROUND.iterdir()
        if entry.name not in ("__init__.py", "__pycache__")
        and not (entry.is_dir() and (entry / "__init__.py").is_file())
    ]
    assert strays == [], f"playground/ should hold only feature packages, found {strays}"


def test_there_is_no_app_pages_folder() -> None:
    assert not (ROOT / "app_pages").exists()
    assert not list(ROOT.glob("*/app_pages"))
