"""Name-screening speed against all bundled lists (the targets of docs/names.md §5), with baselines from the same run.

Prints:
- index build time (target <= 10 s) and size;
- single ``Screener.screen`` latency with a warm index, p50 / p99 (targets 2 ms / 10 ms), over a mix of
  unlisted people, listed names as written and listed names with a typo;
- bulk throughput: N distinct names (default 1,000,000; built by recombining the given and family names of
  the negatives sets so that no query repeats) through ``screen_many`` with 2 worker processes, names/s and
  peak memory (targets >= 10,000 names/s, <= 4 GB);
- a rapidfuzz brute-force baseline (every query against every listed name with ``process.extractOne`` and
  ``token_sort_ratio``) in names/s, and chipscreen's pairwise scorer against OpenSanctions logic-v2 in
  pairs/s (logic-v2 runs in its own virtualenv, see bench_names_quality.py), both as ratios.

Usage: ``python benchmarks/bench_names_speed.py [--n 1000000] [--workers 2] [--home DIR] [--skip PART ...]``
(``--skip latency bulk brute pairs`` leaves out those parts, for quick iterations; the default runs all).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from chipscreen.bundled import open_store
from chipscreen.names.index import NameIndex
from chipscreen.names.score import compare_names
from chipscreen.names.screener import Screener

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_names_quality import EVAL, NK_DEFAULT, logic_v2_scores, read_csv


def negatives() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for f in ("negatives_global.csv", "negatives_us.csv"):
        rows += read_csv(EVAL / "screening_false_positives" / f)
    return rows


def distinct_names(n: int, seed: int = 7) -> list[str]:
    """n distinct person names: the negatives as given, then given x family name recombinations."""
    rows = negatives()
    out = list(dict.fromkeys(r["full_name"] for r in rows if r["full_name"]))
    seen = set(out)
    givens = [r["first_name"] for r in rows if r["first_name"]]
    families = [r["last_name"] for r in rows if r["last_name"]]
    rng = random.Random(seed)
    while len(out) < n:
        name = f"{rng.choice(givens)} {rng.choice(families)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out[:n]


def typo(name: str, rng: random.Random) -> str:
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def engine_status() -> str:
    """Whether the names engine runs compiled (``names/native.py``); a tree older than the compiled build
    (``bench_names_cpu.py``'s baseline) runs plain Python."""
    try:
        from chipscreen.names import native
    except ImportError:
        return "plain Python"
    return native.status()


def peak_rss_gb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024 / 1024


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="Names for the bulk run.")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--latency-queries", type=int, default=2000)
    ap.add_argument("--brute-queries", type=int, default=200)
    ap.add_argument("--home", type=Path, default=None, help="Store home (default: a fresh temporary one).")
    ap.add_argument("--skip", nargs="*", default=[], choices=["latency", "bulk", "brute", "pairs"],
                    help="Parts to leave out (quick iterations); all run by default.")
    ap.add_argument("--nk-python", type=Path, default=Path(os.environ.get("CHIPSCREEN_NK_PYTHON", NK_DEFAULT)))
    args = ap.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="chipscreen-speed-"))
    print(f"chipscreen name screening speed; {os.cpu_count()} CPU(s), {args.workers} worker(s); "
          f"names engine: {engine_status()}")

    t0 = time.perf_counter()
    store = open_store(home)
    snap = store.snapshot()
    load_s = time.perf_counter() - t0
    names = store.names_table(snap)
    idents = store.identifiers_table(snap)
    t0 = time.perf_counter()
    index = NameIndex.from_tables(names, idents)
    build_s = time.perf_counter() - t0
    print(f"\n== index: {len(index):,} listed names ({names.num_rows:,} rows, {len(snap.lists)} lists), "
          f"{len(index.postings):,} keys; build {build_s:.2f} s (target <= 10 s); store first open {load_s:.1f} s")
    screener = Screener(index=index)

    # ------------------------------------------------------------------ latency
    skip = set(args.skip)
    rng = random.Random(11)
    listed = [x for x in names.column("name").to_pylist() if x]
    people = distinct_names(60_000)
    k = args.latency_queries
    queries = rng.sample(people[50_000:], k // 2) + rng.sample(listed, k // 4)
    queries += [typo(x, rng) for x in rng.sample(listed, k - len(queries))]
    rng.shuffle(queries)
    if "latency" in skip:
        queries = queries[:50]
    for q in queries[:50]:
        screener.screen(q)  # warm caches of the interpreter, not of these queries' results
    lat = []
    for q in queries[50:]:
        t = time.perf_counter()
        screener.screen(q)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    if lat:
        p50 = statistics.median(lat)
        p99 = lat[int(0.99 * (len(lat) - 1))]
        print(f"\n== single screen, warm index, {len(lat):,} queries (1/2 unlisted people, 1/4 listed names, "
              f"1/4 listed names with a typo)")
        print(f"  p50 {p50:.2f} ms (target <= 2), p99 {p99:.2f} ms (target <= 10), "
              f"mean {statistics.mean(lat):.2f} ms")

    # ------------------------------------------------------------------ bulk
    bulk = distinct_names(args.n)
    rate = 0.0
    if "bulk" not in skip:
        t0 = time.perf_counter()
        hits = 0
        for res in screener.screen_many(bulk, workers=args.workers, chunk=2000):
            hits += res.hit
        bulk_s = time.perf_counter() - t0
        rate = len(bulk) / bulk_s
        print(f"\n== bulk: {len(bulk):,} distinct names with screen_many(workers={args.workers})")
        print(f"  {bulk_s:.1f} s, {rate:,.0f} names/s (target >= 10,000 names/s: 1,000,000 in <= 100 s); "
              f"{hits:,} hits; peak RSS {peak_rss_gb():.2f} GB (target <= 4 GB)")

    # ------------------------------------------------------------------ brute force baseline
    if "brute" not in skip:
        choices = {i: utils.default_process(x) for i, x in enumerate(listed)}
        sample = bulk[: args.brute_queries]
        t0 = time.perf_counter()
        for q in sample:
            process.extractOne(utils.default_process(q), choices, scorer=fuzz.token_sort_ratio, processor=None)
        brute_rate = len(sample) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        for q in sample:
            screener.screen(q)
        ours_single = len(sample) / (time.perf_counter() - t0)
        print(f"\n== rapidfuzz brute force (extractOne, token_sort_ratio, all {len(listed):,} names), 1 process")
        print(f"  {brute_rate:,.0f} names/s; chipscreen on the same names, 1 process: {ours_single:,.0f} names/s "
              f"(ratio {ours_single / brute_rate:.1f}x); bulk with {args.workers} workers: "
              f"{rate / brute_rate:.1f}x")

    # ------------------------------------------------------------------ pairwise vs logic-v2
    if "pairs" not in skip:
        cases = read_csv(EVAL / "name_pairs" / "nomenklatura_name_bench_cases.csv")
        t0 = time.perf_counter()
        for c in cases:
            compare_names(c["name1"], c["name2"])
        ours_pairs = len(cases) / (time.perf_counter() - t0)
        _, source, lv2_rate = logic_v2_scores(cases, args.nk_python if args.nk_python.exists() else None)
        print(f"\n== pairwise scoring on the {len(cases)} nomenklatura bench pairs, 1 process")
        if lv2_rate:
            print(f"  chipscreen {ours_pairs:,.0f} pairs/s; logic-v2 {lv2_rate:,.0f} pairs/s ({source}); "
                  f"ratio {ours_pairs / lv2_rate:.1f}x")
        else:
            print(f"  chipscreen {ours_pairs:,.0f} pairs/s; logic-v2 not run ({source}): no speed figure")
    store.close()


if __name__ == "__main__":
    main()
