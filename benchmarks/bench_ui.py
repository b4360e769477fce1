"""Server time of the browser desk's two heaviest pages against issue 17's targets, with baselines in the same run.

- the Decision page of a three-routes scenario (R3-05: reasons, a route flag, the classification arithmetic,
  an ownership proof tree drawn as SVG): target <= 200 ms; baseline: the same decision's JSON export (the
  stored decision read back and serialised, no template, no graph);
- the review queue with 10,000 open cases, first and last page: target <= 300 ms; baseline: the queue's
  SQLite query alone (``CaseStore.queue``), without the page.

The app runs in this process (FastAPI's TestClient: the whole ASGI stack, sessions and CSRF included, no
socket), over a fresh home with the bundled lists and the scenarios' ownership file.

Run: ``.venv/bin/python benchmarks/bench_ui.py [--runs 50] [--cases 10000]``
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from chipscreen.bundled import open_store
from chipscreen.ownership import load_file
from chipscreen.paths import data_dir
from chipscreen.review import CaseInput, CaseStore, UserStore
from chipscreen.service import ServiceConfig, create_app

DECISION_TARGET_MS = 200.0
QUEUE_TARGET_MS = 300.0
PASSWORD = "benchmark password"


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # the first call compiles templates and warms caches
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(label: str, ms: list[float], target: float | None) -> None:
    p50, p95 = statistics.median(ms), sorted(ms)[int(len(ms) * 0.95) - 1]
    verdict = "" if target is None else f"  target <= {target:.0f} ms: {'met' if p95 <= target else 'MISSED'}"
    print(f"{label:<48} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(ms):7.1f} ms{verdict}")


def logged_in(client: TestClient) -> str:
    page = client.get("/ui/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token
    client.post("/ui/login", data={"name": "bench", "password": PASSWORD, "login_token": token.group(1)})
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/check").text)
    assert csrf
    return csrf.group(1)


def fill_queue(home: Path, n: int) -> None:
    cases = CaseStore(home)
    cases.file(CaseInput(f"Customer {i:05d} Trading Co., Ltd.", "CN", f"el-{i:06x}", "EL", f"Listed Entry {i}",
                         f"{i:064x}", "match", "benchmark", 0.8, "s1", {"matched_name": f"Listed Entry {i}"})
               for i in range(n))
    cases.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--cases", type=int, default=10_000)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    t0 = time.perf_counter()
    with open_store(home) as store:
        load_file(store, data_dir() / "scenarios" / "ownership.csv")
    UserStore(home).add("bench", "reviewer", PASSWORD)
    app = create_app(ServiceConfig(home=home, auth=False), warm=False)
    app.state.service.warm()
    print(f"set-up (bundled lists, ownership, index): {time.perf_counter() - t0:.1f} s; home {home}")
    client = TestClient(app)
    csrf = logged_in(client)
    line = next(x for x in (data_dir() / "scenarios" / "three_routes.jsonl").read_text().splitlines() if "R3-05" in x)
    link = client.post("/ui/check", data={"csrf": csrf, "json": line}, follow_redirects=False).headers["location"]
    page = client.get(link)
    assert page.status_code == 200 and "<svg" in page.text, page.text[:300]
    report("decision page (R3-05, proof tree SVG)", timed(lambda: client.get(link), args.runs), DECISION_TARGET_MS)
    report("  baseline: its JSON export", timed(lambda: client.get(link + ".json"), args.runs), None)
    fill_queue(home, args.cases)
    cases = CaseStore(home)
    _, total = cases.queue()
    last = -(-total // cases.settings.page_size)
    print(f"queue: {total:,} open cases, {cases.settings.page_size} a page, {last} pages")
    for label, n in (("first", 1), ("last", last)):
        report(f"queue page ({label}, {total:,} open cases)", timed(lambda n=n: client.get(f"/ui/queue?page={n}"),
                                                                     args.runs), QUEUE_TARGET_MS)
        report(f"  baseline: CaseStore.queue alone ({label} page)", timed(lambda n=n: cases.queue(n), args.runs),
               None)
    app.state.service.close()
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
