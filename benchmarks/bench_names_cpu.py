"""CPU seconds per name of single-process screening, this tree's code against a baseline commit's, alternating.

Speed work on the names engine is judged on a machine other work shares: wall time then measures the
neighbours, and even CPU time moves by a fifth between runs of the same code (caches and cores are shared).
This script runs each side in its own child process (``--rounds`` times each, alternating, the first side
changing each round, so that a change in the machine's load falls on both), each child building the index
from the same store, warming the interpreter on ``--warm`` names and timing ``Screener.screen`` over the
same ``--n`` names (a stride through the speed bench's distinct names: its given x family recombinations
and the negatives as given) in ``time.process_time``. It prints every round, the median per side, the
ratio, and the hits per side (which must agree; ``check_screen_identical.py`` compares every result).

The baseline's sources are ``git archive``d from ``--baseline`` (default ``main``) into a temporary folder, where
they run as plain Python (no compiled build is made there); this tree runs compiled if ``make native`` built it
from its current sources (each round prints which).

Usage: ``python benchmarks/bench_names_cpu.py --home DIR [--baseline REV] [--n 20000] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATE = dt.date(2026, 1, 15)
STRIDE = 10
"""Every tenth of the bench's names: its recombinations and the negatives as given, in their proportion."""


def child(home: Path, n: int, warm: int) -> None:
    """Time one side (the ``chipscreen`` on ``sys.path``) and print its figures as one JSON line."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_names_speed import distinct_names, engine_status
    from chipscreen.bundled import open_store
    from chipscreen.names.index import NameIndex
    from chipscreen.names.screener import Screener

    store = open_store(home)
    snap = store.snapshot()
    screener = Screener(index=NameIndex.from_tables(store.names_table(snap), store.identifiers_table(snap)))
    names = distinct_names((n + warm) * STRIDE)[::STRIDE]
    for q in names[:warm]:
        screener.screen(q, date=DATE)
    gc.freeze()
    queries = names[warm : warm + n]
    t0 = time.process_time()
    hits = sum(screener.screen(q, date=DATE).hit for q in queries)
    cpu = time.process_time() - t0
    print(json.dumps({"cpu": cpu, "names": len(queries), "hits": hits, "engine": engine_status()}))


def baseline_tree(rev: str, into: Path) -> Path:
    """The baseline commit's ``src`` and ``data`` (the code reads its data beside its sources)."""
    archive = into / "base.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src", "data"], stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def run_side(src: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, __file__, "--child", "--home", str(args.home), "--n", str(args.n), "--warm", str(args.warm)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    got: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="A store home with the bundled lists loaded.")
    ap.add_argument("--baseline", default="main", help="The commit to compare with (default main).")
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--warm", type=int, default=2_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.home, args.n, args.warm)
        return
    with tempfile.TemporaryDirectory(prefix="chipscreen-cpu-") as tmp:
        sides = {"baseline": baseline_tree(args.baseline, Path(tmp)) / "src", "this tree": ROOT / "src"}
        cpu: dict[str, list[float]] = {k: [] for k in sides}
        hits: dict[str, set[int]] = {k: set() for k in sides}
        for r in range(args.rounds):
            order = list(sides.items())
            for side, src in order if r % 2 == 0 else order[::-1]:  # neither side always runs first
                got = run_side(src, args)
                cpu[side].append(got["cpu"])
                hits[side].add(int(got["hits"]))
                print(f"round {r + 1} {side:9}: {got['cpu']:.2f} CPU s for {int(got['names']):,} names "
                      f"({1000 * got['cpu'] / got['names']:.3f} ms/name), {int(got['hits'])} hits; {got['engine']}",
                      flush=True)
    base, ours = statistics.median(cpu["baseline"]), statistics.median(cpu["this tree"])
    print(f"\nmedian CPU s: baseline ({args.baseline}) {base:.2f}, this tree {ours:.2f}; "
          f"this tree / baseline = {ours / base:.3f} (the spread of the rounds is the noise floor)")
    if hits["baseline"] != hits["this tree"]:
        print(f"WARNING: hits differ: baseline {sorted(hits['baseline'])}, this tree {sorted(hits['this tree'])}")


if __name__ == "__main__":
    main()
