"""``chipscreen serve`` under load on loopback: single-query ``/match`` and one-transaction ``/check`` with
16 concurrent connections for a bounded time; requests/s, latency percentiles, errors, the service's CPU per
request and the serving processes' memory. Baseline printed in the same run: yente's own guidance of about 4
requests/s per vCPU (logic-v2).

Targets (issue 16): /match >= 250 requests/s with p99 <= 50 ms and no error; /check >= 100 requests/s.

    .venv/bin/python benchmarks/bench_service.py [--duration 60] [--clients 16] [--workers 1,2] [--home DIR]

Each worker count gets its own run over a fresh copy of the home (default: 1, then 2 processes); after each,
the audit log's chain is verified (several workers append to one chain).

The load generator is ``wrk`` (Debian's ``wrk``: C, epoll, one thread), which costs the 2 cores little next
to the service; its Lua script (``wrk_bodies.lua``) sends each connection through a file of request bodies,
one per line. The queries are what a customer file holds, not a dozen names over and over: listed
organisations' names written the ways customer data writes them (``dirty_names.positives``: case, legal form
dropped, abbreviations, typos, word order, addresses, Pinyin, Han) and real companies on no list (GLEIF's
sample, China's MOFCOM lists: ``dirty_names.negative_names``), half of them with a country; several hundred
different queries, shuffled with a seed. The service caches no answer, so a repeat costs what the first did.
The client's own CPU is printed too: on 2 shared cores it is time the service did not have."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from chipscreen.bundled import open_store
from chipscreen.service.audit import AuditLog
from chipscreen.service.keys import KeyStore
from chipscreen.store import default_home
from dirty_names import negative_names, positives

YENTE_REQ_PER_VCPU = 4.0  # yente's documentation: about 4 requests/s per vCPU with logic-v2
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
LUA = Path(__file__).with_name("wrk_bodies.lua")
TX = {"date": "2026-08-01", "kind": "export", "item": "nvidia-h100-sxm5", "from": "US", "to": "SG"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_home(src: Path | None) -> Path:
    home = Path(tempfile.mkdtemp(prefix="chipscreen-bench-"))
    source = src or default_home()
    if (source / "chipscreen.duckdb").exists():
        shutil.copytree(source, home, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.wal", "keys.sqlite*", "audit.sqlite*", "rates.sqlite*"))
    else:
        open_store(home).close()
    return home


def queries(home: Path, per_kind: int, negatives: int, seed: int) -> list[tuple[str, str]]:
    """(name, country or "") pairs: listed names written dirty and unlisted companies, shuffled."""
    with open_store(home, read_only=True) as store:
        rows = store.names_table(store.snapshot()).to_pylist()
    country = {str(r["entity_id"]): str(r["country"] or "") for r in rows}
    rng = random.Random(seed)
    out = [(c.query, country.get(min(c.truth), "") if c.truth else "") for c in positives(rows, per_kind, seed, None)]
    unlisted = negative_names(SHARED)
    out += [(name, "") for name, _src in rng.sample(unlisted, min(negatives, len(unlisted)))]
    out = [(name, cc if rng.random() < 0.5 else "") for name, cc in dict(out).items()]  # one per name
    rng.shuffle(out)
    return out


def match_body(name: str, country: str) -> dict[str, Any]:
    props = {"name": [name], **({"country": [country]} if country else {})}
    return {"queries": {"q": {"schema": "Company", "properties": props}}}


def check_body(i: int, name: str, country: str) -> dict[str, Any]:
    party = {"role": "end_user", "name": name, **({"country": country} if country else {})}
    return {"queries": {"t": {**TX, "id": f"b{i}", "parties": [party]}}}


def write_bodies(path: Path, bodies: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bodies), encoding="utf-8")
    return path


def start(home: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "CHIPSCREEN_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "chipscreen", "serve", "--port", str(port), "--workers",
                             str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "readyz", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the service did not become ready within 300 s")


def tree(pid: int) -> list[int]:
    """The process and its descendants (uvicorn's workers), from Linux /proc."""
    out = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            out += tree(int(child))
    return out


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of the serving processes together, in MB (Linux /proc)."""
    rss = peak = 0.0
    for p in tree(pid):
        lines = Path(f"/proc/{p}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        rss += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return rss, peak


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the serving processes (Linux /proc), for the service's CPU per request."""
    total = 0
    for p in tree(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url: str, key: str, bodies: Path, clients: int, seconds: float) -> dict[str, Any]:
    """One wrk run: its summary (the Lua ``done`` prints one JSON line) and the CPU wrk itself used."""
    exe = shutil.which("wrk")
    if exe is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package)")
    args = [exe, "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(LUA), url, "--",
            str(bodies), key]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=seconds + 120)
    line = next((x for x in out.splitlines() if x.startswith("{")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({proc.returncode}): {err or out}")
    got: dict[str, Any] = json.loads(line)
    return got


def measured(pid: int, url: str, key: str, bodies: Path, clients: int, seconds: float) -> dict[str, Any]:
    cpu0, own0 = cpu_seconds(pid), os.times()
    got = wrk(url, key, bodies, clients, seconds)
    own1 = os.times()
    n = max(1, got["requests"])
    got["cpu_ms"] = (cpu_seconds(pid) - cpu0) * 1000 / n
    got["client_cpu_ms"] = (own1.children_user + own1.children_system - own0.children_user
                            - own0.children_system) * 1000 / n
    return got


def report(name: str, got: dict[str, Any], target_rps: float, target_p99: float | None) -> None:
    errors = got["errors"]
    ok = got["rps"] >= target_rps and errors == 0 and (target_p99 is None or got["p99"] <= target_p99)
    print(f"{name:10} {got['requests']:7,} requests  {got['rps']:8.1f} req/s  p50 {got['p50']:6.1f} ms  "
          f"p99 {got['p99']:6.1f} ms  max {got['max']:6.1f} ms  errors {errors}  target >= {target_rps:.0f} req/s"
          + (f", p99 <= {target_p99:.0f} ms" if target_p99 else "") + f"  {'MET' if ok else 'NOT MET'}")
    if errors:
        print(f"           errors by kind: {got['error_kinds']}")
    print(f"           service CPU {got['cpu_ms']:.2f} ms per request (at most {1000 / got['cpu_ms']:.0f} req/s per "
          f"core it has to itself); the load generator's CPU {got['client_cpu_ms']:.3f} ms per request")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of /match load (the issue says 60)")
    ap.add_argument("--check-duration", type=float, default=20.0, help="seconds of /check load")
    ap.add_argument("--clients", type=int, default=16, help="concurrent connections")
    ap.add_argument("--workers", default="1,2",
                    help="service processes (chipscreen serve --workers), one run per comma-separated count")
    ap.add_argument("--per-kind", type=int, default=40, help="dirty writings of listed names per kind")
    ap.add_argument("--negatives", type=int, default=300, help="unlisted companies among the queries")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--home", type=Path, default=None, help="home to copy (default $CHIPSCREEN_HOME)")
    args = ap.parse_args()
    counts = [int(w) for w in str(args.workers).split(",")]
    home = prepare_home(args.home)
    try:
        qs = queries(home, args.per_kind, args.negatives, args.seed)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    got = {w: run(args, qs, w) for w in counts}
    vcpus = os.cpu_count() or 1
    baseline = YENTE_REQ_PER_VCPU * vcpus
    for w, m in got.items():
        print(f"baseline yente guidance {YENTE_REQ_PER_VCPU:.0f} req/s per vCPU x {vcpus} = {baseline:.0f} req/s; "
              f"chipscreen /match with {w} worker(s) {m['rps']:.0f} req/s = {m['rps'] / baseline:.1f}x")


def run(args: argparse.Namespace, qs: list[tuple[str, str]], workers: int) -> dict[str, Any]:
    """One service with ``workers`` processes over a fresh copy of the home (no case filed, no audit record
    yet), loaded with /match then /check; its /match figures."""
    home = prepare_home(args.home)
    match_file = write_bodies(home / "match.jsonl", [match_body(n, c) for n, c in qs])
    check_file = write_bodies(home / "check.jsonl", [check_body(i, n, c) for i, (n, c) in enumerate(qs)])
    keys = KeyStore(home)
    key = keys.create("bench", ["screen", "decide"], rate_per_minute=10_000_000)[1]
    keys.close()
    t0 = time.monotonic()
    proc, url = start(home, workers)
    print(f"service ready in {time.monotonic() - t0:.1f} s (pid {proc.pid}, {workers} worker(s)); "
          f"{args.clients} connections from wrk; {len(qs)} different queries; cpus {os.cpu_count()}; load "
          f"average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")
    try:
        wrk(url + "match/default", key, match_file, args.clients, 3)  # warm the connections and the memos
        m = measured(proc.pid, url + "match/default", key, match_file, args.clients, args.duration)
        report(f"/match {workers}w", m, 250, 50)
        c = measured(proc.pid, url + "check", key, check_file, args.clients, args.check_duration)
        report(f"/check {workers}w", c, 100, None)
        rss, peak = rss_mb(proc.pid)
        print(f"memory   serving processes ({workers} worker(s)) RSS {rss:.0f} MB (peak {peak:.0f} MB)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    log = AuditLog(home)
    verdict = log.verify()
    log.close()
    chain = "valid" if verdict.ok else "BROKEN: " + "; ".join(verdict.problems[:3])
    print(f"audit    {verdict.records:,} records written by {workers} worker(s), chain {chain}")
    shutil.rmtree(home, ignore_errors=True)
    return m


if __name__ == "__main__":
    main()
