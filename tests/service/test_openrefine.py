"""OpenRefine 3.6.2, the analyst's spreadsheet, as a real client: a project made from a CSV of company names,
its column reconciled against ``/reconcile/el`` (key in ``?api_key=``, as OpenRefine sends it), then extended
with each entity's country and list. Installed by ``.ci/run`` (Debian's ``openrefine``); a missing one fails."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
from openrefine import running_openrefine
from service_helpers import Server

from chipscreen.store import Store

LISTED = ["Semiconductor Manufacturing International Corporation (SMIC)", "Moscow Institute of Physics and Technology",
          "Yangtze Memory Technologies Co., Ltd."]
UNLISTED = "Acme Bakery of Ohio"


def csv_of(header: str, values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([[header], *([v] for v in values)])
    return out.getvalue()


def entity_ids_named(store: Store, list_code: str, name: str) -> set[str]:
    """The entities a list itself names ``name`` (what a reconciled cell must point at)."""
    snap = store.snapshot()
    return {e.party.id for e in store.entries(snap) if e.listing.list_code == list_code
            and any(n.value == name for n in e.party.names)}


def test_openrefine_reconciles_a_column_and_extends_it_with_country_and_list(
        server: Server, bundled_store: Store, tmp_path: Path) -> None:
    service = f"{server.url}reconcile/el?api_key={server.keys['screen']}"
    manifest: dict[str, Any] = httpx.get(service, timeout=30).json()
    expected = {name: entity_ids_named(bundled_store, "EL", name) for name in LISTED}
    assert all(len(ids) == 1 for ids in expected.values()), expected
    with running_openrefine(tmp_path) as refine:
        project = refine.create_project("chipscreen", csv_of("company", [*LISTED, UNLISTED]))
        refine.reconcile(project, "company", service, manifest, "Company")
        refine.extend(project, "company", service, manifest, ["country", "list"])
        columns, rows = refine.table(project)
    assert columns == ["company", "Country", "List"], columns  # the extension's columns, named by its meta
    by_name = {row[0]["v"]: row for row in rows if row[0] is not None}
    for name, ids in expected.items():
        cell, country, listed = by_name[name][:3]
        assert cell is not None and cell["r"]["j"] == "matched", cell
        assert cell["r"]["m"]["id"] in ids, (name, cell["r"]["m"])
        assert cell["r"]["service"] == service
        assert country is not None and listed is not None and listed["v"] == "EL", (name, country, listed)
        assert country["v"] in {"CN", "RU"}, (name, country)
    bakery = by_name[UNLISTED][0]
    assert bakery is not None and bakery["r"]["j"] == "none" and not bakery["r"].get("c"), bakery
