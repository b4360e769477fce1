"""Name screening on a hand-written set of customer-data spellings (issue 12), run through ``screen-file``.

``bench_names_dirty.py`` generates its cases with our own code, so it may flatter the engine. This set was
written by hand, not by that generator: ``benchmarks/data/handwritten_names.csv`` (set 1) holds spellings
of Entity List entries (mostly Chinese) the way customer masters, invoices and cloud sign-ups write them, one ``kind``
per line of issue 12's table, and real companies on no list that share words with listed ones
(``kind`` = negative). Set 2, ``handwritten_names_2.csv``, was written before any fix it measures, on
other entries (CETC/CASC/CASIC/AVIC/CSSC institutes, universities, NSCCs, Russian, Iranian, Pakistani, UAE,
Turkish and Belarusian entries) and other non-listed companies. Set 3, ``handwritten_names_3.csv``, was
written and measured before any fix of its own stop, on entries absent from sets 1-2 (mostly Chinese: equipment
makers, surveillance, Xinjiang, CAS and CETC institutes, Huawei affiliates; a few Russian, Belarusian, Pakistani,
Iranian) and 81 more non-listed companies: the honest estimate of the held-out figure. ``expect`` is a
regular expression the right entry's primary name matches (several entries can carry one name: "Huawei
Technologies Co., Ltd." is on the EL, NS-CMIC and EO 14032 lists).

The bench screens the names with ``chipscreen screen-file`` on the bundled lists, as a user would, and
counts per kind:
- recall@1 at the alert level: an entry with the top score (ties count together) matches ``expect``;
- hit@1: the same, and that match is a hit;
- anywhere: the right entry is among the matches at all;
- on the negatives: false hits (any hit) and alerts (hit or review).
Beside it, in the same run, the named baseline: rapidfuzz WRatio >= 90, the top-scoring listed name.

Usage: ``python benchmarks/bench_names_handwritten.py [--set CSV ...] [--home DIR] [--workers 2] [--show-misses]``
(default: every set, each reported alone).
``--home`` reuses a chipscreen home whose bundled lists are already loaded (the first run loads them).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from chipscreen.bundled import open_store

ROOT = Path(__file__).resolve().parents[1]
SETS = (ROOT / "benchmarks" / "data" / "handwritten_names.csv",
        ROOT / "benchmarks" / "data" / "handwritten_names_2.csv",
        ROOT / "benchmarks" / "data" / "handwritten_names_3.csv")
KINDS = ("exact", "no_legal_form", "abbreviation", "word_order", "spacing", "typo", "chinese", "extra_words",
         "pinyin", "address")


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    expect: re.Pattern[str] | None


@dataclass(frozen=True)
class Answer:
    top: bool
    """An entry with the top score is the right one."""
    hit: bool
    """... and it is a hit."""
    anywhere: bool
    any_hit: bool
    alert: bool
    top_name: str


def load_cases(path: Path) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Case(r["name"], r["kind"], re.compile(r["expect"], re.I) if r["expect"] else None)
                for r in csv.DictReader(fh)]


def screen(cases: list[Case], home: Path, workers: int) -> list[dict[str, object]]:
    """Every case's row of ``screen-file --out x.jsonl``, in order."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "names.csv", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["name"])
            w.writerows([c.name] for c in cases)
        env = {**os.environ, "CHIPSCREEN_HOME": str(home)}
        cmd = [sys.executable, "-m", "chipscreen", "screen-file", str(src), "--out", str(out), "--workers",
               str(workers), "--no-queue"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"screen-file failed ({proc.returncode}): {proc.stderr[-2000:]}")
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
    rows.sort(key=lambda r: int(r["row"]))
    return rows


def judge(case: Case, row: dict[str, object]) -> Answer:
    matches = list(row.get("matches") or [])  # type: ignore[call-overload]
    if not matches:
        return Answer(False, False, False, False, False, "")
    best = max(float(m["score"]) for m in matches)
    tops = [m for m in matches if float(m["score"]) >= best - 1e-9]
    ok = [m for m in tops if case.expect and case.expect.search(str(m["name"]))]
    anywhere = any(case.expect and case.expect.search(str(m["name"])) for m in matches)
    return Answer(bool(ok), any(bool(m["hit"]) for m in ok), bool(anywhere), bool(row.get("hit")), True,
                  str((ok or tops)[0]["name"]))


def wratio(cases: list[Case], home: Path) -> list[tuple[bool, bool]]:
    """(top listed name's entry is right and scores >= 90, the top scores >= 90) per case."""
    with open_store(home) as store:
        rows = store.names_table(store.snapshot()).select(["name", "primary_name"]).to_pylist()
    choices = [utils.default_process(str(r["name"])) for r in rows]
    out = []
    for c in cases:
        got = process.extractOne(utils.default_process(c.name), choices, scorer=fuzz.WRatio, processor=None)
        if got is None:
            out.append((False, False))
            continue
        _, score, j = got
        names = (str(rows[j]["primary_name"]), str(rows[j]["name"]))
        right = bool(c.expect and any(c.expect.search(n) for n in names))
        out.append((right and score >= 90, score >= 90))
    return out


def report(cases: list[Case], ours: list[Answer], rf: list[tuple[bool, bool]], show: bool) -> None:
    idx_by: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        idx_by[c.kind].append(i)
    print(f"  {'kind':14s} {'n':>4s} | {'recall@1':>9s} {'hit@1':>6s} {'anywhere':>8s} | {'WRatio>=90':>10s}")
    pos = [i for i, c in enumerate(cases) if c.kind != "negative"]
    for kind in (*KINDS, "all"):
        idx = pos if kind == "all" else idx_by.get(kind, [])
        if not idx:
            continue
        n = len(idx)
        a, h, w = (sum(ours[i].top for i in idx), sum(ours[i].hit for i in idx), sum(ours[i].anywhere for i in idx))
        r = sum(rf[i][0] for i in idx)
        print(f"  {kind:14s} {n:4d} | {a:4d} {a / n:.3f} {h / n:6.3f} {w / n:8.3f} | {r / n:10.3f}")
    neg = idx_by.get("negative", [])
    if neg:
        n = len(neg)
        fh, al, rfh = sum(ours[i].any_hit for i in neg), sum(ours[i].alert for i in neg), sum(rf[i][1] for i in neg)
        print(f"  negatives      {n:4d} | false hits {fh} ({100 * fh / n:.1f}%), alerts {al} ({100 * al / n:.1f}%)"
              f" | WRatio>=90 false hits {rfh} ({100 * rfh / n:.1f}%)")
    if show:
        for i in pos:
            if not ours[i].top:
                print(f"    miss  [{cases[i].kind}] {cases[i].name!r} -> {ours[i].top_name or '(no match)'!r}")
        for i in neg:
            if ours[i].alert:
                tag = "HIT  " if ours[i].any_hit else "alert"
                print(f"    {tag} [negative] {cases[i].name!r} -> {ours[i].top_name!r}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, action="append", default=None,
                    help="A set to run (repeatable; default: every hand-written set, each reported alone).")
    ap.add_argument("--home", type=Path, default=None, help="A chipscreen home to reuse (default: a new one).")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="chipscreen-handwritten-"))
    for path in args.set or SETS:
        run_set(path, home, args.workers, args.show_misses)


def run_set(path: Path, home: Path, workers: int, show: bool) -> None:
    cases = load_cases(path)
    rows = screen(cases, home, workers)
    ours = [judge(c, r) for c, r in zip(cases, rows, strict=True)]
    rf = wratio(cases, home)
    n_pos = sum(c.kind != "negative" for c in cases)
    n_ent = len({c.expect.pattern for c in cases if c.expect})
    print(f"chipscreen hand-written set ({path.name}): {n_pos} spellings of {n_ent} listed entries, "
          f"{len(cases) - n_pos} non-listed companies; screen-file on the bundled lists")
    report(cases, ours, rf, show)


if __name__ == "__main__":
    main()
