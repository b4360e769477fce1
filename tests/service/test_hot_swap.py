"""``chipscreen lists load`` while the service answers: the new snapshot's index is built beside the old and
swapped in; under load no request fails, and every answer is wholly the old snapshot's or the new one's
(named by the ``x-chipscreen-snapshot`` header), never a mix, and never the old one again after the new."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_helpers import Server, cli, copy_home, new_key, start_server, stop

NEW_NAME = "Example Compute Rental Co."
LISTED = "Semiconductor Manufacturing International Corporation"
CLIENTS = 4
SWAP_TIMEOUT_S = 240


@pytest.fixture
def own_server(bundled_home: Path, tmp_path: Path) -> Iterator[Server]:
    """A service of its own: the load changes its home, which the session's service must not see."""
    home = copy_home(bundled_home, tmp_path / "home")
    key = new_key(home, "swap", "screen")
    srv = start_server(home)
    srv.keys = {"screen": key}
    yield srv
    stop(srv)


def hammer(srv: Server, stop_at: threading.Event, seen: list[tuple[str, dict[str, Any]]], errors: list[str]) -> None:
    """One client: the same two queries again and again, keeping each answer with the snapshot that gave it."""
    body = {"queries": {"new": {"schema": "LegalEntity", "properties": {"name": [NEW_NAME], "country": ["CN"]}},
                        "old": {"schema": "Company", "properties": {"name": [LISTED]}}}}
    with srv.client() as c:
        while not stop_at.is_set():
            try:
                r = c.post("match/default", json=body)
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
                continue
            if r.status_code != 200:
                errors.append(f"{r.status_code}: {r.text[:300]}")
                continue
            seen.append((r.headers["x-chipscreen-snapshot"], r.json()["responses"]))


def test_a_list_loaded_under_load_is_swapped_in_without_a_failed_or_mixed_answer(own_server: Server,
                                                                                tmp_path: Path) -> None:
    stop_at = threading.Event()
    seen: list[list[tuple[str, dict[str, Any]]]] = [[] for _ in range(CLIENTS)]
    errors: list[str] = []
    threads = [threading.Thread(target=hammer, args=(own_server, stop_at, seen[i], errors)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    try:
        watch = tmp_path / "watch.csv"
        watch.write_text(f"name,country\n{NEW_NAME},CN\n")
        loaded = cli(own_server.home, "lists", "load", str(watch), "--list", "WATCH", "--json")
        assert loaded.returncode == 0, loaded.stderr
        new_snapshot = json.loads(loaded.stdout)["snapshot"]
        deadline = time.monotonic() + SWAP_TIMEOUT_S
        while not any(s == new_snapshot for client in seen for s, _ in client[-3:]):
            assert time.monotonic() < deadline, f"the new snapshot was not served within {SWAP_TIMEOUT_S} s"
            assert not errors, errors[:5]
            time.sleep(0.5)
        time.sleep(1.0)  # answers from the new snapshot only, for a while
    finally:
        stop_at.set()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors[:5]
    answers = [a for client in seen for a in client]
    snapshots = {s for s, _ in answers}
    assert len(snapshots) == 2 and new_snapshot in snapshots, snapshots
    old_snapshot = (snapshots - {new_snapshot}).pop()
    listed_ids = {tuple(r["id"] for r in resp["old"]["results"]) for _, resp in answers}
    assert len(listed_ids) == 1 and listed_ids.pop(), "the unchanged list answers the same in both snapshots"
    for snap, resp in answers:
        on_watch = [r for r in resp["new"]["results"] if "watch" in r["datasets"]]
        if snap == old_snapshot:
            assert not on_watch, resp["new"]
        else:
            assert on_watch and on_watch[0]["caption"] == NEW_NAME and on_watch[0]["match"], resp["new"]
    for client in seen:  # once a client has the new snapshot it never gets the old one back
        order = [s for s, _ in client]
        assert old_snapshot not in order[order.index(new_snapshot):] if new_snapshot in order else True
    assert sum(1 for s, _ in answers if s == old_snapshot) > 0, "some answers came while the new index was built"
