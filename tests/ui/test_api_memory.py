"""The API reads the desk's memory: once an analyst clears a pair, ``/match?ignore_cleared=true`` leaves that
entity out for that party, while a plain ``/match`` answers as yente would (data/ui/desk.yml's default)."""

from __future__ import annotations

from typing import Any

import httpx
from desk_server import DeskServer
from test_http import csrf_of, login

from chipscreen.review import CaseStore

QUERY = {"queries": {"q": {"schema": "Company", "properties": {"name": ["IFLYTEK"], "country": ["cn"]}}}}


def matched(c: httpx.Client, desk: DeskServer, **params: Any) -> list[str]:
    r = c.post("/match/default", json=QUERY, params=params, headers={"Authorization": f"ApiKey {desk.api_key}"})
    assert r.status_code == 200, r.text
    return [row["id"] for row in r.json()["responses"]["q"]["results"]]


def test_a_pair_cleared_on_the_desk_is_left_out_when_the_api_asks(desk: DeskServer) -> None:
    with desk.client() as c:
        before = matched(c, desk)
        assert before and matched(c, desk, ignore_cleared="true") == before  # nothing cleared yet
        login(c, "ana")
        assert c.get("/ui/queue").status_code == 200  # the queue page waits for the answers' cases to be filed
        cases = CaseStore(desk.home)
        case = next(k for k in cases.queue(1, 100_000)[0] if k.party_name == "IFLYTEK" and k.entry_id == before[0])
        cases.close()
        csrf = csrf_of(c.get(f"/ui/cases/{case.id}").text)
        r = c.post(f"/ui/cases/{case.id}/dispose", data={"disposition": "false_positive", "csrf": csrf,
                                                         "comment": "the speech company, not the listed one"})
        assert r.status_code == 303

        assert matched(c, desk) == before  # yente's answer unless asked
        assert matched(c, desk, ignore_cleared="true") == before[1:]
        assert matched(c, desk, ignore_cleared="false") == before


def test_the_parameter_is_in_the_openapi_description(desk: DeskServer) -> None:
    with desk.client() as c:
        spec = c.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/match/{dataset}"]["post"]["parameters"]}
    assert "review desk cleared" in params["ignore_cleared"]["description"]
