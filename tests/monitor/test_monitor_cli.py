"""``chipscreen monitor`` through the real entry point: exit 1 when something newly needs attention, 0 when
nothing does, 2 with a located message for a bad file."""

from __future__ import annotations

import json
from pathlib import Path


def test_add_run_and_run_again(tmp_path: Path, shared: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    home = str(tmp_path / "home")
    code, _, _ = run_cli("lists", "load", str(shared / "csl" / "csl_sample_2019.csv"), "--replace",
                         "--accept-shrink", "--home", home)
    assert code == 0
    customers = tmp_path / "customers.csv"
    customers.write_text("name,country,id\nGulf Gate Shipping Co. LLC,AE,C1\nAcme Robotics GmbH,DE,C3\n",
                         encoding="utf-8")
    code, out, _ = run_cli("monitor", "add", str(customers), "--home", home, "--json")
    assert code == 0 and json.loads(out)["watched_parties"] == 2

    page = tmp_path / "report.html"
    code, out, _ = run_cli("monitor", "run", "--home", home, "--json", "--out", str(page))
    report = json.loads(out)
    assert code == 1 and report["baseline"] and report["needs_attention"]
    assert "parties-C1" in {f["party_id"] for f in report["parties"] if f["kind"] == "hit"}
    assert "Gulf Gate Shipping" in page.read_text(encoding="utf-8")

    code, out, _ = run_cli("monitor", "run", "--home", home, "--workers", "2")
    assert code == 0 and "Nothing newly needs attention" in out


def test_workers_must_be_at_least_one(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("monitor", "run", "--workers", "0", "--home", str(tmp_path / "home"))
    assert code == 2 and "--workers" in err + out and "Traceback" not in err + out


def test_a_bad_parties_file_is_a_located_error(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "customers.csv"
    bad.write_text("name,country\n,DE\n", encoding="utf-8")
    code, out, err = run_cli("monitor", "add", str(bad), "--home", str(tmp_path / "home"))
    assert code == 2 and "customers.csv:2" in err and "Traceback" not in err + out


def test_run_with_queue_files_its_findings_as_cases_once(tmp_path: Path, shared: Path,  # type: ignore[no-untyped-def]
                                                          run_cli) -> None:
    from chipscreen.paths import data_dir
    from chipscreen.review import CaseStore

    home = str(tmp_path / "home")
    assert run_cli("lists", "load", str(shared / "csl" / "csl_sample_2019.csv"), "--replace", "--accept-shrink",
                   "--home", home)[0] == 0
    customers = tmp_path / "customers.csv"
    customers.write_text("name,country,id\nGulf Gate Shipping Co. LLC,AE,C1\nAcme Robotics GmbH,DE,C3\n",
                         encoding="utf-8")
    x03 = next(line for line in (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8")
               .splitlines() if json.loads(line)["id"] == "X-03")
    (tmp_path / "open.jsonl").write_text(x03 + "\n", encoding="utf-8")
    assert run_cli("monitor", "add", str(customers), "--home", home)[0] == 0
    assert run_cli("monitor", "add-transactions", str(tmp_path / "open.jsonl"), "--home", home)[0] == 0

    code, out, err = run_cli("monitor", "run", "--queue", "--home", home, "--json")
    report = json.loads(out)
    cases = CaseStore(Path(home))
    filed, total = cases.queue(1, 1000)
    cases.close()
    hits = {f["entity_id"] for f in report["parties"] if f["kind"] in ("hit", "possible match")}
    assert code == 1 and f"{total} new case(s) in the review queue" in err
    assert {c.entry_id for c in filed} == hits | {"tx:X-03"} and {c.source for c in filed} == {"monitor"}
    gulf = next(c for c in filed if c.party_name == "Gulf Gate Shipping Co. LLC")
    assert gulf.party_country == "AE" and gulf.detail["monitor_run"] == 1 and gulf.detail["explanation"]

    code, _, err = run_cli("monitor", "run", "--queue", "--home", home)
    assert code == 0 and "0 new case(s)" in err
