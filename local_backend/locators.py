"""Where a model's file comes from: a path, a file inside an installed package, or a file
assembled once into the cache (from installed PyPI packages) and checked against a pinned hash.

Each locator has ``locate() -> Path``, called when the model loads (not when the registry is
built), which raises ``FileNotFoundError`` saying what is missing and how to provide it.

- :class:`LocalFile`: a file the user named (``LOCAL_LLM_GGUF``, ``--gguf``), optionally checked
  for its format's magic bytes (``GGUF``).
- :class:`PackageFile`: a file shipped inside an installed package, found without importing the
  package; an environment variable may point at another copy (MiniLM's ``model.onnx``).
- :class:`AssembledFile`: written once into :func:`cache_dir` by its ``assemble(target,
  on_progress)`` step, then verified against ``sha256`` when one is pinned (a mismatch is refused,
  nothing is kept). Gemma 3 270M's ``assemble`` is its package's own; Qwen2.5-Coder's concatenates
  six part packages (``local_backend.parts``). ``locate(on_progress)`` reports the bytes written.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from local_backend.parts import Progress

__all__ = ["GGUF_MAGIC", "AssembledFile", "LocalFile", "Locator", "PackageFile", "cache_dir"]

#: The first four bytes of every GGUF file.
GGUF_MAGIC = b"GGUF"


def cache_dir() -> Path:
    """``$LOCAL_BACKEND_CACHE``, else ``~/.cache/xai-playground``: where assembled files go."""
    configured = os.environ.get("LOCAL_BACKEND_CACHE")
    return Path(configured or Path.home() / ".cache" / "xai-playground").expanduser()


class Locator(Protocol):
    """How to find (or make) one model file."""

    def locate(self) -> Path:
        """The file's path; raises ``FileNotFoundError`` saying how to provide it."""
        ...


@dataclass(frozen=True)
class LocalFile:
    """A file on disk, named by the user through ``source`` (an option or variable name); when
    ``magic`` is given the file must start with it (``GGUF_MAGIC`` for a GGUF model)."""

    path: Path
    source: str = "the model path"
    magic: bytes = b""

    def locate(self) -> Path:
        """The path, if the file exists (and starts with ``magic``)."""
        path = Path(self.path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"{self.source} names {str(self.path)!r}, which does not exist: fix {self.source}"
            )
        if self.magic:
            with path.open("rb") as file:
                head = file.read(len(self.magic))
            if head != self.magic:
                kind = self.magic.decode(errors="replace")
                raise FileNotFoundError(
                    f"{self.source} names {str(self.path)!r}, which is not a {kind} file "
                    f"(it does not start with {self.magic!r}): fix {self.source}"
                )
        return path


def package_dir(name: str) -> Path | None:
    """Where a top-level package is installed. ``find_spec`` on a top-level name does not
    execute the package, so nothing of it is imported."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    if spec.origin:
        return Path(spec.origin).parent
    return None


@dataclass(frozen=True)
class PackageFile:
    """``relative`` inside the installed package ``package`` (``pip install pip_name``), unless
    the environment variable ``env_var`` points at another copy."""

    package: str
    relative: Path
    what: str
    pip_name: str
    env_var: str

    def locate(self) -> Path:
        """The override's path or the package's file."""
        override = os.environ.get(self.env_var)
        if override:
            path = Path(override).expanduser()
            if not path.is_file():
                raise FileNotFoundError(f"{self.what} not found at {path} (from ${self.env_var})")
            return path
        root = package_dir(self.package)
        if root is None:
            raise FileNotFoundError(
                f"{self.what} not found: package {self.package!r} is not installed "
                f"(pip install {self.pip_name}), and ${self.env_var} is not set"
            )
        path = root / self.relative
        if not path.is_file():
            raise FileNotFoundError(
                f"{self.what} not found: {path} is missing from package {self.package!r}; "
                f"reinstall {self.pip_name} or set ${self.env_var}"
            )
        return path


def sha256_of(path: Path) -> str:
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class AssembledFile:
    """``name`` in the cache, written once by ``assemble(target, on_progress)``; checked against
    ``sha256`` (when pinned) right after assembling, never on later starts. ``assemble`` may
    return the SHA-256 of what it wrote (else the file is hashed after); ``source`` names what to
    reinstall when the hash does not match, and ``damaged()`` may name it more precisely."""

    name: str
    assemble: Callable[[Path, Progress | None], str | None]
    sha256: str | None = None
    source: str = "its packages"
    damaged: Callable[[], str | None] | None = None

    @property
    def path(self) -> Path:
        """Where the assembled file is (or will be)."""
        return cache_dir() / self.name

    def locate(self, on_progress: Progress | None = None) -> Path:
        """The cached file, assembled first if it is not there yet."""
        target = self.path
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{self.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:  # write aside, check, then rename: no caller ever sees a half-written or wrong file
            found = self.assemble(tmp, on_progress)
            if self.sha256 is not None and (found := found or sha256_of(tmp)) != self.sha256:
                tmp.unlink(missing_ok=True)
                named = self.damaged() if self.damaged is not None else None
                raise FileNotFoundError(
                    named
                    or f"{self.name} was assembled with SHA-256 {found}, not the pinned "
                    f"{self.sha256}: reinstall {self.source}"
                )
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return target
