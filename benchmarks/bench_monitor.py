"""``monitor run`` on a large watch set (issue 15 target: 1,000,000 parties, a change of 1,000 entries, <= 10 s
once the watch-set index is warm), with findings identical to a full re-screen of the watch set, which this
script runs as the baseline in the same process (both times and the ratio are printed).

The watch set is generated deterministically (seed 15) from real names: people recombined from the first,
middle and last names and nationalities of ``../shared/data/eval/screening_false_positives``, companies from
those surnames and the GLEIF sample's legal names (``../shared/data/ownership``) with trade words and legal
forms, the demo customers (``examples/customers.csv``), and one party in 500 a listed Entity List name
perturbed (a legal form written otherwise, a letter dropped). The change is the 2022 CSL loaded over the
bundled lists, then a copy of it with ``--change`` entries changed: 30 % removed, 20 % renamed, 50 % added
(half of them written like watched parties, half like other listed entries).

Warm means: the watch set's reverse index, its reach table (``monitor.reach``) and its window bounds and forward
results in the old snapshot (``monitor.windows``, ``monitor.results``: what the baseline run leaves) are built
and cached, both snapshots' names indexes are loaded, and the names engine has screened the service's warm-up
names (``data/service/service.yml``: the reading tables it loads on first use); ``monitor run`` then merges the
parties the change reaches (``monitor.merge``) and screens the rest it affects with ``--workers`` processes, as the
baseline does.

The baseline screens every name of ``--baseline-sample`` parties (default: all of them) forward with
``Screener.screen_many`` against the old and the new snapshot, and compares what changed per party and
listing (``monitor.delta``'s definition) with the delta's findings for the same parties. Its time is printed
for the sample and scaled to the whole watch set (the ratio uses the scaled figure).

    .venv/bin/python benchmarks/bench_monitor.py [--parties 1000000] [--change 1000] [--workers 2]
                                                 [--baseline-sample N] [--keep DIR]

``--keep DIR`` prepares the store in DIR/bench-monitor, or reuses the one prepared there for the same ``--parties`` and
``--change`` (the watch-set index and reach table then load from its cache), so a large watch set is warmed once.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from chipscreen.bundled import open_store
from chipscreen.countries import to_iso2
from chipscreen.monitor import add_parties, run_monitor
from chipscreen.monitor.findings import finding_changes, full_rescreen, level_changes
from chipscreen.monitor.watch_index import watch_index, watch_reach, watch_windows
from chipscreen.names import Screener
from chipscreen.paths import data_dir
from chipscreen.rules import list_rulebooks
from chipscreen.service.config import service_data
from chipscreen.sources import parse_file
from chipscreen.store import SnapshotInfo, Store, watch

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
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


def company_words() -> list[str]:
    """First words of the GLEIF sample's legal names (real company name stems)."""
    with (SHARED / "ownership" / "gleif-lei-cdf-sample-2019.csv").open(encoding="utf-8", newline="") as fh:
        return sorted({w for r in csv.DictReader(fh) if (w := (r["Entity.LegalName"].split() or [""])[0])})


def listed_names(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [r["name"] for r in csv.DictReader(fh) if r["name"] and "(EL)" in r["source"]]


def perturbed(name: str, rng: random.Random) -> str:
    name = name.split(" (")[0].replace("Co., Ltd.", "Co Ltd")
    words = name.split()
    k = rng.randrange(len(words))
    if len(words[k]) > 6 and rng.random() < 0.5:
        i = rng.randrange(1, len(words[k]) - 1)
        words[k] = words[k][:i] + words[k][i + 1:]
    return " ".join(words)


def write_watch_set(path: Path, n: int, listed: list[str], rng: random.Random) -> None:
    (first, middle, last), countries = people_pools()
    stems = company_words() + last
    with (ROOT / "examples" / "customers.csv").open(encoding="utf-8", newline="") as fh:
        demo = [(r["name"], r["country"]) for r in csv.DictReader(fh)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "country", "id"])
        for i in range(n):
            country = rng.choice(countries)
            if i % 500 == 0:
                name = perturbed(rng.choice(listed), rng)
            elif i % 1000 == 1:
                name, country = rng.choice(demo)
            elif i % 5 < 3:
                name = " ".join([rng.choice(first), *([rng.choice(middle)] if i % 3 == 0 else []), rng.choice(last)])
            else:
                name = f"{rng.choice(stems)} {rng.choice(TRADE)} {rng.choice(FORMS)}"
            w.writerow([name, country, f"W{i:08d}"])


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


def cpu_seconds() -> float:
    """CPU time of this process and of its workers that have ended (``run_monitor`` and ``screen_many`` wait for
    theirs)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(what: str, fn: object) -> object:
    t0 = time.perf_counter()
    got = fn() if callable(fn) else fn
    print(f"  {what}: {time.perf_counter() - t0:.1f} s", flush=True)
    return got


def reuse(args: argparse.Namespace, work: Path) -> tuple[Store, SnapshotInfo, SnapshotInfo] | None:
    """The store a run with the same ``--parties`` and ``--change`` prepared in ``work`` (``--keep``), its watch-set
    index and reach table read back from its cache; None when there is none."""
    stamp = work / "prepared.json"
    if not stamp.is_file():
        return None
    got = json.loads(stamp.read_text(encoding="utf-8"))
    if got.get("parties") != args.parties or got.get("change") != args.change:
        return None
    store = open_store(work / "home")
    print(f"watch set: {args.parties:,} parties, prepared in {work}; warming up from its cache:")
    index = timed("watch-set index load", lambda: watch_index(store))
    timed("watch-set reach table load", lambda: watch_reach(store))
    old, new = store.snapshot(got["old"]), store.snapshot(got["new"])
    for label, snap in (("old", old), ("new", new)):
        timed(f"{label} snapshot's names index", lambda s=snap: Screener(store, snapshot=s.id))
    timed("watch-set windows and results in the old snapshot",
          lambda: watch_windows(store, old.id, args.workers, since=ON))
    print(f"  watch-set index rows: {len(getattr(index, 'rows', ())):,}")
    return store, old, new


def prepare(args: argparse.Namespace, work: Path) -> tuple[Store, SnapshotInfo, SnapshotInfo]:
    """The store with the watch set, its index, and the old and new snapshots (all warm)."""
    got = reuse(args, work)
    if got is not None:
        return got
    rng = random.Random(15)
    csl = data_dir() / "lists" / "csl_consolidated_2022-04.csv"
    store = open_store(work / "home")
    store.load([parse_file(csl, retrieved=dt.date(2026, 10, 1))], replace=True, accept_shrink=True)
    old = store.snapshot()
    parties = work / "watch.csv"
    write_watch_set(parties, args.parties, listed_names(csl), rng)
    print(f"watch set: {args.parties:,} parties; warming up (once per watch-set version or snapshot):")
    timed("monitor add", lambda: add_parties(store, parties))
    index = timed("watch-set index build", lambda: watch_index(store))
    timed("watch-set reach table build", lambda: watch_reach(store))
    watch.record_run(store, watch.RunRecord(1, dt.datetime.now(), old.id, tuple(r.id for r in list_rulebooks()),
                                            watch.watch_version(store), 0), {})
    changed = work / "csl_changed.csv"
    write_change(csl, changed, parties, args.change, rng)
    store.load([parse_file(changed, retrieved=dt.date(2026, 11, 1))], accept_shrink=True)
    new = store.snapshot()
    for label, snap in (("old", old), ("new", new)):
        timed(f"{label} snapshot's names index", lambda s=snap: Screener(store, snapshot=s.id))
    timed("watch-set windows and results in the old snapshot (the baseline run counts them)",
          lambda: watch_windows(store, old.id, args.workers, since=ON))
    print(f"  watch-set index rows: {len(getattr(index, 'rows', ())):,}")
    (work / "prepared.json").write_text(json.dumps({"parties": args.parties, "change": args.change, "old": old.id,
                                                    "new": new.id}), encoding="utf-8")
    return store, old, new


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parties", type=int, default=1_000_000)
    ap.add_argument("--change", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--baseline-sample", type=int, default=0, help="parties the baseline re-screens (0: all)")
    ap.add_argument("--keep", type=Path, help="prepare the store in this folder, or reuse the one prepared there")
    ap.add_argument("--prepare-only", action="store_true", help="with --keep: prepare the store, then stop")
    args = ap.parse_args()
    work = args.keep / "bench-monitor" if args.keep else Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    if args.keep is not None and not (work / "prepared.json").is_file():
        shutil.rmtree(work, ignore_errors=True)  # our own folder, half-prepared by an interrupted run
        work.mkdir(parents=True)
    reused = (work / "prepared.json").is_file()
    store, old, new = prepare(args, work)
    if args.prepare_only:
        return
    if reused:  # the snapshots' indexes read back decode a row when first read: warm means decoded, as when built
        for snap in (old, new):
            rows = Screener(store, snapshot=snap.id).index.rows
            timed(f"decode the {len(rows):,} rows of snapshot {snap.id[:8]}'s index", lambda r=rows: [*r])
    # the tables the names engine loads on first use (pykakasi's dictionaries alone take 0.8 s, in the first
    # worker to screen a Japanese name), loaded as the service loads them before it is ready
    warm = Screener(store, snapshot=new.id)
    timed("names engine's reading tables (the service's warm-up names)",
          lambda: [warm.screen(n, date=ON) for n in service_data().warm_names])
    t0, c0 = time.perf_counter(), cpu_seconds()
    run = run_monitor(store, on=ON, record=False, workers=args.workers)
    t_delta, c_delta = time.perf_counter() - t0, cpu_seconds() - c0
    stages = {k: round(v, 2) for k, v in run.seconds.items()}
    print(f"change: {run.summary()}; monitor run {t_delta:.2f} s (target <= {TARGET_SECONDS:.0f} s), "
          f"{len(run.parties):,} findings; stages {stages}")
    print(f"  CPU {c_delta:.1f} s (this process and its workers: on a shared machine, the figure to compare); "
          f"parties: {({k: round(v, 2) for k, v in run.steps.items()})}")
    ids = sorted(watch.party_countries(store))
    sample = ids if not args.baseline_sample else sorted(random.Random(16).sample(ids, args.baseline_sample))
    names = watch.party_names(store, sample)
    t0, c0 = time.perf_counter(), cpu_seconds()
    base = level_changes(*(full_rescreen(Screener(store, snapshot=s.id), names, ON, args.workers) for s in (old, new)))
    t_full, c_full = time.perf_counter() - t0, cpu_seconds() - c0
    scaled = t_full * len(ids) / max(len(sample), 1)
    c_scaled = c_full * len(ids) / max(len(sample), 1)
    wanted = set(sample)
    delta = finding_changes([f for f in run.parties if f.party_id in wanted])
    print(f"full re-screen (baseline) of {len(sample):,} parties ({sum(map(len, names.values())):,} names) on "
          f"both snapshots: {t_full:.1f} s with {args.workers} workers; for all {len(ids):,}: {scaled:.0f} s; "
          f"ratio {scaled / max(t_delta, 1e-9):.0f}x; CPU {c_full:.1f} s, for all {c_scaled:.0f} s, "
          f"ratio {c_scaled / max(c_delta, 1e-9):.0f}x")
    print(f"changed (party, listing, level) on the sample: delta {len(delta):,}, full {len(base):,}, "
          f"identical: {delta == base}")
    if delta != base:
        print("  only in delta:", sorted(delta - base, key=str)[:10])
        print("  only in full: ", sorted(base - delta, key=str)[:10])


if __name__ == "__main__":
    main()
