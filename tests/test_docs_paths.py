"""Every file the project's documentation names is in the repository: a reader who follows a reference finds
the file, and a rename that forgets a doc fails here instead of in a reader's hands."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP_FOLDERS = ("data", "docs", "src", "tests", "benchmarks", ".ci")
DOC_SUFFIXES = (".md", ".yaml", ".yml", ".py")

# A path into one of the top folders (globs allowed), or a bare file name with a documentation-like suffix.
FOLDERS = "|".join(re.escape(t) for t in TOP_FOLDERS)
PATH = re.compile(rf"(?<![\w./-])((?:\.\./)*(?:{FOLDERS})/[\w./*-]+)")
BARE = re.compile(r"(?<![\w./-])([A-Za-z][\w-]*\.(?:md|yaml|yml|py))(?![\w/])")


def documents() -> list[Path]:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    docs += sorted(p for p in (ROOT / "data").rglob("*.md"))
    docs += sorted((ROOT / "benchmarks").glob("*.md"))
    return docs


def repo_files() -> set[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    tracked = set(out.split())
    # files not yet committed count too (a test run before the commit that adds them)
    tracked |= {str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts}
    return tracked


FILES = repo_files()
BASENAMES = {Path(f).name for f in FILES}


def exists(reference: str, doc: Path) -> bool:
    reference = reference.rstrip(".,;:)")
    for base in (ROOT, doc.parent):
        candidate = (base / reference).resolve()
        if not candidate.is_relative_to(ROOT):
            continue
        if "*" in reference:
            if list(ROOT.glob(str(candidate.relative_to(ROOT)))):
                return True
        elif candidate.exists():
            return True
    return False


def named_paths(text: str) -> list[str]:
    """Paths into this repository; a path in another one, written ``repo @ commit : `path` `` as the list
    provenance does, is not ours to check."""
    return [m.group(1) for m in PATH.finditer(text) if not text[: m.start()].endswith(" : `")]


@pytest.mark.parametrize("doc", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_a_document_names_exists(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    missing = [ref for ref in named_paths(text) if not exists(ref, doc)]
    assert missing == []


@pytest.mark.parametrize("doc", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_a_document_names_by_itself_exists(doc: Path) -> None:
    text = PATH.sub("", doc.read_text(encoding="utf-8"))
    missing = sorted({m.group(1) for m in BARE.finditer(text)} - BASENAMES)
    assert missing == []


def test_the_checker_reports_a_missing_path(tmp_path: Path) -> None:
    doc = ROOT / "README.md"
    assert named_paths("see `data/no-such-table.yml` and data/rulebooks/*.yaml") == [
        "data/no-such-table.yml",
        "data/rulebooks/*.yaml",
    ]
    assert not exists("data/no-such-table.yml", doc)
    assert exists("data/rulebooks/*.yaml", doc)
    assert "design.md" not in BASENAMES or (ROOT / "docs" / "design.md").exists()
