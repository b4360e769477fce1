"""Name-screening quality on the peer evaluation sets in ../shared/data/eval (the targets of docs/names.md §5).

Prints, in one run:
1. precision, recall and F1 at two levels, hit (the product hit threshold) and alert (hit or review), on the
   nomenklatura name bench (overall, Company/Organization, Person,
   other), chipscreen beside OpenSanctions logic-v2 scored live on the same pairs (nomenklatura installed in
   its own virtualenv, ``--nk-python`` / ``$CHIPSCREEN_NK_PYTHON``; ``--install-nk`` creates one) or, when it
   cannot run, the frozen logic-v2 scores shipped with the bench (said so in the output);
2. every STRONG case right or wrong;
3. the 21 watchman cross-script pairs against their minimum scores;
4. recall@1 of the UN positives (untreated and treated) screened against the UN list read from its XML;
5. hits and review matches per 1,000 queries on the 100,000 negatives against all bundled lists plus UN;
6. the blocking stage's recall, on its own (bench true pairs and UN positives).

Usage: ``python benchmarks/bench_names_quality.py [--negatives N] [--workers 2] [--nk-python PATH]
[--list-errors]`` (``--list-errors``: every alert-level error of the bench, by schema and kind).
Reads ../shared/data (benchmarks may; the product never does).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from chipscreen.names.index import NameIndex
from chipscreen.names.normalize import normalize_name
from chipscreen.names.score import Comparison, compare_names
from chipscreen.names.screener import Screener
from chipscreen.names.thresholds import thresholds

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHIPSCREEN_SHARED", ROOT.parent / "shared" / "data"))
EVAL = SHARED / "eval"
NK_DEFAULT = ROOT / "benchmarks" / ".nkenv" / "bin" / "python"


# --------------------------------------------------------------------------------------------- helpers
def prf(items: Iterable[tuple[bool, bool]]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for pred, truth in items:
        if pred and truth:
            tp += 1
        elif pred:
            fp += 1
        elif truth:
            fn += 1
        else:
            tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"n": tp + fp + fn + tn, "precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def fmt_prf(m: dict[str, float]) -> str:
    return (f"n={m['n']:4.0f}  P={m['precision']:.3f}  R={m['recall']:.3f}  F1={m['f1']:.3f}  "
            f"(tp {m['tp']:.0f}, fp {m['fp']:.0f}, fn {m['fn']:.0f})")


def read_un(path: Path) -> pa.Table:
    """The UN consolidated list XML as a names table (one row per name, alias and original-script name)."""
    root = ET.parse(path).getroot()
    cols: dict[str, list[Any]] = {k: [] for k in (
        "entity_id", "list_code", "name", "kind", "script", "primary_name", "country", "start_date",
        "end_date", "dataset_id")}

    def add(eid: str, name: str, kind: str, primary: str) -> None:
        name = " ".join(name.split())
        if not name:
            return
        for k, v in (("entity_id", eid), ("list_code", "UN"), ("name", name), ("kind", kind), ("script", None),
                     ("primary_name", primary), ("country", None), ("start_date", None), ("end_date", None),
                     ("dataset_id", "un-xml")):
            cols[k].append(v)

    for tag, alias_tag in (("INDIVIDUALS/INDIVIDUAL", "INDIVIDUAL_ALIAS"), ("ENTITIES/ENTITY", "ENTITY_ALIAS")):
        for el in root.findall(tag):
            eid = "un-" + (el.findtext("DATAID") or "").strip()
            parts = [(el.findtext(t) or "").strip() for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            primary = " ".join(p for p in parts if p)
            add(eid, primary, "primary", primary)
            original = (el.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            if original:
                add(eid, original, "alias", primary)
            for al in el.findall(alias_tag):
                alias = (al.findtext("ALIAS_NAME") or "").strip()
                if alias:
                    add(eid, alias, "weak" if (al.findtext("QUALITY") or "").strip().lower() == "low" else "alias",
                        primary)
    schema = pa.schema([(k, pa.date32() if k.endswith("_date") else pa.string()) for k in cols])
    return pa.table(cols, schema=schema)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


# --------------------------------------------------------------------------------------------- logic-v2
def logic_v2_scores(cases: Sequence[dict[str, str]], nk_python: Path | None) -> tuple[list[float | None], str, float]:
    """Scores of logic-v2 on the same pairs: live when nomenklatura runs, else the frozen file."""
    if nk_python is not None and nk_python.exists():
        payload = "".join(json.dumps({"schema": c["schema"], "name1": c["name1"], "name2": c["name2"]}) + "\n"
                          for c in cases)
        worker = ROOT / "benchmarks" / "_logicv2_worker.py"
        try:
            # warm-up (model and data loading), then the timed run
            subprocess.run([str(nk_python), str(worker)], input=payload[: payload.find("\n") + 1], text=True,
                           capture_output=True, check=True, timeout=600)
            proc = subprocess.run([str(nk_python), str(worker)], input=payload, text=True, capture_output=True,
                                  check=True, timeout=1800)
            lines = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
            seconds = float(lines[-1]["seconds"])
            return [float(x["score"]) for x in lines[:-1]], f"live ({nk_python})", len(cases) / max(seconds, 1e-9)
        except (subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:
            print(f"  logic-v2 live run failed ({exc}); using the frozen scores", file=sys.stderr)
    frozen: dict[tuple[str, str, str], float] = {}
    for r in read_csv(EVAL / "name_pairs" / "nomenklatura_logicv2_frozen_scores.csv"):
        if r.get("score"):
            frozen[(r["schema"], r["name1"], r["name2"])] = float(r["score"])
    return [frozen.get((c["schema"], c["name1"], c["name2"])) for c in cases], "frozen scores file", 0.0


def install_nk(target: Path) -> Path:
    venv = target.parent.parent
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(target), "-m", "pip", "install", "-q", "nomenklatura"], check=True)
    return target


# --------------------------------------------------------------------------------------------- sections
def bench_pairs(nk_python: Path | None, list_errors: bool = False) -> None:
    hit = thresholds().hit
    cases = read_csv(EVAL / "name_pairs" / "nomenklatura_name_bench_cases.csv")
    t0 = time.perf_counter()
    compared = [compare_names(c["name1"], c["name2"]) for c in cases]
    ours_rate = len(cases) / (time.perf_counter() - t0)
    ours = [x.score for x in compared]
    lv2, source, lv2_rate = logic_v2_scores(cases, nk_python)
    truth = [c["is_match"].strip().lower() == "true" for c in cases]
    groups: list[tuple[str, set[str] | None]] = [
        ("overall", None), ("Company/Organization", {"Company", "Organization"}), ("Person", {"Person"}),
        ("LegalEntity/Vessel", {"LegalEntity", "Vessel"})]
    print(f"\n== nomenklatura name bench ({len(cases)} pairs), chipscreen at hit threshold {hit:.2f}; "
          f"logic-v2 at 0.70 ({source})")
    review = thresholds().review
    print("  two levels (issue 12): hit = score >= hit threshold; alert = hit or review (>= "
          f"{review:.2f}), what an analyst sees")
    for label, schemas in groups:
        idx = [i for i, c in enumerate(cases) if schemas is None or c["schema"] in schemas]
        m_ours = prf((ours[i] >= hit, truth[i]) for i in idx)
        m_alert = prf((ours[i] >= review, truth[i]) for i in idx)
        scored = [i for i in idx if lv2[i] is not None]
        m_lv2 = prf(((lv2[i] or 0.0) >= 0.70, truth[i]) for i in scored)
        print(f"  {label:22s} chipscreen hit   {fmt_prf(m_ours)}")
        print(f"  {'':22s} chipscreen alert {fmt_prf(m_alert)}")
        print(f"  {'':22s} logic-v2         {fmt_prf(m_lv2)}")
    strong = [i for i, c in enumerate(cases) if c["quality"] == "STRONG"]
    wrong = [i for i in strong if (ours[i] >= hit) != truth[i]]
    alert_wrong = [i for i in strong if (ours[i] >= review) != truth[i]]
    lv2_wrong = [i for i in strong if lv2[i] is not None and ((lv2[i] or 0) >= 0.7) != truth[i]]
    print(f"  STRONG cases: chipscreen {len(strong) - len(wrong)}/{len(strong)} right at the hit level, "
          f"{len(strong) - len(alert_wrong)}/{len(strong)} at the alert level; "
          f"logic-v2 {len(strong) - len(lv2_wrong)}/{len(strong)} right")
    for i in dict.fromkeys([*wrong, *alert_wrong]):
        c = cases[i]
        print(f"    wrong: {c['schema']} {c['name1']!r} vs {c['name2']!r} is_match={c['is_match']} "
              f"score={ours[i]:.3f}")
    print_error_kinds(cases, compared, truth)
    if list_errors:
        print_errors(cases, compared, truth)
    print(f"  pairs/s: chipscreen {ours_rate:,.0f}" + (f", logic-v2 {lv2_rate:,.0f} (ratio {ours_rate / lv2_rate:.1f}x)"
                                                        if lv2_rate else ""))


def error_kind(cmp_: Comparison) -> str:
    """What decided a pair's score, for the table of alert-level errors: the last rule that capped or
    moved it, else which words stayed unpaired."""
    moved = [a.feature for a in cmp_.adjustments if a.feature not in ("lone_number", "legal_form_word",
                                                                         "repeated_word", "contained")]
    if moved:
        return "rule " + moved[-1]
    roles = sorted({t.role for t in (*cmp_.query_only, *cmp_.listed_only) if t.role != "stop"})
    if not cmp_.pairs:
        return "no word paired"
    if not roles:
        return "every word paired" + (" (a loose pair)" if min(p.similarity for p in cmp_.pairs) < 0.8 else "")
    side = ("both sides" if cmp_.query_only and cmp_.listed_only else
            "query only" if cmp_.query_only else "listed only")
    return f"unpaired {'/'.join(roles)} ({side})"


def print_error_kinds(cases: Sequence[dict[str, str]], compared: Sequence[Comparison], truth: Sequence[bool]) -> None:
    """The alert-level false positives and false negatives by kind (issue 12: fix kinds, not cases)."""
    review = thresholds().review
    for label, schemas in (("Company/Organization", {"Company", "Organization"}), ("other", None)):
        counts: dict[tuple[str, str], int] = {}
        for c, x, t in zip(cases, compared, truth, strict=True):
            if (schemas is not None and c["schema"] not in schemas) or (
                    schemas is None and c["schema"] in ("Company", "Organization")):
                continue
            if (x.score >= review) != t:
                key = ("FP" if not t else "FN", error_kind(x))
                counts[key] = counts.get(key, 0) + 1
        print(f"  alert-level errors by kind, {label}:")
        for (err, kind), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]:
            print(f"    {err} {n:3d}  {kind}")


def print_errors(cases: Sequence[dict[str, str]], compared: Sequence[Comparison], truth: Sequence[bool]) -> None:
    """Every alert-level error, by schema and kind, with the pair, its score and the bench's own note."""
    review = thresholds().review
    rows = sorted((c["schema"], "FP" if not t else "FN", error_kind(x), x.score, c["name1"], c["name2"], c["notes"])
                  for c, x, t in zip(cases, compared, truth, strict=True) if (x.score >= review) != t)
    print(f"  every alert-level error ({len(rows)}):")
    for schema, err, kind, score, a, b, note in rows:
        print(f"    {schema:12s} {err} {score:.3f} {kind:40s} {a!r} ~ {b!r}" + (f"  [{note}]" if note else ""))


def bench_cross_script() -> None:
    rows = []
    with (EVAL / "name_pairs" / "watchman_cross_script_pairs.csv").open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            q, e, m, *_ = next(csv.reader([line]))
            rows.append((q, e, float(m)))
    rows = list(dict.fromkeys(rows))
    ok = 0
    print(f"\n== watchman cross-script pairs ({len(rows)})")
    for q, e, m in rows:
        s = compare_names(q, e).score
        ok += s >= m
        print(f"  {'ok ' if s >= m else 'LOW'} {s:.3f} (min {m:.2f})  {q} -> {e}")
    print(f"  {ok}/{len(rows)} at or above their minimum")


def _targets(un: pa.Table) -> dict[str, set[str]]:
    """Untreated UN name (as the CSV writes it) -> UN entity ids carrying that exact name."""
    out: dict[str, set[str]] = {}
    for eid, name in zip(un.column("entity_id").to_pylist(), un.column("name").to_pylist(), strict=True):
        out.setdefault(" ".join(name.upper().split()), set()).add(eid)
    return out


def bench_un(workers: int) -> tuple[NameIndex, list[int]]:
    un = read_un(SHARED / "un" / "UN_consolidated_2026-02-27.xml")
    index = NameIndex.from_tables(un)
    screener = Screener(index=index, max_matches=5)
    targets = _targets(un)
    untreated = read_csv(EVAL / "screening_recall" / "positives_un_untreated.csv")
    treated = read_csv(EVAL / "screening_recall" / "positives_un_treated.csv")
    print(f"\n== UN positives ({len(untreated)} people; UN list {un.num_rows:,} names, "
          f"{len(set(un.column('entity_id').to_pylist())):,} entries)")
    block_missing = []
    for label, rows in (("untreated", untreated), ("treated", treated)):
        at1 = hit1 = known = block = 0
        t0 = time.perf_counter()
        results = list(screener.screen_many([r["full_name"] for r in rows], workers=workers))
        secs = time.perf_counter() - t0
        for i, (r, res) in enumerate(zip(rows, results, strict=True)):
            tgt = targets.get(" ".join(untreated[i]["full_name"].upper().split()), set())
            if not tgt:
                continue
            known += 1
            if res.matches and res.matches[0].entity_id in tgt:
                at1 += 1
                hit1 += res.matches[0].hit
            cand = {index.rows[k].entity_id for rd in normalize_name(r["full_name"])
                    for k in index.candidates(rd, min_bound=screener.review_threshold - 0.05, limit=64)}
            if cand & tgt:
                block += 1
            elif label == "treated":
                block_missing.append(i)
        print(f"  {label:9s} recall@1 {at1 / known:.3f} ({at1}/{known}); top-1 also a hit {hit1 / known:.3f}; "
              f"blocking recall {block / known:.3f}; {len(rows) / secs:,.0f} names/s")
    return index, block_missing


def bench_negatives(store_home: Path, un_index: NameIndex, limit: int, workers: int) -> None:
    from chipscreen.bundled import open_store

    with open_store(store_home) as store:
        snap = store.snapshot()
        names = store.names_table(snap)
        idents = store.identifiers_table(snap)
    un = read_un(SHARED / "un" / "UN_consolidated_2026-02-27.xml")
    all_names = pa.concat_tables([names.select(un.column_names).cast(un.schema), un.cast(un.schema)])
    index = NameIndex.from_tables(all_names, idents)
    screener = Screener(index=index, max_matches=3)
    rows: list[str] = []
    for f in ("negatives_global.csv", "negatives_us.csv"):
        rows += [r["full_name"] for r in read_csv(EVAL / "screening_false_positives" / f)]
    rows = rows[:limit]
    t0 = time.perf_counter()
    hits = reviews = full = 0
    examples: list[str] = []
    for res in screener.screen_many(rows, workers=workers, date=dt.date(2026, 8, 1)):
        if res.hit:
            hits += 1
            ex = res.matches[0].explanation
            full += not ex.get("query_only") and not ex.get("listed_only")
            if len(examples) < 12:
                m = res.matches[0]
                examples.append(f"{res.query!r} -> {m.matched_name!r} ({m.list}) {m.score:.3f}")
        elif res.matches:
            reviews += 1
    secs = time.perf_counter() - t0
    n = len(rows)
    print(f"\n== negatives: {n:,} synthetic people on no list, against {len(index):,} listed names "
          f"(bundled lists + UN)")
    print(f"  hits per 1,000: {1000 * hits / n:.2f} ({hits}); review-band matches per 1,000: {1000 * reviews / n:.1f}"
          f"  [{n / secs:,.0f} names/s, {workers} worker(s)]")
    print(f"  of the hits, {full} ({1000 * full / n:.2f} per 1,000) pair every word of both names (the same or a "
          f"near-identical name as a listed person, often across scripts): only other identifying data, such as a "
          f"date of birth, can tell those apart")
    for e in examples:
        print("   e.g. " + e)


def bench_blocking_pairs() -> None:
    """Blocking recall on the bench's true pairs: is name2 among the candidates of name1?"""
    cases = [c for c in read_csv(EVAL / "name_pairs" / "nomenklatura_name_bench_cases.csv")
             if c["is_match"].strip().lower() == "true"]
    table = pa.table({
        "entity_id": [f"e{i}" for i in range(len(cases))], "list_code": ["X"] * len(cases),
        "name": [c["name2"] for c in cases], "primary_name": [c["name2"] for c in cases],
    })
    index = NameIndex.from_tables(table)
    review = thresholds().review
    hit = thresholds().hit
    found = found_hit = n_hit = 0
    for i, c in enumerate(cases):
        got = {index.rows[k].entity_id for rd in normalize_name(c["name1"])
               for k in index.candidates(rd, min_bound=review - 0.05, limit=64)}
        found += f"e{i}" in got
        if compare_names(c["name1"], c["name2"]).score >= hit:
            n_hit += 1
            found_hit += f"e{i}" in got
    print(f"\n== blocking recall on the bench's {len(cases)} true pairs (index of all name2, query name1)")
    print(f"  candidates contain the true name: {found / len(cases):.3f} of all true pairs; "
          f"{found_hit / max(n_hit, 1):.4f} of the pairs the scorer calls a hit ({found_hit}/{n_hit})")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--negatives", type=int, default=100_000, help="How many negatives to screen.")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--nk-python", type=Path, default=Path(os.environ.get("CHIPSCREEN_NK_PYTHON", NK_DEFAULT)))
    ap.add_argument("--install-nk", action="store_true", help="Create the nomenklatura virtualenv first.")
    ap.add_argument("--home", type=Path, default=None, help="Store home (default: a fresh temporary one).")
    ap.add_argument("--skip", nargs="*", default=[], help="Sections to skip: pairs cross un negatives blocking")
    ap.add_argument("--list-errors", action="store_true", help="Print every alert-level error of the bench.")
    args = ap.parse_args(argv)
    if not EVAL.exists():
        sys.exit(f"evaluation data not found at {EVAL} (set CHIPSCREEN_SHARED)")
    nk = args.nk_python
    if args.install_nk and not nk.exists():
        nk = install_nk(nk)
    thr = thresholds()
    print(f"chipscreen name screening quality; hit threshold {thr.hit}, review threshold {thr.review}")
    if "pairs" not in args.skip:
        bench_pairs(nk if nk.exists() else None, args.list_errors)
    if "cross" not in args.skip:
        bench_cross_script()
    un_index = None
    if "un" not in args.skip:
        un_index, _ = bench_un(args.workers)
    if "blocking" not in args.skip:
        bench_blocking_pairs()
    if "negatives" not in args.skip:
        home = args.home or Path(tempfile.mkdtemp(prefix="chipscreen-bench-"))
        un_index = un_index or NameIndex.from_tables(read_un(SHARED / "un" / "UN_consolidated_2026-02-27.xml"))
        bench_negatives(home, un_index, args.negatives, args.workers)


if __name__ == "__main__":
    main()
