"""Check that name screening results are unchanged by a speed change (a regression guard, not a benchmark).

``--save FILE`` screens a fixed sample and writes every ``ScreenResult.to_dict()`` (JSON lines);
``--compare FILE`` screens the same sample and reports every row that differs (scores rounded to 4 d.p.,
as ``to_dict`` gives them). The sample: names from the speed bench's generator, listed names as written and
with a typo (all scripts), some with a country, screened on a fixed date, single-process and (a slice)
through ``screen_many(workers=2)``, which must give the same rows in the same order.

Usage: ``python benchmarks/check_screen_identical.py --home DIR (--save F | --compare F) [--n 20000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from chipscreen.bundled import open_store
from chipscreen.names.screener import Screener

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_names_speed import distinct_names, typo

DATE = dt.date(2026, 1, 15)


def sample(listed: list[str], n: int) -> list[Any]:
    rng = random.Random(20240601)
    people = distinct_names(max(n, 60_000))
    items: list[Any] = list(rng.sample(people, n))
    as_written = rng.sample(listed, min(len(listed), n // 4))
    with_typo = [typo(x, rng) for x in rng.sample(listed, min(len(listed), n // 4))]
    items += as_written + with_typo
    countries = ["CN", "RU", "IR", "US", "DE", "KP", "AE"]
    for i in range(0, len(items), 7):  # some with a country (the country adjustment)
        items[i] = (items[i], rng.choice(countries))
    items += ["", "   ", "!!!", None, "x" * 20_000]  # input errors
    rng.shuffle(items)
    return items


def run(screener: Screener, items: list[Any], workers: int) -> list[dict[str, Any]]:
    return [r.to_dict() for r in screener.screen_many(items, date=DATE, workers=workers, chunk=500)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--parallel", type=int, default=5_000, help="Items also screened with 2 workers.")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", type=Path)
    g.add_argument("--compare", type=Path)
    args = ap.parse_args()
    store = open_store(args.home)
    names = store.names_table(store.snapshot())
    listed = [x for x in names.column("name").to_pylist() if x]
    screener = Screener(store)
    items = sample(listed, args.n)
    t0 = time.perf_counter()
    got = run(screener, items, 1)
    print(f"{len(items):,} items screened in {time.perf_counter() - t0:.1f} s (1 process)")
    par = run(screener, items[: args.parallel], 2)
    if par != got[: args.parallel]:
        n_bad = sum(1 for a, b in zip(par, got, strict=False) if a != b)
        print(f"FAIL: screen_many(workers=2) differs from workers=1 on {n_bad} rows")
        sys.exit(1)
    if args.save:
        with args.save.open("w", encoding="utf-8") as fh:
            for row in got:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"saved {len(got):,} rows, {sum(len(r['matches']) for r in got):,} matches, "
              f"{sum(bool(r['hit']) for r in got):,} hits to {args.save}")
        return
    want = [json.loads(line) for line in args.compare.open(encoding="utf-8")]
    got = [json.loads(json.dumps(r, ensure_ascii=False, sort_keys=True)) for r in got]
    if len(want) != len(got):
        print(f"FAIL: {len(got)} rows, expected {len(want)}")
        sys.exit(1)
    bad = [i for i, (a, b) in enumerate(zip(want, got, strict=True)) if a != b]
    for i in bad[:5]:
        print("DIFF row", i, "\n want", json.dumps(want[i], ensure_ascii=False)[:1500],
              "\n got ", json.dumps(got[i], ensure_ascii=False)[:1500])
    if bad:
        print(f"FAIL: {len(bad)} of {len(got):,} rows differ")
        sys.exit(1)
    print(f"OK: all {len(got):,} rows identical ({sum(len(r['matches']) for r in got):,} matches, "
          f"{sum(bool(r['hit']) for r in got):,} hits); workers=2 slice identical")


if __name__ == "__main__":
    main()
