"""The API's /match and /check findings are filed as cases from what the route answered, by a thread that wakes
rarely: the cases are those a client's copy of the answer would make, none is lost, and a page that waits for
them sees them all."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from desk_server import DeskServer
from test_http import login

from chipscreen.model import Decision, Transaction
from chipscreen.names import Match
from chipscreen.paths import data_dir
from chipscreen.review import CaseStore, decision_inputs, entry_hashes, match_inputs
from chipscreen.store import Store
from chipscreen.ui.api_intake import BackgroundFiling, MatchAnswer

NAME = "Huawei Technologies Co"


def match(eid: str, score: float, hit: bool) -> Match:
    """One /match result as the route hands it over (``matching.Matched.matches``)."""
    return Match(eid, f"ENTRY {eid}", f"ENTRY {eid}", "EL", score, hit, {"name_score": score, "pairs": [("a", "b")]})


def as_read_by_the_client(row: dict[str, Any]) -> Match:
    """A result of the /match answer as its client reads it: the entry, the list, the score and the name match."""
    name_match = row["explanations"]["name_match"]
    return Match(str(row["id"]), str(row["caption"]), str(name_match["candidate"]), str(row["datasets"][0]).upper(),
                 float(row["score"]), bool(row["match"]), name_match["breakdown"])


def test_the_cases_of_a_match_are_those_the_clients_copy_of_the_answer_makes(desk: DeskServer) -> None:
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": [NAME], "country": ["cn"]}}}}
    with desk.client() as c:
        r = c.post("/match/default", json=body, headers={"Authorization": f"ApiKey {desk.api_key}"})
        results = r.json()["responses"]["q"]["results"]
        assert r.status_code == 200 and len(results) >= 2
        login(c, "rev")
        assert c.get("/ui/queue").status_code == 200  # waits for what the API answered to be filed
    snapshot = r.headers["x-chipscreen-snapshot"]
    with Store(desk.home, read_only=True) as store:
        hashes = entry_hashes(store, snapshot, [x["id"] for x in results])
    read = [as_read_by_the_client(x) for x in results]
    expected = match_inputs(NAME, "CN", read, hashes, source="api/match", snapshot=snapshot)
    cases = CaseStore(desk.home)
    filed = cases.lookup(NAME, "CN", hashes)
    cases.close()
    assert sorted(filed) == sorted(c.entry_id for c in expected)
    for want in expected:
        got = filed[want.entry_id]
        assert (got.list_code, got.entry_name, got.entry_hash, got.score, got.snapshot, got.source) == (
            want.list_code, want.entry_name, want.entry_hash, want.score, want.snapshot, want.source)
        assert got.detail == json.loads(json.dumps(want.detail))


def test_the_case_of_a_check_is_the_one_the_clients_copy_of_the_decision_makes(desk: DeskServer) -> None:
    lines = (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8").splitlines()
    tx = {**next(json.loads(line) for line in lines if json.loads(line)["id"] == "R2-01"), "id": "intake-R2-01"}
    with desk.client() as c:
        r = c.post("/check", json={"queries": {"t": tx}}, headers={"Authorization": f"ApiKey {desk.api_key}"})
        assert r.status_code == 200
        login(c, "rev")
        assert c.get("/ui/queue").status_code == 200
    (want,) = decision_inputs(Transaction.model_validate(tx), Decision.model_validate(r.json()["responses"]["t"][
        "decision"]), source="api/check")
    cases = CaseStore(desk.home)
    filed = cases.lookup(want.party_name, want.party_country, {want.entry_id: want.entry_hash})
    cases.close()
    got = filed[want.entry_id]
    assert (got.entry_name, got.kind, got.source, got.snapshot) == (want.entry_name, want.kind, want.source,
                                                                   want.snapshot)
    assert got.detail == json.loads(json.dumps(want.detail))


def test_a_flush_returns_once_every_answer_before_it_is_filed(tmp_path: Path) -> None:
    cases = CaseStore(tmp_path)
    filing = BackgroundFiling(cases, tmp_path)
    props = {"name": ["Acme Trading"], "country": ["hk"]}
    filing.submit(MatchAnswer([(props, [match("e1", 0.91, True), match("e2", 0.7, False)])], "s1", {"e1": "h1",
                                                                                                    "e2": "h2"}))
    filing.submit(MatchAnswer([(props, [match("e3", 0.8, False)])], "s1", {}))  # not in the view: not filed
    filing.flush()
    filed = cases.lookup("Acme Trading", "HK", {"e1": "h1", "e2": "h2", "e3": "h3"})
    assert {k: (v.score, v.detail["hit"], v.detail["explanation"]["pairs"]) for k, v in filed.items()} == {
        "e1": (0.91, True, [["a", "b"]]), "e2": (0.7, False, [["a", "b"]])}


def test_an_answer_is_filed_within_the_period_without_anyone_waiting(tmp_path: Path) -> None:
    cases = CaseStore(tmp_path)
    filing = BackgroundFiling(cases, tmp_path)
    filing.submit(MatchAnswer([({"name": "Acme Trading"}, [match("e1", 0.9, True)])], "s1", {"e1": "h1"}))
    deadline = time.monotonic() + filing.PERIOD * 20
    while not cases.lookup("Acme Trading", None, {"e1": "h1"}) and time.monotonic() < deadline:
        time.sleep(filing.PERIOD / 5)
    assert cases.lookup("Acme Trading", None, {"e1": "h1"})


def test_an_answer_whose_entries_cannot_be_read_is_skipped_and_the_rest_filed(tmp_path: Path) -> None:
    cases = CaseStore(tmp_path)
    filing = BackgroundFiling(cases, tmp_path)
    unhashed = MatchAnswer([({"name": ["Bad Row Ltd"]}, [match("e9", 0.9, True)])], "s1", None)
    filing.submit(unhashed)  # no hashes in the view, and no store in this home to read them from
    filing.submit(MatchAnswer([({"name": ["Acme Trading"]}, [match("e1", 0.9, True)])], "s1", {"e1": "h1"}))
    filing.flush()
    assert list(cases.lookup("Acme Trading", None, {"e1": "h1"})) == ["e1"]
