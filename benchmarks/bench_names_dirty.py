"""Name screening on dirty customer data (issue 12; docs/names.md §5): listed organisations' names as
customer masters, invoices and sign-up forms write them, and real companies on no list.

The set is generated (``benchmarks/dirty_names.py``) from the bundled lists with a seed: per kind of
writing (exact alias with case noise, no legal form, trade-document abbreviations, word order, spacing and
punctuation, one or two letter typos, a branch / department / site suffix, the name followed by an address,
Hanyu Pinyin of a Chinese registered name, Chinese characters) and real non-listed companies (GLEIF, China's
and Japan's own lists), each checked against every listed name.

Prints per kind, in one run:
- chipscreen: recall@1 (the top match is the right entry, at the alert level: hit or review) and hit@1 (the
  top match is the right entry and a hit); on the negatives, false hits and alerts;
- rapidfuzz WRatio >= 90 over every listed name (the top-scoring name);
- logic-v2 (nomenklatura, in its own virtualenv, ``--nk-python``) at 0.70 on the top candidates a
  rapidfuzz retrieval gives (yente-style: retrieval, then the matcher).

Usage: ``python benchmarks/bench_names_dirty.py [--seed 12] [--per-kind 130] [--negatives 400]
[--nk-python PATH] [--dump cases.csv]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
from rapidfuzz import fuzz, process, utils

from chipscreen.bundled import open_store
from chipscreen.names.index import NameIndex
from chipscreen.names.screener import Screener
from dirty_names import KINDS, Case, negatives, positives

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHIPSCREEN_SHARED", ROOT.parent / "shared" / "data"))
NK_DEFAULT = ROOT / "benchmarks" / ".nkenv" / "bin" / "python"
RETRIEVE = 5
"""Candidates the rapidfuzz retrieval hands logic-v2 per query (yente retrieves a few dozen by text search)."""


def ours(cases: list[Case], names: pa.Table, idents: pa.Table, workers: int) -> list[tuple[str | None, bool, bool]]:
    """(top entity id, top is a hit, any hit) per case."""
    index = NameIndex.from_tables(names, idents)
    screener = Screener(index=index, max_matches=3)
    out = []
    t0 = time.perf_counter()
    for res in screener.screen_many([c.query for c in cases], workers=workers, all_dates=True):
        top = res.matches[0] if res.matches else None
        out.append((top.entity_id if top else None, bool(top and top.hit), res.hit))
    print(f"  chipscreen screened {len(cases):,} queries in {time.perf_counter() - t0:.1f} s")
    return out


def retrieval(cases: list[Case], rows: list[dict[str, object]]) -> list[list[tuple[int, float]]]:
    """Top RETRIEVE listed names per query by WRatio (the rapidfuzz baseline reads the first)."""
    choices = [utils.default_process(str(r["name"])) for r in rows]
    queries = [utils.default_process(c.query) for c in cases]
    got: list[list[tuple[int, float]]] = []
    t0 = time.perf_counter()
    for k in range(0, len(queries), 64):
        m = process.cdist(queries[k : k + 64], choices, scorer=fuzz.WRatio, processor=None, workers=-1,
                          dtype=np.int16)
        top = np.argsort(-m, axis=1, kind="stable")[:, :RETRIEVE]
        got.extend([(int(j), float(m[q, j])) for j in top[q]] for q in range(m.shape[0]))
    print(f"  rapidfuzz retrieval: {len(cases) / (time.perf_counter() - t0):,.1f} queries/s")
    return got


def cached_retrieval(cases: list[Case], rows: list[dict[str, object]], path: Path | None
                     ) -> list[list[tuple[int, float]]]:
    """``retrieval``, kept in ``path`` for the same cases and listed names: it does not depend on chipscreen
    and is the slow part of a run (WRatio over every listed name)."""
    stamp = hashlib.sha256(json.dumps([[c.query for c in cases], [str(r["name"]) for r in rows]]).encode()).hexdigest()
    if path is not None and path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("stamp") == stamp:
            print(f"  rapidfuzz retrieval read from {path}")
            return [[(int(i), float(s)) for i, s in c] for c in saved["cands"]]
    got = retrieval(cases, rows)
    if path is not None:
        path.write_text(json.dumps({"stamp": stamp, "cands": got}), encoding="utf-8")
    return got


def logic_v2(cases: list[Case], rows: list[dict[str, object]], cands: list[list[tuple[int, float]]],
             nk: Path) -> list[tuple[str | None, bool]] | None:
    """logic-v2's best candidate per query and whether it scores >= 0.70."""
    if not nk.exists():
        print(f"  logic-v2: no nomenklatura environment at {nk} (--nk-python); left out")
        return None
    pairs = [(qi, ri) for qi, cs in enumerate(cands) for ri, _ in cs]
    payload = "".join(json.dumps({"schema": "Company", "name1": cases[qi].query, "name2": str(rows[ri]["name"])}) + "\n"
                      for qi, ri in pairs)
    proc = subprocess.run([str(nk), str(ROOT / "benchmarks" / "_logicv2_worker.py")], input=payload, text=True,
                          capture_output=True, check=True, timeout=7200)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
    print(f"  logic-v2 scored {len(pairs):,} pairs in {lines[-1]['seconds']:.0f} s")
    best: dict[int, tuple[float, int]] = {}
    for (qi, ri), rec in zip(pairs, lines[:-1], strict=True):
        if qi not in best or rec["score"] > best[qi][0]:
            best[qi] = (float(rec["score"]), ri)
    out: list[tuple[str | None, bool]] = []
    for qi in range(len(cases)):
        s, ri = best.get(qi, (0.0, -1))
        out.append((str(rows[ri]["entity_id"]) if ri >= 0 else None, s >= 0.70))
    return out


def report(cases: list[Case], ours_: list[tuple[str | None, bool, bool]],
           rf: list[tuple[str | None, bool]], lv2: list[tuple[str | None, bool]] | None) -> None:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        by_kind[c.kind if c.truth else "negatives"].append(i)
    head = f"  {'kind':14s} {'n':>5s} | {'chipscreen @1':>13s} {'hit@1':>6s} | {'WRatio>=90':>10s} | {'logic-v2':>8s}"
    print("\n== positives: recall@1 (alert level for chipscreen; the baselines' top match over their threshold)")
    print(head)
    tot = [0, 0, 0, 0, 0]
    for kind in (*KINDS, "all"):
        idx = [i for i, c in enumerate(cases) if c.truth and (kind == "all" or c.kind == kind)]
        if not idx:
            continue
        a = sum(ours_[i][0] in cases[i].truth for i in idx)
        h = sum(ours_[i][0] in cases[i].truth and ours_[i][1] for i in idx)
        r = sum(rf[i][0] in cases[i].truth and rf[i][1] for i in idx)
        v = sum(lv2[i][0] in cases[i].truth and lv2[i][1] for i in idx) if lv2 else None
        n = len(idx)
        vtxt = f"{v / n:8.3f}" if v is not None else "     n/a"
        print(f"  {kind:14s} {n:5d} | {a / n:13.3f} {h / n:6.3f} | {r / n:10.3f} | {vtxt}")
        if kind != "all":
            tot = [tot[0] + n, tot[1] + a, tot[2] + h, tot[3] + r, tot[4] + (v or 0)]
    neg = [i for i, c in enumerate(cases) if not c.truth]
    if neg:
        n = len(neg)
        hits = sum(ours_[i][2] for i in neg)
        alerts = sum(ours_[i][0] is not None for i in neg)
        rfh = sum(rf[i][1] for i in neg)
        lvh = sum(lv2[i][1] for i in neg) if lv2 else None
        print(f"\n== negatives: {n} real companies on no list")
        print(f"  chipscreen false hits {hits} ({100 * hits / n:.1f}%), alerts (hit or review) {alerts} "
              f"({100 * alerts / n:.1f}%); WRatio>=90 false hits {rfh} ({100 * rfh / n:.1f}%)"
              + (f"; logic-v2 false hits {lvh} ({100 * lvh / n:.1f}%)" if lvh is not None else ""))
        for i in [i for i in neg if ours_[i][2]][:15]:
            print(f"    false hit: {cases[i].query!r} ({cases[i].kind})")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--per-kind", type=int, default=130, help="Positives per generated kind.")
    ap.add_argument("--negatives", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--nk-python", type=Path, default=Path(os.environ.get("CHIPSCREEN_NK_PYTHON", NK_DEFAULT)))
    ap.add_argument("--chinese-table", type=Path, default=None,
                    help="A table of Chinese registered names (columns chinese, name) for Pinyin and Han cases.")
    ap.add_argument("--retrieval-cache", type=Path, default=None,
                    help="Keep the rapidfuzz retrieval here and reuse it while the cases are the same.")
    ap.add_argument("--dump", type=Path, default=None, help="Write the cases and each system's answer as CSV.")
    args = ap.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="chipscreen-dirty-"))
    with open_store(home) as store:
        snap = store.snapshot()
        names = store.names_table(snap)
        idents = store.identifiers_table(snap)
    rows = names.to_pylist()
    pos = positives(rows, args.per_kind, args.seed, args.chinese_table)
    neg, dropped = negatives(rows, SHARED, args.negatives, args.seed)
    cases = pos + neg
    print(f"chipscreen dirty-data bench: seed {args.seed}; {len(pos)} positives, {len(neg)} negatives "
          f"({dropped} candidate negatives dropped as too close to a listed name); {len(rows):,} listed names")
    o = ours(cases, names, idents, args.workers)
    cands = cached_retrieval(cases, rows, args.retrieval_cache)
    rf = [((str(rows[c[0][0]]["entity_id"]) if c else None), bool(c and c[0][1] >= 90)) for c in cands]
    lv2 = logic_v2(cases, rows, cands, args.nk_python)
    report(cases, o, rf, lv2)
    if args.dump:
        with args.dump.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["kind", "query", "source", "truth", "ours_top", "ours_hit", "rf_top", "rf_hit"])
            for c, oo, rr in zip(cases, o, rf, strict=True):
                w.writerow([c.kind, c.query, c.source, " ".join(sorted(c.truth)), oo[0], oo[1], rr[0], rr[1]])


if __name__ == "__main__":
    main()
