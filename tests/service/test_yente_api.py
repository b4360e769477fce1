"""yente's endpoints, as its clients call them, answered from the bundled lists."""

from __future__ import annotations

from typing import Any

from service_helpers import Server

HUAWEI = {"schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."], "country": ["cn"]}}


def match(server: Server, queries: dict[str, Any], params: dict[str, Any] | None = None,
          dataset: str = "default") -> dict[str, Any]:
    with server.client() as c:
        r = c.post(f"match/{dataset}", json={"queries": queries}, params=params or {})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_service_is_ready_and_healthy(server: Server) -> None:
    with server.client(None) as c:
        assert c.get("healthz").json() == {"status": "ok"}
        assert c.get("readyz").json() == {"status": "ok"}


def test_match_finds_huawei_on_the_entity_list_with_the_engines_explanation(server: Server) -> None:
    body = match(server, {"q1": HUAWEI})
    resp = body["responses"]["q1"]
    assert resp["status"] == 200 and resp["query"]["schema"] == "Company"
    top = resp["results"][0]
    assert top["match"] is True and top["score"] >= 0.9
    assert top["schema"] in ("Organization", "Company", "LegalEntity")
    assert {"id", "caption", "properties", "datasets", "referents", "target", "first_seen", "last_change"} <= set(top)
    assert "huawei" in top["caption"].lower()
    breakdown = top["explanations"]["name_match"]["breakdown"]
    assert breakdown["pairs"][0]["query"] == "huawei"
    assert any("el" in r["datasets"] for r in resp["results"])
    assert resp["total"]["relation"] == "eq" and resp["total"]["value"] >= len(resp["results"])


def test_match_on_one_list_returns_only_that_lists_entities(server: Server) -> None:
    results = match(server, {"q": HUAWEI}, dataset="el")["responses"]["q"]["results"]
    assert results and all(r["datasets"] == ["el"] for r in results)


def test_cleared_entities_are_left_out(server: Server) -> None:
    first = match(server, {"q": HUAWEI})["responses"]["q"]["results"][0]["id"]
    again = match(server, {"q": HUAWEI}, {"exclude_entity_ids": [first]})["responses"]["q"]["results"]
    assert first not in [r["id"] for r in again]


def test_a_person_query_never_returns_organisations(server: Server) -> None:
    q = {"schema": "Person", "properties": {"name": ["Huawei Technologies"]}}
    results = match(server, {"p": q})["responses"]["p"]["results"]
    assert all(r["schema"] in ("Person", "LegalEntity") for r in results)


def test_threshold_decides_match_as_in_yente(server: Server) -> None:
    results = match(server, {"q": HUAWEI}, {"threshold": 1.0, "limit": 10})["responses"]["q"]["results"]
    assert all(r["match"] == (r["score"] >= 1.0) for r in results)
    assert len(results) <= 10


def test_search_pages_and_facets(server: Server) -> None:
    with server.client() as c:
        body = c.get("search/default", params={"q": "huawei", "countries": "cn", "limit": 3}).json()
    assert len(body["results"]) == 3 and body["total"]["value"] >= 3
    assert all("cn" in r["properties"]["country"] for r in body["results"])
    assert body["facets"]["countries"]["values"][0]["name"] == "cn"


def test_entities_by_id_and_unknown_ids(server: Server) -> None:
    first = match(server, {"q": HUAWEI})["responses"]["q"]["results"][0]
    with server.client() as c:
        got = c.get(f"entities/{first['id']}").json()
        assert got["id"] == first["id"] and got["caption"] == first["caption"]
        missing = c.get("entities/no-such-entity")
    assert missing.status_code == 404 and "no-such-entity" in missing.json()["detail"]


def test_catalog_names_each_list_with_its_dataset_version_and_an_etag(server: Server) -> None:
    with server.client() as c:
        r = c.get("catalog")
        assert r.status_code == 200
        names = {d["name"]: d for d in r.json()["datasets"]}
        assert "el" in names and "default" in names and names["el"]["version"]
        assert "el" in names["default"]["children"]
        assert c.get("catalog", headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_unknown_dataset_and_algorithm_are_clear_errors(server: Server) -> None:
    with server.client() as c:
        r = c.post("match/nope", json={"queries": {"q": HUAWEI}})
        assert r.status_code == 404 and "nope" in r.json()["detail"]
        r = c.post("match/default", json={"queries": {"q": HUAWEI}}, params={"algorithm": "magic"})
        assert r.status_code == 400 and "algorithm" in r.json()["detail"]
        algos = c.get("algorithms").json()
    assert algos["best"] == algos["default"] == "chipscreen"
