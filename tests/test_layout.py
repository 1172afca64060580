"""The house rules of the layout (docs/style.md, "The house"), checked on the files themselves.

- xai_core, playground/core, playground/store and every data/compute/figures module import no
  Streamlit;
- playground/ holds only feature packages; the old app_pages/ folder is gone;
- no Python module of the project is over 400 lines, and no page.py over 150.
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
#: Where the project's Python lives (app.py at the root, and these folders).
PROJECT_FOLDERS = ("playground", "xai_core", "local_backend", "tests", "bench", "scripts")
MAX_MODULE_LINES = 400
MAX_PAGE_LINES = 150


def module_name(path: Path) -> str:
    """``playground/models/data/snapshot.py`` -> ``playground.models.data.snapshot``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def streamlit_free_modules() -> list[str]:
    """xai_core, every module of playground/core and playground/store (but its Alembic
    migrations, which run only inside Alembic), and every module that is or sits in a ``data``
    or ``compute`` package, or is named ``compute.py`` / ``figures.py``, under playground/."""
    files = python_files(ROOT / "xai_core") + python_files(PLAYGROUND / "core")
    store = PLAYGROUND / "store"
    files += [p for p in python_files(store) if "migrations" not in p.relative_to(store).parts]
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
    assert {"playground.store", "playground.store.store", "playground.store.safe"} <= set(modules)
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


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def too_long(paths: list[Path], limit: int) -> list[str]:
    """``path (N lines)`` for each of ``paths`` over ``limit`` lines, longest first."""
    counted = sorted(((line_count(p), p) for p in paths), reverse=True)
    return [f"{p.relative_to(ROOT)} ({n} lines)" for n, p in counted if n > limit]


def test_no_module_is_over_400_lines() -> None:
    modules = [ROOT / "app.py"]
    for folder in PROJECT_FOLDERS:
        if (ROOT / folder).is_dir():
            modules += python_files(ROOT / folder)
    assert len(modules) > 50 and ROOT / "xai_core" / "_client.py" in modules
    offenders = too_long(modules, MAX_MODULE_LINES)
    assert offenders == [], f"Over {MAX_MODULE_LINES} lines: {', '.join(offenders)}"


def test_every_page_is_at_most_150_lines() -> None:
    pages = sorted(PLAYGROUND.glob("*/page.py"))
    assert len(pages) >= 4
    offenders = too_long(pages, MAX_PAGE_LINES)
    assert offenders == [], f"Pages over {MAX_PAGE_LINES} lines: {', '.join(offenders)}"
