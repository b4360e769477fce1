"""chipscreen's own endpoints in the queries -> responses envelope: decisions, classification, ownership,
replays and the lists in service."""

from __future__ import annotations

from typing import Any

from service_helpers import Server

HUAWEI_TX = {"id": "t1", "date": "2026-08-01", "kind": "export", "item": "nvidia-h100-sxm5", "from": "US",
             "to": "CN", "parties": [{"role": "end_user", "name": "Huawei Technologies Co., Ltd.", "country": "CN"}]}


def post(server: Server, path: str, body: dict[str, Any], key: str = "decide", **params: Any) -> dict[str, Any]:
    with server.client(key) as c:
        r = c.post(path, json=body, params=params)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def test_check_decides_each_transaction_and_reports_a_bad_one_by_field(server: Server) -> None:
    bad = {**HUAWEI_TX, "id": "t2", "date": "not a date"}
    got = post(server, "check", {"queries": {"ok": HUAWEI_TX, "bad": bad}})["responses"]
    decision = got["ok"]["decision"]
    assert got["ok"]["status"] == 200 and decision["license_required"] is True
    assert "entity_list" in {r["code"] for r in decision["reasons"]}
    assert decision["snapshot"] and decision["rulebook"]
    assert got["bad"]["status"] == 422 and got["bad"]["detail"][0]["field"] == "queries.bad.date"


def test_classify_gives_the_paragraph_and_the_arithmetic(server: Server) -> None:
    got = post(server, "classify", {"queries": {"h100": {"item": "nvidia-h100-sxm5", "date": "2026-01-20"},
                                                "junk": {"item": {"id": "x", "dense_tops": {"fp99": 1}}}}})
    cls = got["responses"]["h100"]["classification"]
    assert cls["paragraph"].startswith("3A090.a") and cls["work"]
    assert got["responses"]["junk"]["status"] in (400, 422)


def test_ownership_answers_for_a_listed_party(server: Server) -> None:
    with server.client("decide") as c:
        r = c.get("ownership", params={"party": "Huawei Technologies Co., Ltd.", "date": "2026-08-01"})
    assert r.status_code == 200, r.text
    assert r.json()["ownership"]


def test_replay_compares_two_rulebooks(server: Server) -> None:
    q = {"r": {"transactions": [HUAWEI_TX], "rulebook": "2025-09-29", "vs": "2025-11-10"},
         "bad": {"transactions": [], "rulebook": "2025-09-29", "vs": "2025-11-10"}}
    got = post(server, "replay", {"queries": q})["responses"]
    assert got["r"]["status"] == 200, got
    assert got["r"]["report"]["transactions"] == 1 and got["r"]["report"]["required_a"] == 1
    assert got["bad"]["status"] == 400 and "transactions" in got["bad"]["detail"]


def test_lists_names_the_snapshot_in_service(server: Server) -> None:
    with server.client("screen") as c:
        body = c.get("lists").json()
    assert body["snapshot"] and {entry["list"] for entry in body["lists"]} >= {"EL", "MEU", "SDN"}


def test_list_changes_since_a_snapshot(server: Server) -> None:
    with server.client("screen") as c:
        same = c.get("lists/changes", params={"since": "latest"}).json()
        unknown = c.get("lists/changes", params={"since": "no-such-snapshot"})
    assert same["changes"] == [] and same["since"] == "latest"
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("since:")
