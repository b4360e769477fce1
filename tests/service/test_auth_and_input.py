"""Who may ask, and bad input: 401 without a key, 403 without the scope, 429 over the rate, and a clear
``{"detail": ...}`` naming the field for input the service cannot use (never a 500)."""

from __future__ import annotations

import httpx
from service_helpers import Server, cli, cli_key

QUERY = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Huawei Technologies"]}}}}


def test_no_key_is_401_and_a_wrong_key_too(server: Server) -> None:
    with server.client(None) as c:
        r = c.post("match/default", json=QUERY)
        assert r.status_code == 401 and "API key" in r.json()["detail"]
        assert c.post("match/default", json=QUERY, headers={"Authorization": "ApiKey csk_nope"}).status_code == 401


def test_the_key_may_come_as_a_query_parameter(server: Server) -> None:
    with server.client(None) as c:
        assert c.post("match/default", json=QUERY, params={"api_key": server.keys["screen"]}).status_code == 200


def test_a_screening_key_may_not_decide(server: Server) -> None:
    with server.client("screen") as c:
        r = c.post("check", json={"queries": {}})
    assert r.status_code == 403 and "decide" in r.json()["detail"]


def test_a_revoked_key_is_refused_from_the_next_request_on(server: Server) -> None:
    secret = cli_key(server.home, "leaver", "screen")
    headers = {"Authorization": f"ApiKey {secret}"}
    assert httpx.post(server.url + "match/default", json=QUERY, headers=headers).status_code == 200
    key_id = secret.split("_")[1]
    assert cli(server.home, "keys", "revoke", key_id).returncode == 0
    assert httpx.post(server.url + "match/default", json=QUERY, headers=headers).status_code == 401
    listed = cli(server.home, "keys", "list", "--json").stdout
    assert secret not in listed and key_id in listed


def test_over_the_rate_is_429_with_retry_after(server: Server) -> None:
    with server.client("slow") as c:
        codes = [c.get("catalog") for _ in range(3)]
    assert [r.status_code for r in codes[:2]] == [200, 200]
    assert codes[2].status_code == 429 and int(codes[2].headers["retry-after"]) >= 1


def test_malformed_json_names_the_problem(server: Server) -> None:
    with server.client() as c:
        r = c.post("match/default", content=b'{"queries": {', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "json_invalid"


def test_wrong_types_name_the_field_path(server: Server) -> None:
    with server.client() as c:
        r = c.post("match/default", json={"queries": {"q1": {"schema": "Company", "properties": 5}}})
    assert r.status_code == 422
    assert any(d["field"].startswith("body.queries.q1.properties") for d in r.json()["detail"])


def test_an_unmatchable_schema_names_the_query(server: Server) -> None:
    with server.client() as c:
        r = c.post("match/default", json={"queries": {"q1": {"schema": "Payment", "properties": {"name": ["x"]}}}})
    assert r.status_code == 400 and r.json()["detail"].startswith("queries.q1.schema")


def test_too_many_queries_is_400(server: Server) -> None:
    many = {f"q{i}": {"schema": "Company", "properties": {"name": ["acme"]}} for i in range(101)}
    with server.client() as c:
        r = c.post("match/default", json={"queries": many})
    assert r.status_code == 400 and "limit is 100" in r.json()["detail"]


def test_an_oversized_body_is_413(server: Server) -> None:
    with server.client() as c:
        r = c.post("match/default", content=b"x" * 2_100_000, headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_one_megabyte_name_is_refused_not_a_crash(server: Server) -> None:
    big = {"queries": {"q": {"schema": "Company", "properties": {"name": ["A" * 1_000_000]}}}}
    with server.client() as c:
        r = c.post("match/default", json=big)
        assert r.status_code == 400 and "characters" in r.json()["detail"]
        assert c.get("readyz").status_code == 200
