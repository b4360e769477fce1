"""Screening gives the same answer whatever the interpreter's hash seed.

Python salts the hash of every string with ``PYTHONHASHSEED``, so a set of words is walked in another order
in each process. An answer must never depend on that order: a tie (a misspelt word as near to "material"
as to "materials") is broken by a rule, not by whichever came first. Each test screens the same names with
``chipscreen screen-file`` in two processes with different hash seeds and compares the output files.
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

from chipscreen.store import Store

SEEDS = ("0", "1")  # "materialy" read as "materials" under one, "material" under the other, before the fix
DATE = "2026-01-15"


def _edited(name: str, rng: random.Random) -> str:
    """``name`` with one letter deleted, doubled, swapped with its neighbour or a letter appended to a
    word: the typos customer data carries, which reach the misspelt-word tables and the fuzzy keys."""
    i = rng.randrange(1, max(2, len(name) - 1))
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2 and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    words = name.split()
    k = rng.randrange(len(words))
    words[k] += rng.choice("aeiosy")
    return " ".join(words)


def _names(store: Store, shared: Path) -> list[str]:
    """A few hundred names: listed names as written and with a typo, and people on no list."""
    listed = sorted({x for x in store.names_table(store.snapshot()).column("name").to_pylist() if x})
    rng = random.Random(12)
    picked = rng.sample(listed, 150)
    names = picked + [_edited(x, rng) for x in picked]
    with (shared / "eval" / "screening_false_positives" / "negatives_global.csv").open(encoding="utf-8") as fh:
        people = [r["full_name"] for r in csv.DictReader(fh) if r["full_name"]]
    names += rng.sample(sorted(people), 100)
    # misspelt common words that are as near to one table word as to another ("materialy")
    names += ["Southwest Institute of Materialy", "Shenzhen Speed Industrial Materialy Co Ltd",
              "Sichuan Dingcheng Materialy Trade Co Ltd", "Huawei Technolgy", "SZ DJI Technolgies Co"]
    return names


def _screen(home: Path, infile: Path, out: Path, seed: str) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "CHIPSCREEN_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "chipscreen", "screen-file", str(infile), "--out", str(out), "--date", DATE,
         "--workers", "1"], env=env, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode not in (0, 1):
        pytest.fail(f"screen-file exited {proc.returncode}: {proc.stderr[-2000:]}")
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_screen_file_answers_do_not_depend_on_the_hash_seed(
    bundled_home: Path, bundled_store: Store, shared: Path, tmp_path: Path
) -> None:
    infile = tmp_path / "names.csv"
    with infile.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name"])
        w.writerows([n] for n in _names(bundled_store, shared))
    runs = [_screen(bundled_home, infile, tmp_path / f"out-{seed}.jsonl", seed) for seed in SEEDS]
    assert len(runs[0]) == len(runs[1]) > 400
    assert sum(bool(r["matches"]) for r in runs[0]) > 200  # the comparison covers many explained matches
    differ = [(a, b) for a, b in zip(*runs, strict=True) if a != b]
    assert not differ, f"{len(differ)} rows differ between hash seeds, first: {differ[0]}"


def test_a_tie_between_two_common_words_is_broken_by_spelling_not_by_set_order() -> None:
    code = ("from chipscreen.names.misspelt import common_word_near; "
            "print(common_word_near('materialy'), common_word_near('technologyes'))")
    outs = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": s},
                           capture_output=True, text=True, check=True).stdout for s in ("0", "1", "2", "3", "4242")}
    assert len(outs) == 1, outs
