"""The screening field's own clients, unchanged, against the running service: nomenklatura's yente
enricher (``nk match``), yente-client (the Python client and ``yente-cli screen``) and schemathesis
(every endpoint of the OpenAPI document, bounded examples: no 500, responses as documented).
They are installed by ``make test`` (the ``service-test`` extra); a missing one fails, never skips."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from service_helpers import Server

BIN = Path(sys.executable).parent


def tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed beside {sys.executable}: run `make test` (the service-test extra)")
    return path


def test_nomenklatura_yente_enricher_finds_the_listed_companies(server: Server, tmp_path: Path) -> None:
    config = tmp_path / "enricher.yml"
    config.write_text(f"name: chipscreen\ntitle: chipscreen\ntype: nomenklatura.enrich.yente:YenteEnricher\n"
                      f"api: {server.url}\napi_key: {server.keys['screen']}\ncache_days: 0\n")
    entities = tmp_path / "entities.json"
    rows = [{"id": "q-huawei", "schema": "Company",
             "properties": {"name": ["Huawei Technologies Co., Ltd."], "jurisdiction": ["cn"]}},
            {"id": "q-nobody", "schema": "Company", "properties": {"name": ["Zyxwvut Quibble Flange Works"]}}]
    entities.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "matches.json"
    env = {**os.environ, "NOMENKLATURA_DB_URL": f"sqlite:///{tmp_path / 'nk.db'}"}
    got = subprocess.run([str(tool("nk")), "match", str(config), str(entities), "-o", str(out)],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    assert got.returncode == 0, got.stderr[-3000:]
    found = [json.loads(line) for line in out.read_text().splitlines()]
    candidates = [e for e in found if e["id"] not in ("q-huawei", "q-nobody")]
    captions = " ".join(str(e.get("properties", {}).get("name")) for e in candidates).lower()
    assert candidates and "huawei" in captions
    assert all(e["schema"] in ("Organization", "Company", "LegalEntity") for e in candidates)


def test_yente_client_matches_and_reads_the_catalog(server: Server) -> None:
    yente_client = _import_yente_client()
    from yente_client.entities import Company

    with yente_client.Client(api_key=server.keys["screen"], base_url=server.url.rstrip("/")) as client:
        assert client.readyz().status == "ok"
        names = {d.name for d in client.datasets().datasets}
        assert {"default", "el", "meu"} <= names
        resp = client.match(Company(name=["Huawei Technologies Co., Ltd."], jurisdiction=["cn"]))
        assert resp.results and resp.results[0].match and "huawei" in resp.results[0].caption.lower()
        assert resp.results[0].explanations["name_match"].score > 0.9
        el = client.match(Company(name=["Huawei Technologies"]), datasets=["el"])
        assert el.results and all(r.datasets == ["el"] for r in el.results)


def _import_yente_client():  # type: ignore[no-untyped-def]
    try:
        import yente_client
    except ImportError:
        pytest.fail("yente-client is not installed: run `make test` (the service-test extra)")
    return yente_client


def test_yente_cli_screens_a_csv(server: Server, tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_text("customer,name\n1,Huawei Technologies Co. Ltd.\n2,Zyxwvut Quibble Flange Works\n")
    out = tmp_path / "screened.csv"
    env = {**os.environ, "YENTE_BASE_URL": server.url.rstrip("/"), "OPENSANCTIONS_API_KEY": server.keys["screen"]}
    got = subprocess.run([str(tool("yente-cli")), "screen", str(src), str(out), "-s", "Company", "-i", "name=name",
                          "--workers", "2"], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert got.returncode == 0, got.stdout[-2000:] + got.stderr[-2000:]
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    huawei = [r for r in rows if r["customer"] == "1" and r.get("match_id")]
    assert huawei and "huawei" in huawei[0]["match_caption"].lower()
    assert not [r for r in rows if r["customer"] == "2" and r.get("match") == "true"]


def test_schemathesis_finds_no_server_error_and_no_undocumented_response(server: Server, tmp_path: Path) -> None:
    args = [str(tool("st")), "run", server.url + "openapi.json", "--checks",
            "not_a_server_error,status_code_conformance,response_schema_conformance", "--max-examples", "5",
            "-H", f"Authorization: ApiKey {server.keys['admin']}", "--phases", "examples,fuzzing",
            "--exclude-path", "/replay", "--workers", "1", "--no-color", "--request-timeout", "60"]
    got = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)
    assert got.returncode == 0, got.stdout[-6000:]
