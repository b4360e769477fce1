"""Warm command-line latency of ``chipscreen screen`` and ``chipscreen check`` (issue 14 item 19, target: a
warm command answers in <= 1 s; the issue measured 3.4 s and 4.3 s).

A warm command runs on a home whose lists are loaded and whose names index is cached: nothing is built.
Each command is run ``--runs`` times as a user runs it (a new process each time); the median is reported,
and beside it, in the same run, the baselines it is made of: the interpreter alone, importing the CLI, and
opening the cached names index (``names.index_cache``), so a miss says which part is slow.

    .venv/bin/python benchmarks/bench_cli_latency.py [--home DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chipscreen.bundled import open_store
from chipscreen.names.screener import Screener
from chipscreen.paths import data_dir

TARGET_SECONDS = 1.0
OPEN_INDEX = ("import sys, time; from chipscreen.store import Store; from chipscreen.names.index_cache import "
              "load_or_build; s = Store(sys.argv[1], read_only=True); t = time.perf_counter(); "
              "load_or_build(s, s.snapshot().id, None); print(time.perf_counter() - t)")


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, proc


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


CPU: dict[str, float] = {}
"""Median CPU seconds (user + system) of each command: on a machine other work shares, the figure that
does not depend on it (a warm command is one thread: on a quiet machine its wall time is about this)."""


def median(cmd: list[str], runs: int, name: str | None = None) -> float:
    times, cpu = [], []
    for _ in range(runs):
        before = _cpu()
        seconds, proc = timed(cmd)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-1500:]}")
        times.append(seconds)
        cpu.append(_cpu() - before)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=None, help="a home to use (default: a new one, warmed first)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="bench-cli-"))
    with open_store(home) as store:  # warm: the lists loaded, the index built and cached
        Screener(store)
    tx = home / "bench-tx.json"
    tx.write_text((data_dir() / "scenarios" / "three_routes.jsonl").read_text().splitlines()[3])
    py = sys.executable
    cli = [py, "-m", "chipscreen"]
    rows = {
        "screen": median([*cli, "screen", "Huawei Technologies Co Ltd", "--home", str(home)], args.runs, "screen"),
        "check": median([*cli, "check", str(tx), "--home", str(home)], args.runs, "check"),
    }
    base = {
        "python -c pass": median([py, "-c", "pass"], args.runs),
        "import chipscreen.cli": median([py, "-c", "import chipscreen.cli"], args.runs),
    }
    opened = [float(timed([py, "-c", OPEN_INDEX, str(home)])[1].stdout or "nan") for _ in range(args.runs)]
    for name, seconds in rows.items():
        verdict = "PASS" if seconds <= TARGET_SECONDS else "FAIL"
        print(f"warm {name}: {seconds:.2f} s median of {args.runs}, {CPU[name]:.2f} s of CPU "
              f"(target <= {TARGET_SECONDS:.0f} s: {verdict})")
    print("issue 14 before: screen 3.4 s, check 4.3 s")
    if sys.flags.dont_write_bytecode:
        print("note: PYTHONDONTWRITEBYTECODE is set, so every run compiles chipscreen from source (about 0.3 s); "
              "an installed chipscreen does not")
    for name, seconds in base.items():
        print(f"baseline {name}: {seconds:.2f} s")
    print(f"baseline open the cached names index: {statistics.median(opened):.3f} s")


if __name__ == "__main__":
    main()
