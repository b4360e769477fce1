"""W3C Reconciliation 0.2 as OpenRefine speaks it, each answer validated against the specification's own JSON
schemas (``../shared/data/reconciliation-0.2``, copied unchanged from reconciliation-api/specs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from service_helpers import Server

HUAWEI_EL = {"query": "Huawei Technologies Co., Ltd.", "type": "Company",
             "properties": [{"pid": "country", "v": {"id": "CN", "name": "China"}}, {"pid": "registrationNumber",
                                                                                       "v": 12345}]}


@pytest.fixture
def spec(shared: Path) -> Path:
    """The specification's schemas and examples (the fixture fails when ../shared is missing)."""
    return shared / "reconciliation-0.2"


def validator(spec: Path, name: str) -> Any:
    try:
        import jsonschema
        from referencing import Registry, Resource
    except ImportError:
        pytest.fail("jsonschema is not installed: run `make test` (the service-test extra)")
    if not (spec / "schemas").is_dir():
        pytest.fail(f"the reconciliation 0.2 schemas are missing: {spec}")
    resources = []
    for path in (spec / "schemas").glob("*.json"):
        doc = json.loads(path.read_text())
        resources.append((doc["$id"].rstrip("#"), Resource.from_contents(doc, default_specification=_draft7())))
    registry = Registry().with_resources(resources)
    schema = json.loads((spec / "schemas" / f"{name}.json").read_text())
    return jsonschema.Draft7Validator(schema, registry=registry)


def _draft7() -> Any:
    from referencing.jsonschema import DRAFT7

    return DRAFT7


def valid(spec: Path, name: str, doc: Any) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in validator(spec, name).iter_errors(doc)]
    assert not errors, errors


def recon(server: Server, key: str | None = "screen", **params: str) -> Any:
    with server.client(key) as c:
        r = c.get("reconcile/default", params=params)
    assert r.status_code == 200, r.text
    assert "null" not in r.text  # the 0.2 schemas refuse nulls
    return r.json()


def test_the_validator_accepts_the_valid_examples_and_refuses_the_invalid(spec: Path) -> None:
    checked = 0
    for kind in ("manifest", "reconciliation-result-batch", "data-extension-response"):
        for path in (spec / "examples" / kind / "valid").glob("*.json"):
            valid(spec, kind, json.loads(path.read_text()))
            checked += 1
        for path in (spec / "examples" / kind / "invalid").glob("*.json"):
            assert list(validator(spec, kind).iter_errors(json.loads(path.read_text()))), path
    assert checked >= 3


def test_the_manifest_is_public_and_says_keys_are_needed(server: Server, spec: Path) -> None:
    manifest = recon(server, None)
    valid(spec, "manifest", manifest)
    assert manifest["authentication"]["name"] == "api_key" and manifest["batchSize"] >= 1


def test_a_posted_batch_with_numbers_and_objects_finds_huawei(server: Server, spec: Path) -> None:
    queries = {"q0": HUAWEI_EL, "q1": {"query": "Zyxwvut Quibble Flange Works", "type": "Company"}}
    with server.client("screen") as c:
        r = c.post("reconcile/default", data={"queries": json.dumps(queries)})
    assert r.status_code == 200, r.text
    batch = r.json()
    valid(spec, "reconciliation-result-batch", batch)
    top = batch["q0"]["result"][0]
    assert top["match"] and "huawei" in top["name"].lower() and top["score"] >= 90
    assert not [c for c in batch["q1"]["result"] if c["match"]]


def test_get_batches_suggest_and_extension_validate(server: Server, spec: Path) -> None:
    batch = recon(server, queries=json.dumps({"q0": HUAWEI_EL}))
    valid(spec, "reconciliation-result-batch", batch)
    el_id = next(c["id"] for c in batch["q0"]["result"] if c["id"].startswith("el-"))
    props = [{"id": p} for p in ("country", "list", "listing_date", "licence_requirement")]
    ext = recon(server, extend=json.dumps({"ids": [el_id, "no-such-id"], "properties": props}))
    valid(spec, "data-extension-response", ext)
    row = ext["rows"][el_id]
    assert row["country"] == [{"str": "CN"}] and {"str": "EL"} in row["list"] and row["listing_date"]
    assert ext["rows"]["no-such-id"]["country"] == []
    with server.client("screen") as c:
        valid(spec, "suggest-entities-response", got := c.get("reconcile/default/suggest/entity",
                                                         params={"prefix": "huawei"}).json())
        assert got["result"] and all("huawei" in e["name"].lower() for e in got["result"][:3])
        valid(spec, "suggest-types-response", c.get("reconcile/default/suggest/type", params={"prefix": "comp"}).json())
        valid(spec, "suggest-properties-response", c.get("reconcile/default/suggest/property",
                                                   params={"prefix": "list"}).json())
        valid(spec, "data-extension-property-proposal", c.get("reconcile/default/extend/propose",
                                                        params={"type": "Company"}).json())


def test_jsonp_and_cors_for_the_browser(server: Server) -> None:
    with server.client(None) as c:
        r = c.get("reconcile/default", params={"callback": "jQuery123_cb"}, headers={"Origin": "http://x.test"})
    assert r.text.startswith("jQuery123_cb({") and r.headers["access-control-allow-origin"] == "*"


def test_reconcile_needs_a_key_and_refuses_bad_batches(server: Server) -> None:
    with server.client(None) as c:
        assert c.get("reconcile/default", params={"queries": "{}"}).status_code == 401
    with server.client("screen") as c:
        bad = c.get("reconcile/default", params={"queries": "{not json"})
        assert bad.status_code == 400 and bad.json()["detail"].startswith("queries: invalid JSON")
        many = {f"q{i}": {"query": "acme"} for i in range(101)}
        assert c.post("reconcile/default", data={"queries": json.dumps(many)}).status_code == 400
        empty = c.get("reconcile/default", params={"queries": json.dumps({"q0": {"query": ""}})})
        assert empty.status_code == 400 and empty.json()["detail"].startswith("q0.query")


def test_a_limit_past_64_bits_is_refused_not_a_server_error(server: Server) -> None:
    """Found by schemathesis: a huge ``limit`` was echoed back and the JSON encoder failed with a 500."""
    with server.client("screen") as c:
        r = c.get("reconcile/default/extend/propose", params={"limit": str(2**110)})
        assert r.status_code == 422 and "limit" in json.dumps(r.json()["detail"])
        assert c.get("search/default", params={"q": "acme", "offset": str(2**70)}).status_code == 422
