"""``monitor run`` on a large watch set (issue 15 target: 1,000,000 parties, a change of 1,000 entries, <= 10 s
once the watch-set index is warm), with findings identical to a full re-screen of the watch set, which this
script runs as the baseline in the same process (both times and the ratio are printed).

The watch set is generated deterministically (seed 15): people recombined from the first, middle and last
names and nationalities of ``../shared/data/eval/screening_false_positives`` (real-looking names in many
scripts), companies from their surnames with trade words and legal forms, and one party in 500 written like
a listed entry (so the change has something to find). The change is the 2022 CSL loaded over the bundled
lists, then a copy of it with 1,000 entries changed: 300 removed, 200 renamed, 500 added (half of them
written like watched parties, half like other listed entries).

    .venv/bin/python benchmarks/bench_monitor.py [--parties 1000000] [--change 1000] [--workers 2]

Findings compared: every (party, list, entry, score, hit) match of a watched name on an added or changed
entry, from the delta (reverse screening) and from ``Screener.screen_many`` over every watched name on the
new snapshot (``max_matches`` raised so that no match is cut off), restricted to the same entries.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from chipscreen.bundled import open_store
from chipscreen.countries import to_iso2
from chipscreen.monitor import add_parties, run_monitor
from chipscreen.monitor.delta import entries_index, reverse_candidates, screen_against, watched_names
from chipscreen.monitor.watch_index import watch_index
from chipscreen.names import Screener
from chipscreen.paths import data_dir
from chipscreen.rules import list_rulebooks
from chipscreen.sources import parse_file
from chipscreen.store import Store, watch
from chipscreen.store.changes import step

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ON = dt.date(2026, 12, 1)
TARGET_SECONDS = 10.0
TRADE = ("Logistics", "Trading", "Electronics", "Semiconductor", "Systems", "Industrial", "Holdings", "Technology",
         "Engineering", "Shipping", "Components", "Precision", "Computing", "Materials", "Instruments")
FORMS = ("Co., Ltd.", "LLC", "GmbH", "Ltd", "S.A.", "OOO", "Inc.", "Pte. Ltd.", "AG", "JSC", "Sdn. Bhd.")


def people_pools() -> tuple[list[list[str]], list[str]]:
    parts: list[list[str]] = [[], [], []]
    countries: list[str] = []
    for name in ("negatives_global.csv", "negatives_us.csv"):
        with (SHARED / "eval" / "screening_false_positives" / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for i, col in enumerate(("first_name", "middle_name", "last_name")):
                    if row[col]:
                        parts[i].append(row[col])
                countries.append(to_iso2(row["nationality"]) or "")
    return parts, countries


def listed_names(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [r["name"] for r in csv.DictReader(fh) if r["name"] and "(EL)" in r["source"]]


def write_watch_set(path: Path, n: int, listed: list[str], rng: random.Random) -> None:
    (first, middle, last), countries = people_pools()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "country", "id"])
        for i in range(n):
            if i % 500 == 0:
                name = rng.choice(listed).split(" (")[0].replace("Co., Ltd.", "Co Ltd")
            elif i % 5 < 3:
                name = " ".join([rng.choice(first), *([rng.choice(middle)] if i % 3 == 0 else []), rng.choice(last)])
            else:
                name = f"{rng.choice(last)} {rng.choice(TRADE)} {rng.choice(FORMS)}"
            w.writerow([name, rng.choice(countries), f"W{i:08d}"])


def write_change(base: Path, out: Path, watched: Path, size: int, rng: random.Random) -> None:
    """The 2022 CSL with ``size`` entries changed: 30 % removed, 20 % renamed, 50 % added."""
    with base.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames or []), list(reader)
    with watched.open(encoding="utf-8", newline="") as fh:
        parties = [r["name"] for r in csv.DictReader(fh)]
    sdn = [i for i, r in enumerate(rows) if "(SDN)" in r["source"]]
    picked = rng.sample(sdn, size * 5 // 10)
    removed, renamed = set(picked[: size * 3 // 10]), picked[size * 3 // 10:]
    for i in renamed:
        rows[i] = rows[i] | {"name": rows[i]["name"] + " TRADING"}
    added = []
    template = next(r for r in rows if "(EL)" in r["source"])
    for k in range(size - len(picked)):
        name = rng.choice(parties) if k % 2 == 0 else rng.choice(rows)["name"] + " INTERNATIONAL"
        added.append(template | {"name": name, "alt_names": "", "addresses": "", "start_date": "2026-11-01"})
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows([r for i, r in enumerate(rows) if i not in removed] + added)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parties", type=int, default=1_000_000)
    ap.add_argument("--change", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    rng = random.Random(15)
    work = Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    csl = data_dir() / "lists" / "csl_consolidated_2022-04.csv"
    store = open_store(work / "home")
    store.load([parse_file(csl, retrieved=dt.date(2026, 10, 1))], replace=True, accept_shrink=True)
    old = store.snapshot()
    parties = work / "watch.csv"
    write_watch_set(parties, args.parties, listed_names(csl), rng)
    t0 = time.perf_counter()
    add_parties(store, parties)
    t_add = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = watch_index(store)
    t_index = time.perf_counter() - t0
    watch.record_run(store, watch.RunRecord(1, dt.datetime.now(), old.id, tuple(r.id for r in list_rulebooks()),
                                            watch.watch_version(store), 0), {})
    changed = work / "csl_changed.csv"
    write_change(csl, changed, parties, args.change, rng)
    store.load([parse_file(changed, retrieved=dt.date(2026, 11, 1))], accept_shrink=True)
    new = store.snapshot()
    print(f"watch set: {args.parties:,} parties, {len(index.rows):,} index rows; monitor add {t_add:.1f} s, "
          f"index build (once per watch-set version) {t_index:.1f} s")
    report(store, old, new, index, args.workers)


def report(store: Store, old: object, new: object, index: object, workers: int) -> None:
    from chipscreen.names.index import NameIndex
    from chipscreen.store import SnapshotInfo

    assert isinstance(old, SnapshotInfo) and isinstance(new, SnapshotInfo) and isinstance(index, NameIndex)
    t0 = time.perf_counter()
    run = run_monitor(store, on=ON, record=False)
    t_delta = time.perf_counter() - t0
    rows = step(store, old, new).changes
    print(f"change: {run.summary()}; monitor run {t_delta:.2f} s (target <= {TARGET_SECONDS:.0f} s), "
          f"{len(run.parties):,} findings; stages {run.seconds}")
    keys = {(r.list_code, r.entity_id) for r in rows if r.change != "removed"}
    changed_index = entries_index(store, new, keys)
    names = watched_names(index, reverse_candidates(index, changed_index, ON)) if changed_index else []
    delta = {(p, k, round(m.score, 4), m.hit) for (p, k), m in screen_against(changed_index, names, ON).items()}
    t0 = time.perf_counter()
    full = Screener(store, snapshot=new.id, max_matches=10_000)
    items = [{"name": r.name, "country": r.country, "row": i} for i, r in enumerate(index.rows)
             if r.kind != "pinyin" and not r.note]
    ids = [r.entity_id for r in index.rows if r.kind != "pinyin" and not r.note]
    base: set[tuple[str, tuple[str, str], float, bool]] = set()
    seen: set[tuple[str, str]] = set()
    for res in full.screen_many(items, date=ON, workers=workers):
        pid = ids[int(res.row or 0)]
        if (pid, res.query) in seen:
            continue
        seen.add((pid, res.query))
        for m in res.matches:
            if (m.list, m.entity_id) in keys:
                base.add((pid, (m.list, m.entity_id), round(m.score, 4), m.hit))
    best: dict[tuple[str, tuple[str, str]], tuple[float, bool]] = {}
    for pid, k, score, hit in base:
        if (pid, k) not in best or score > best[(pid, k)][0]:
            best[(pid, k)] = (score, hit)
    base = {(p, k, s, h) for (p, k), (s, h) in best.items()}
    t_full = time.perf_counter() - t0
    print(f"full re-screen (baseline): {len(seen):,} names in {t_full:.1f} s with {workers} workers; "
          f"ratio {t_full / max(t_delta, 1e-9):.0f}x")
    print(f"findings on changed entries: delta {len(delta):,}, full {len(base):,}, identical: {delta == base}")
    if delta != base:
        print("  only in delta:", sorted(delta - base)[:10])
        print("  only in full: ", sorted(base - delta)[:10])
    sys.stdout.flush()


if __name__ == "__main__":
    main()
