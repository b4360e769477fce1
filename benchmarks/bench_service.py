"""``chipscreen serve`` under load on loopback: single-query ``/match`` and one-transaction ``/check`` with
16 concurrent clients for a bounded time; requests/s, latency percentiles, errors, and the serving process's
memory. Baseline printed in the same run: yente's own guidance of about 4 requests/s per vCPU (logic-v2).

Targets (issue 16): /match >= 250 requests/s with p99 <= 50 ms and no error; /check >= 100 requests/s.

    .venv/bin/python benchmarks/bench_service.py [--duration 20] [--clients 16] [--home DIR]

The service runs in its own process (uvicorn, one worker); the clients are asyncio tasks in this one, so on
2 cores each side has about one. The home defaults to a temporary copy of $CHIPSCREEN_HOME (or a fresh one
loaded with the bundled lists)."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from chipscreen.bundled import open_store
from chipscreen.service.keys import KeyStore
from chipscreen.store import default_home

YENTE_REQ_PER_VCPU = 4.0  # yente's documentation: about 4 requests/s per vCPU with logic-v2
NAMES = ["Huawei Technologies Co., Ltd.", "Semiconductor Manufacturing International Corp", "Acme Widgets Ltd",
         "Beijing Sensetime Technology Development Co", "Zhejiang Dahua Technology", "Inspur Group",
         "Nordic Timber Supplies AB", "Shenzhen DJI Innovation Technology", "Rosoboronexport",
         "Harbin Institute of Technology", "Maple Leaf Bakery Inc", "Sugon Information Industry"]
COUNTRIES = ["CN", "CN", "GB", "CN", "CN", "CN", "SE", "CN", "RU", "CN", "CA", "CN"]
TX = {"id": "b", "date": "2026-08-01", "kind": "export", "item": "nvidia-h100-sxm5", "from": "US", "to": "SG",
      "parties": [{"role": "end_user", "name": "", "country": ""}]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_home(src: Path | None) -> Path:
    home = Path(tempfile.mkdtemp(prefix="chipscreen-bench-"))
    source = src or default_home()
    if (source / "chipscreen.duckdb").exists():
        shutil.copytree(source, home, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.wal", "keys.sqlite*", "audit.sqlite*"))
    else:
        open_store(home).close()
    return home


def start(home: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "CHIPSCREEN_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "chipscreen", "serve", "--port", str(port), "--workers",
                             str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def sample_names(url: str, key: str, n: int = 300) -> None:
    """Names of listed entities (as listed, and with one letter dropped) among the fixed unlisted ones, so that
    the load screens many different names, hits and misses, instead of a dozen over and over."""
    got = httpx.get(url + "search/default", params={"limit": n}, headers={"Authorization": f"ApiKey {key}"},
                    timeout=60).json()
    for j, e in enumerate(got["results"]):
        name = e["caption"]
        NAMES.append(name if j % 2 else name[: len(name) // 2] + name[len(name) // 2 + 1:])
        COUNTRIES.append((e["properties"].get("country") or [""])[0].upper())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the serving processes (Linux /proc), for the service's CPU per request."""
    total = 0
    for p in tree(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def match_body(i: int) -> dict[str, Any]:
    k = i % len(NAMES)
    props = {"name": [NAMES[k]], **({"country": [COUNTRIES[k]]} if COUNTRIES[k] else {})}
    return {"queries": {"q": {"schema": "Company", "properties": props}}}


def check_body(i: int) -> dict[str, Any]:
    k = i % len(NAMES)
    party = {"role": "end_user", "name": NAMES[k], **({"country": COUNTRIES[k]} if COUNTRIES[k] else {})}
    return {"queries": {"t": {**TX, "id": f"b{i}", "parties": [party]}}}


async def load(url: str, key: str, path: str, body_of: Any, clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    codes: dict[str, int] = {}
    stop_at = time.monotonic() + seconds
    headers = {"Authorization": f"ApiKey {key}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as client:

        async def worker(w: int) -> None:
            nonlocal errors
            i = w
            while time.monotonic() < stop_at:
                t0 = time.perf_counter()
                try:
                    r = await client.post(path, json=body_of(i))
                    ok, code = r.status_code == 200, str(r.status_code)
                except httpx.HTTPError as exc:
                    ok, code = False, type(exc).__name__
                if not ok:
                    codes[code] = codes.get(code, 0) + 1
                latencies.append(time.perf_counter() - t0)
                errors += 0 if ok else 1
                i += clients

        t0 = time.monotonic()
        await asyncio.gather(*(worker(w) for w in range(clients)))
        elapsed = time.monotonic() - t0
    lat = sorted(latencies)
    pct = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000) if lat else (lambda p: float("nan"))
    return {"requests": len(lat), "rps": len(lat) / elapsed, "p50": pct(0.50), "p99": pct(0.99),
            "mean": statistics.fmean(lat) * 1000 if lat else float("nan"), "errors": errors, "codes": codes}


def measured(pid: int, url: str, key: str, path: str, body_of: Any, clients: int, seconds: float) -> dict[str, Any]:
    cpu0 = cpu_seconds(pid)
    got = asyncio.run(load(url, key, path, body_of, clients, seconds))
    got["cpu_ms"] = (cpu_seconds(pid) - cpu0) * 1000 / max(1, got["requests"])
    return got


def report(name: str, got: dict[str, Any], target_rps: float, target_p99: float | None) -> None:
    ok = got["rps"] >= target_rps and got["errors"] == 0 and (target_p99 is None or got["p99"] <= target_p99)
    print(f"{name:8} {got['requests']:7,} requests  {got['rps']:8.1f} req/s  p50 {got['p50']:6.1f} ms  "
          f"p99 {got['p99']:6.1f} ms  errors {got['errors']}  target >= {target_rps:.0f} req/s"
          + (f", p99 <= {target_p99:.0f} ms" if target_p99 else "") + f"  {'MET' if ok else 'NOT MET'}")
    if got["codes"]:
        print(f"         errors by kind: {got['codes']}")
    print(f"         service CPU {got['cpu_ms']:.2f} ms per request: at most {1000 / got['cpu_ms']:.0f} req/s per "
          "core it has to itself")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of /match load (the issue says 60)")
    ap.add_argument("--check-duration", type=float, default=10.0, help="seconds of /check load")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--workers", type=int, default=1, help="service processes (chipscreen serve --workers)")
    ap.add_argument("--home", type=Path, default=None, help="home to copy (default $CHIPSCREEN_HOME)")
    args = ap.parse_args()
    home = prepare_home(args.home)
    keys = KeyStore(home)
    key = keys.create("bench", ["screen", "decide"], rate_per_minute=10_000_000)[1]
    keys.close()
    t0 = time.monotonic()
    proc, url = start(home, args.workers)
    print(f"service ready in {time.monotonic() - t0:.1f} s (pid {proc.pid}); {args.clients} clients; cpus "
          f"{os.cpu_count()}; load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")
    try:
        sample_names(url, key)
        asyncio.run(load(url, key, "match/default", match_body, args.clients, 2.0))  # warm the connections
        m = measured(proc.pid, url, key, "match/default", match_body, args.clients, args.duration)
        report("/match", m, 250, 50)
        c = measured(proc.pid, url, key, "check", check_body, args.clients, args.check_duration)
        report("/check", c, 100, None)
        rss, peak = rss_mb(proc.pid)
        print(f"memory   serving processes ({args.workers} worker(s)) RSS {rss:.0f} MB (peak {peak:.0f} MB)")
        vcpus = os.cpu_count() or 1
        baseline = YENTE_REQ_PER_VCPU * vcpus
        print(f"baseline yente guidance {YENTE_REQ_PER_VCPU:.0f} req/s per vCPU x {vcpus} = {baseline:.0f} req/s; "
              f"chipscreen /match {m['rps']:.0f} req/s = {m['rps'] / baseline:.1f}x")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
