"""The compiled names engine (``names/native.py``) answers exactly as its sources, and is never used stale.

The suite runs on the compiled modules (``make test`` builds them first); the comparison screens the same
names with ``chipscreen screen-file`` in a process running the plain sources and in one running the build.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from chipscreen.names import native
from chipscreen.store import Store

DATE = "2026-01-15"
SETS = ("handwritten_names.csv", "handwritten_names_2.csv", "handwritten_names_3.csv")


def _names(store: Store, shared: Path) -> list[str]:
    """Customer spellings of every kind (the three hand-written sets), listed names with a letter dropped,
    and people on no list."""
    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
    names: list[str] = []
    for name in SETS:
        with (bench / name).open(encoding="utf-8") as fh:
            names += [r["name"] for r in csv.DictReader(fh)]
    rng = random.Random(5)
    listed = sorted({x for x in store.names_table(store.snapshot()).column("name").to_pylist() if x})
    for name in rng.sample(listed, 200):
        i = rng.randrange(1, max(2, len(name) - 1))
        names += [name, name[:i] + name[i + 1 :]]
    with (shared / "eval" / "screening_false_positives" / "negatives_global.csv").open(encoding="utf-8") as fh:
        names += rng.sample(sorted(r["full_name"] for r in csv.DictReader(fh) if r["full_name"]), 200)
    return names


def _run(args: list[str], home: Path, pure: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHIPSCREEN_HOME": str(home), native.PURE_ENV: "1" if pure else "0"}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=900,
                          check=False)


def test_the_suite_runs_on_the_compiled_engine() -> None:
    assert native.status() == "compiled", f"{native.status()}: run `make native` (the Makefile's test does)"
    assert native.active()


def test_compiled_and_plain_modules_give_the_same_answers(
    bundled_home: Path, bundled_store: Store, shared: Path, tmp_path: Path
) -> None:
    infile = tmp_path / "names.csv"
    with infile.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["name"], *([n] for n in _names(bundled_store, shared))])
    runs = []
    for pure in (True, False):
        which = _run(["-c", "import chipscreen.names, chipscreen.names.native as n; print(n.active())"],
                     bundled_home, pure)
        assert which.stdout.strip() == str(not pure), which.stderr[-2000:]
        out = tmp_path / f"out-{pure}.jsonl"
        proc = _run(["-m", "chipscreen", "screen-file", str(infile), "--out", str(out), "--date", DATE,
                     "--workers", "1"], bundled_home, pure)
        if proc.returncode not in (0, 1):
            pytest.fail(f"screen-file exited {proc.returncode}: {proc.stderr[-2000:]}")
        runs.append([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()])
    assert len(runs[0]) == len(runs[1]) > 1200
    assert sum(bool(r["matches"]) for r in runs[0]) > 700  # explanations, scores and ranks all compared
    differ = [(a["query"], a, b) for a, b in zip(*runs, strict=True) if a != b]
    assert differ == []


def test_a_build_older_than_the_sources_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = tmp_path / "stamp.json"
    monkeypatch.setattr(native, "STAMP", stamp)
    stamp.write_text(json.dumps({"digest": "0" * 64}), encoding="utf-8")
    path: list[str] = []
    assert not native.activate(path) and path == []
    assert "older than the sources" in native.status()
    stamp.write_text(json.dumps({"digest": native.source_digest()}), encoding="utf-8")
    assert native.activate(path) and path == [str(native.COMPILED)]
    stamp.unlink()
    assert "not built" in native.status()


def test_the_plain_sources_can_be_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(native.PURE_ENV, "1")
    path: list[str] = []
    assert not native.activate(path) and path == []
    assert native.PURE_ENV in native.status()


def test_a_compiled_module_is_keyed_by_its_source() -> None:
    from chipscreen.names import pairing

    assert native.source(pairing) == Path(native.PACKAGE) / "pairing.py"
    assert native.source(pairing).is_file()
