"""The audit log: every /match and /check answer recorded and chained; an edit or a deletion is found; the
log survives the service being killed."""

from __future__ import annotations

import itertools
import json
import shutil
import signal
import sqlite3
from pathlib import Path

import httpx
from service_helpers import Server, cli, new_key, start_server

QUERY = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Huawei Technologies"]}}}}


def records(server: Server) -> list[dict[str, object]]:
    with server.client("admin") as c:
        r = c.get("audit/export")
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines()]


def test_match_and_check_answers_are_recorded_with_snapshot_and_key(server: Server) -> None:
    with server.client("screen") as c:
        assert c.post("match/default", json=QUERY).status_code == 200
    recs = records(server)
    last = recs[-1]
    assert last["endpoint"] == "/match/default" and last["snapshot"] and last["key_id"] != "anonymous"
    assert last["summary"]["q"]["matches"]  # type: ignore[index]
    assert all(r["prev_hash"] == p["hash"] for p, r in itertools.pairwise(recs))


def test_only_admin_keys_export_the_log(server: Server) -> None:
    with server.client("screen") as c:
        assert c.get("audit/export").status_code == 403


def test_verify_finds_an_edited_and_a_deleted_record(server: Server, tmp_path: Path) -> None:
    with server.client("screen") as c:
        for _ in range(3):
            c.post("match/default", json=QUERY)
    assert cli(server.home, "audit", "verify").returncode == 0
    for tamper, word in (("UPDATE audit SET summary = '{}' WHERE seq = 2", "record 2: its content"),
                         ("DELETE FROM audit WHERE seq = 2", "records 2..2 are missing")):
        home = tmp_path / str(len(word))
        home.mkdir()
        with sqlite3.connect(server.home / "audit.sqlite") as src, sqlite3.connect(home / "audit.sqlite") as dst:
            src.backup(dst)
            dst.execute(tamper)
        got = cli(home, "audit", "verify")
        assert got.returncode == 1 and word in got.stderr


def test_the_log_survives_kill_9_and_the_chain_goes_on(server: Server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(server.home, home, ignore=shutil.ignore_patterns("*.wal", "keys.sqlite*", "audit.sqlite*"))
    key = new_key(home, "k", "screen")
    srv = start_server(home)
    headers = {"Authorization": f"ApiKey {key}"}
    for _ in range(3):
        assert httpx.post(srv.url + "match/default", json=QUERY, headers=headers, timeout=60).status_code == 200
    srv.process.send_signal(signal.SIGKILL)
    srv.process.wait()
    verdict = json.loads(cli(home, "audit", "verify", "--json").stdout)
    assert verdict["ok"] and verdict["records"] == 3
    again = start_server(home)
    try:
        assert httpx.post(again.url + "match/default", json=QUERY, headers=headers, timeout=60).status_code == 200
    finally:
        again.process.terminate()
        again.process.wait()
    verdict = json.loads(cli(home, "audit", "verify", "--json").stdout)
    assert verdict["ok"] and verdict["records"] == 4
    exported = cli(home, "audit", "export", "--since", "2000-01-01").stdout.splitlines()
    assert len(exported) == 4
