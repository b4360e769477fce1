"""The memory against real list updates: a false positive cleared against an MEU entry stays cleared when a
newer file repeats the entry unchanged, and its case re-opens when the newer file changes the entry."""

from __future__ import annotations

import json
from pathlib import Path

from chipscreen.paths import data_dir
from chipscreen.review import CaseInput, CaseStore, entry_hashes
from chipscreen.sources import parse_file
from chipscreen.store import Store

MEU = data_dir() / "lists" / "us_lists_2026-07" / "bis_meu.json"


def newer_meu(tmp: Path, day: str, alias: str | None) -> Path:
    doc = json.loads(MEU.read_text(encoding="utf-8"))
    doc["extracted"] = day
    if alias:
        doc["entities"][0]["aliases"] = [*doc["entities"][0]["aliases"], alias]
    out = tmp / f"bis_meu_{day}.json"
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


def test_a_cleared_entry_stays_cleared_until_its_content_changes(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    cases = CaseStore(tmp_path / "home")
    snap = store.load([parse_file(MEU)]).snapshot.id
    first_name = json.loads(MEU.read_text(encoding="utf-8"))["entities"][0]["name"]
    eid = next(e.party.id for e in store.entries(snap) if e.party.names[0].value == first_name)

    def hash_in(snapshot: str) -> str:
        return entry_hashes(store, snapshot, [eid])[eid]

    def filed(snapshot: str) -> list[int]:
        return [c.id for c in cases.file([CaseInput("Acme Aviation", "RU", eid, "MEU", "entry", hash_in(snapshot),
                                                    "match", "test", 0.8, snapshot)])]

    (first,) = filed(snap)
    cases.dispose(first, "ana", "false_positive", "a different company")
    same = store.load([parse_file(newer_meu(tmp_path, "2026-08-01", None))]).snapshot.id
    assert hash_in(same) == hash_in(snap) and filed(same) == []
    assert eid in cases.cleared("Acme Aviation", "RU", {eid: hash_in(same)})
    changed = store.load([parse_file(newer_meu(tmp_path, "2026-09-01", "Acme Aviation Holdings"))]).snapshot.id
    assert eid not in cases.cleared("Acme Aviation", "RU", {eid: hash_in(changed)})
    (again,) = filed(changed)
    assert cases.get(again).reopens == first and cases.queue()[1] == 1
    store.close()
