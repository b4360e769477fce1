"""The Monitor page over HTTP after a real ``chipscreen monitor add`` and ``monitor run`` into the served home:
the watch set's counts, the last run and each finding with the list entry or the rule that caused it."""

from __future__ import annotations

import json
from pathlib import Path

from desk_server import DeskServer
from test_http import login

from chipscreen.paths import data_dir


def x03() -> str:
    return next(line for line in (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8")
                .splitlines() if json.loads(line)["id"] == "X-03")


def test_the_monitor_page_shows_the_last_runs_findings_and_their_causes(
        desk: DeskServer, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    home = str(desk.home)
    customers = tmp_path / "customers.csv"
    customers.write_text("name,country,id\nMegvii Technology,CN,M1\nAcme Robotics GmbH,DE,A1\n", encoding="utf-8")
    (tmp_path / "open.jsonl").write_text(x03() + "\n", encoding="utf-8")
    assert run_cli("monitor", "add", str(customers), "--home", home)[0] == 0
    assert run_cli("monitor", "add-transactions", str(tmp_path / "open.jsonl"), "--home", home)[0] == 0
    code, out, _ = run_cli("monitor", "run", "--home", home, "--json")
    report = json.loads(out)
    hit = next(f for f in report["parties"] if f["party_name"] == "Megvii Technology")
    reason = report["transactions"][0]["appeared"][0]
    assert code == 1 and report["transactions"][0]["tx_id"] == "X-03"

    with desk.client() as c:
        login(c, "vic")  # a viewer may read it
        page = c.get("/ui/monitor")
    assert page.status_code == 200
    text = page.text
    assert 'href="/ui/monitor" aria-current="page"' in text
    assert "Watching 2 parties and 1 open transaction " in text
    assert f"<td>{report['run']}</td>" in text and report["new_snapshot"] in text
    assert f"<td>{len(report['parties']) + len(report['transactions'])}</td>" in text
    assert hit["entity_id"] in text and hit["entry_name"] in text and hit["kind"] in text
    assert "X-03" in text and reason["code"] in text and (reason.get("citation") or "") in text


def test_the_monitor_page_needs_a_login(desk: DeskServer) -> None:
    with desk.client() as c:
        assert c.get("/ui/monitor").status_code == 303
