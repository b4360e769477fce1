"""Classify 100,000 items against the 5 s target, with a naive baseline measured in the same run.

Items are variations of the catalog ICs (TOPS scaled 0.3-1.6x, die area and I/O jittered, datacenter
flag flipped for a fifth, a tenth without die area, a few systems and HBM parts), so every paragraph,
Note 2 and the undetermined path are exercised. Figures:

- ``classify_many`` (explain=True): the bulk API, with the arithmetic strings (the target figure);
- ``classify_many`` (explain=False): the same decisions without the strings;
- ``classify`` in a plain loop keeping every result, cyclic GC running (what a naive caller gets);
- JSON path: ``parse_item`` (pydantic validation of each dict) + ``classify_many``;
- baseline "naive": reload and re-validate the YAML rulebooks and country groups for every call, as a
  straightforward implementation without the compiled, cached rulebook would. Measured on a sample and
  extrapolated (running it on 100,000 items would take minutes).

Run: ``.venv/bin/python benchmarks/bench_classify.py [N]``
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections import Counter

from chipscreen.model import Item
from chipscreen.rules import catalog, classify, classify_many, parse_item, rulebook_for
from chipscreen.rules.rulebook import clear_cache

TARGET_S = 5.0
DAY = dt.date(2026, 3, 1)


def make_items(n: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    ics = [e.item for e in catalog() if e.item.kind == "ic"]
    others = [e.item for e in catalog() if e.item.kind != "ic"]
    out: list[dict[str, object]] = []
    for i in range(n):
        if i % 50 == 0:
            out.append(rng.choice(others).model_dump(exclude_none=True))
            continue
        base = rng.choice(ics)
        scale = rng.uniform(0.3, 1.6)
        d: dict[str, object] = base.model_dump(exclude_none=True)
        d["id"] = f"{base.id}-v{i}"
        d["dense_tops"] = {k: round(v * scale, 2) for k, v in base.dense_tops.items()}
        if base.die_area_mm2 and rng.random() > 0.1:
            d["die_area_mm2"] = round(base.die_area_mm2 * rng.uniform(0.7, 1.3), 1)
        else:
            d.pop("die_area_mm2", None)
        if base.io_bandwidth_gbs:
            d["io_bandwidth_gbs"] = round(base.io_bandwidth_gbs * rng.uniform(0.6, 1.4), 1)
        if rng.random() < 0.2:
            d["datacenter"] = not base.datacenter
        out.append(d)
    return out


def timed(label: str, fn: object, *args: object) -> float:
    t0 = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    raw = make_items(n)
    t0 = time.perf_counter()
    items = [Item.model_validate(d) for d in raw]
    t_build = time.perf_counter() - t0
    rb = rulebook_for(DAY)
    classify(items[0], DAY)  # warm the caches (YAML load and compile happen once per process)

    t0 = time.perf_counter()
    results = classify_many(items, DAY, rb)
    t_many = time.perf_counter() - t0

    t0 = time.perf_counter()
    classify_many(items, DAY, rb, explain=False)
    t_fast = time.perf_counter() - t0

    t0 = time.perf_counter()
    loop = [classify(it, DAY, rb) for it in items]
    t_loop = time.perf_counter() - t0
    del loop

    t0 = time.perf_counter()
    classify_many([parse_item(d) for d in raw], DAY, rb)
    t_json = time.perf_counter() - t0

    sample = items[: max(1, min(300, n))]
    t0 = time.perf_counter()
    for it in sample:
        clear_cache()
        classify(it, DAY)
    t_naive_sample = time.perf_counter() - t0
    t_naive = t_naive_sample / len(sample) * n

    status = Counter(r.status for r in results)
    paras = Counter(r.paragraph for r in results)
    print(f"items: {n:,} (catalog variations; rulebook {rb.id} on {DAY})")
    print(f"  outcomes: {dict(status)}; paragraphs: {dict(paras)}")
    print(f"  building Items with pydantic (not counted below): {t_build:.2f} s")
    print(f"{'path':<60} {'seconds':>9} {'items/s':>11} {'vs 5 s target':>15}")
    rows = [
        ("classify_many (explain=True): the figure for the target", t_many),
        ("classify_many (explain=False)", t_fast),
        ("classify() in a plain loop, results kept, GC running", t_loop),
        ("JSON dicts -> parse_item -> classify_many", t_json),
        (f"baseline naive reload-per-call (x{len(sample)}, extrapolated)", t_naive),
    ]
    for label, t in rows:
        verdict = "ok" if t <= TARGET_S else "over"
        print(f"{label:<60} {t:>9.2f} {n / t:>11,.0f} {verdict:>15}")
    print(f"speed-up of the compiled, cached rulebook over the naive baseline: {t_naive / t_many:,.0f}x")
    if t_many > TARGET_S:
        sys.exit(1)


if __name__ == "__main__":
    main()
