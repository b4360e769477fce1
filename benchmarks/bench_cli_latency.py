"""Warm command-line latency of ``chipscreen screen`` and ``chipscreen check`` (issue 14 item 19, target: a
warm command answers in <= 1 s; the issue measured 3.4 s and 4.3 s).

A warm command runs on a home whose lists are loaded and whose names index and ownership structure are
cached: nothing is built. Each command is run ``--runs`` times as a user runs it (a new process each time); the
median is reported, and beside it, in the same run, the baselines it is made of: the interpreter alone,
importing the CLI, opening the cached names index (``names.index_cache``) and the cached ownership structure
(``ownership.structure_cache``), so a miss says which part is slow.

An installed chipscreen runs from bytecode that pip compiled once. A development environment may set
``PYTHONDONTWRITEBYTECODE`` (this one does), which makes every run compile every module from source (about
0.3 s): the children run without it, with their bytecode kept under a ``PYTHONPYCACHEPREFIX`` of the bench's
own, written by one unmeasured run of each command first. The output says so.

    .venv/bin/python benchmarks/bench_cli_latency.py [--home DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
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
PYCACHE = Path(tempfile.gettempdir()) / "chipscreen-bench-pycache"
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPYCACHEPREFIX": str(PYCACHE)}
"""The children's environment: bytecode written once and reused, as an installed copy runs."""
OPEN_STRUCTURE = ("import sys, time; from chipscreen.store import Store; from chipscreen.ownership import "
                  "structure_cache as c; s = Store(sys.argv[1], read_only=True); p = c.load_or_build(s); "
                  "t = time.perf_counter(); c.load(p); print(time.perf_counter() - t)")
OPEN_INDEX = ("import sys, time; from chipscreen.store import Store; from chipscreen.names.index_cache import "
              "load_or_build; s = Store(sys.argv[1], read_only=True); t = time.perf_counter(); "
              "load_or_build(s, s.snapshot().id, None); print(time.perf_counter() - t)")


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=ENV)
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
    screen_cmd = [*cli, "screen", "Huawei Technologies Co Ltd", "--home", str(home)]
    check_cmd = [*cli, "check", str(tx), "--home", str(home)]
    for cmd in (screen_cmd, check_cmd):  # unmeasured: writes the bytecode and the ownership structure file
        timed(cmd)
    rows = {
        "screen": median(screen_cmd, args.runs, "screen"),
        "check": median(check_cmd, args.runs, "check"),
    }
    base = {
        "python -c pass": median([py, "-c", "pass"], args.runs),
        "import chipscreen.cli": median([py, "-c", "import chipscreen.cli"], args.runs),
    }
    opened = [float(timed([py, "-c", OPEN_INDEX, str(home)])[1].stdout or "nan") for _ in range(args.runs)]
    structure = [float(timed([py, "-c", OPEN_STRUCTURE, str(home)])[1].stdout or "nan") for _ in range(args.runs)]
    for name, seconds in rows.items():
        verdict = "PASS" if seconds <= TARGET_SECONDS else "FAIL"
        print(f"warm {name}: {seconds:.2f} s median of {args.runs}, {CPU[name]:.2f} s of CPU "
              f"(target <= {TARGET_SECONDS:.0f} s: {verdict})")
    print("issue 14 before: screen 3.4 s, check 4.3 s")
    print(f"bytecode: as an installed copy, compiled once by an unmeasured first run into {PYCACHE} "
          f"(PYTHONDONTWRITEBYTECODE {'unset for the runs' if sys.flags.dont_write_bytecode else 'not set'})")
    for name, seconds in base.items():
        print(f"baseline {name}: {seconds:.2f} s")
    print(f"baseline open the cached names index: {statistics.median(opened):.3f} s")
    print(f"baseline open the cached ownership structure: {statistics.median(structure):.3f} s")


if __name__ == "__main__":
    main()
