"""Captured affiliates: watched parties, not listed themselves, that a list change leaves owned by listed
parties at a regime's threshold (the BIS Affiliates rule's and OFAC's 50 %), from the store's ownership graph.

Each snapshot's ownership view on the run's date gives every party of the graph its status per regime
(``ControlView.table``); a party whose status rose from the old snapshot to the new one, to captured (or to
possibly or review, which only an analyst can settle), without being listed, is newly captured. The watched
parties found by that party's name in the watch set's index are asked as the decision engine asks
(``ControlView.status`` of the watched name: its exact normalised name or id), under both snapshots; a rise
of status there is a finding, with the proof: the owners, their stakes, the lists that block them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from chipscreen.monitor.findings import PartyFinding
from chipscreen.names.keys import name_keys
from chipscreen.names.normalize import normalize_name
from chipscreen.ownership.results import STATUS_CODES, ControlStatus, RegimeStatus
from chipscreen.store import SnapshotInfo, Store

if TYPE_CHECKING:
    from chipscreen.names.index import NameIndex
    from chipscreen.ownership.control import ControlView

RANK: dict[str, int] = {code: i for i, code in enumerate(STATUS_CODES)}
CAPTURED = ("possibly", "review", "captured")
"""The statuses that make a finding when a party rises to them (``listed`` is the screening's finding)."""


def views(store: Store, old: SnapshotInfo | None, new: SnapshotInfo, on: dt.date
          ) -> tuple[ControlView | None, ControlView]:
    from chipscreen.ownership.control import Control

    before = Control(store, snapshot=old.id).as_of(on) if old is not None else None
    return before, Control(store, snapshot=new.id).as_of(on)


def risen(before: ControlView | None, now: ControlView) -> dict[str, str]:
    """Parties of the graph (id -> name) whose status under some regime rose to a captured status."""
    was = statuses(before.table()) if before is not None else {}
    table = now.table()  # every kernel over the whole graph: made once per view
    names = dict(zip(table.column("party_id").to_pylist(), table.column("name").to_pylist(), strict=True))
    out: dict[str, str] = {}
    for col, got in statuses(table).items():
        for pid, status in got.items():
            if status in CAPTURED and RANK[status] > RANK[was.get(col, {}).get(pid) or "not"]:
                out[pid] = str(names.get(pid) or pid)
    return out


def statuses(table: pa.Table) -> dict[str, dict[str, str]]:
    """Each regime's status column of ``ControlView.table`` as party id -> status code."""
    cols = [c for c in table.column_names if c.endswith("_status")]
    ids = table.column("party_id").to_pylist()
    return {c: dict(zip(ids, table.column(c).cast("string").to_pylist(), strict=True)) for c in cols}


def watched_by_name(watch_index: NameIndex, names: list[str]) -> dict[str, tuple[str, str]]:
    """Watched names (-> party id, primary name) filed under a key of one of ``names``' readings."""
    rows: set[int] = set()
    for name in names:
        for reading in normalize_name(name):
            for k in name_keys(reading):
                rows.update(watch_index.postings.get(k) or ())
    out: dict[str, tuple[str, str]] = {}
    for r in sorted(rows):
        row = watch_index.rows[r]
        out.setdefault(row.name, (row.entity_id, row.primary_name))
    return out


def finding(party: tuple[str, str], name: str, reg: RegimeStatus, was: str, st: ControlStatus) -> PartyFinding:
    explanation: dict[str, Any] = {
        "ownership": {"regime": reg.regime, "title": reg.title, "citation": reg.citation, "status": reg.status,
                      "status_before": was, "threshold_ppm": reg.threshold_ppm, "op": reg.op,
                      "aggregate_ppm": reg.aggregate_ppm, "aggregate_max_ppm": reg.aggregate_max_ppm,
                      "owners": reg.contributing_names, "owner_ids": reg.contributing_parties,
                      "lists": reg.contributing_lists, "graph_party": st.party_id, "watched_name": name,
                      "proof": reg.proof.model_dump(mode="json") if reg.proof is not None else None}}
    owners = reg.contributing_parties
    return PartyFinding("captured affiliate", party[0], party[1], ",".join(reg.contributing_lists),
                        owners[0] if owners else "", "; ".join(reg.contributing_names), "owner listed",
                        reg.aggregate_ppm / 1_000_000, explanation, [], was)


def captured_affiliates(store: Store, old: SnapshotInfo | None, new: SnapshotInfo, watch_index: NameIndex,
                        on: dt.date) -> list[PartyFinding]:
    """The watched parties newly captured by the change (see the module docstring), one per party and regime."""
    before, now = views(store, old, new, on)
    graph_parties = risen(before, now)
    if not graph_parties:
        return []
    found: list[PartyFinding] = []
    seen: set[tuple[str, str]] = set()
    for name, party in sorted(watched_by_name(watch_index, sorted(graph_parties.values())).items()):
        st = now.status(name)
        if not st.found or st.is_listed or st.party_id not in graph_parties:
            continue
        prev = before.status(name).regimes if before is not None else {}
        for key, reg in sorted(st.regimes.items()):
            was = prev[key].status if key in prev else "not"
            if reg.status in CAPTURED and RANK[reg.status] > RANK[was] and reg.in_force is not False \
                    and (party[0], key) not in seen:
                seen.add((party[0], key))
                found.append(finding(party, name, reg, was, st))
    return found
