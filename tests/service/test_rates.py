"""A key's rate holds across processes: every process serving a home takes from one bucket per key, so
``serve --workers 2`` lets a key through at its rate, not twice it; over the rate is 429 with Retry-After."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from service_helpers import Server, copy_home, new_key, start_server, stop

from chipscreen.service.rates import RateLimiter

REQUESTS = 16
LONG_NAME = "China Electronics Technology Group Corporation 13th Research Institute Procurement Department"
TWO_WORKERS_READY_S = 480  # each worker builds its own index at once: twice the CPU of one on a shared machine
# one process taking from the home's bucket at a fixed time (argv: home, key, rate, times, now): prints grants
TAKER = """
import sys
from pathlib import Path
from chipscreen.service.rates import RateLimiter
home, key, rate, times, now = sys.argv[1:]
limiter = RateLimiter(Path(home), clock=lambda: float(now))
print(sum(limiter.take(key, int(rate)) == 0.0 for _ in range(int(times))))
"""


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_rate_in_a_burst_then_refills_with_time(tmp_path: Path) -> None:
    clock = Clock()
    limiter = RateLimiter(tmp_path, clock=clock)
    assert [limiter.take("k", 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("k", 3) == pytest.approx(20.0)  # 3 a minute: the next token in 20 s
    clock.now += 20.0
    assert limiter.take("k", 3) == 0.0 and limiter.take("k", 3) > 0
    assert limiter.take("other", 3) == 0.0  # keys do not share a bucket


def test_two_limiters_on_one_home_share_the_bucket(tmp_path: Path) -> None:
    clock = Clock()
    first, second = RateLimiter(tmp_path, clock=clock), RateLimiter(tmp_path, clock=clock)
    grants = [lim.take("k", 4) == 0.0 for _ in range(4) for lim in (first, second)]
    assert grants.count(True) == 4


def test_processes_taking_at_once_grant_the_rate_exactly_once(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    args = [sys.executable, "-c", TAKER, str(tmp_path), "k", "30", "40", "1000000"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env) for _ in range(3)]
    grants = [int(p.communicate(timeout=120)[0]) for p in procs]
    assert sum(grants) == 30, grants


@pytest.fixture
def two_workers(bundled_home: Path, tmp_path: Path) -> Iterator[Server]:
    home = copy_home(bundled_home, tmp_path / "home")
    srv = start_server(home, "--workers", "2", ready_timeout=TWO_WORKERS_READY_S)
    srv.keys = {"slow": new_key(home, "throttled", "screen", rate=2)}
    yield srv
    stop(srv)


def test_two_workers_hold_one_rate_and_429_says_when_to_retry(two_workers: Server) -> None:
    headers = {"Authorization": f"ApiKey {two_workers.keys['slow']}"}
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": [LONG_NAME]}}}}
    start = threading.Barrier(REQUESTS)

    def ask(_: int) -> httpx.Response:
        # a connection of its own per request, all sent at once. Which worker accepts which connection is the
        # kernel's choice: with a bucket per process this test alone has still passed (one worker took all
        # sixteen), so the sharing itself is proven by the three processes above; this proves the limit and
        # Retry-After under `serve --workers 2`
        with httpx.Client(base_url=two_workers.url, headers=headers, timeout=120) as client:
            start.wait()
            return client.post("match/default", json=body)

    with ThreadPoolExecutor(REQUESTS) as pool:
        got = list(pool.map(ask, range(REQUESTS)))
    codes = [r.status_code for r in got]
    assert codes.count(200) == 2 and codes.count(429) == REQUESTS - 2, codes
    refused = [r for r in got if r.status_code == 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)
    assert "2 requests a minute" in refused[0].json()["detail"]
