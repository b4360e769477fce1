"""``monitor run``: a change of the lists is worked out for the watch set, and only what is new is reported."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.monitor import add_parties, add_transactions, run_monitor, windows
from chipscreen.monitor.watch_index import watch_index, watch_windows
from chipscreen.names import Screener
from chipscreen.sources import parse_file
from chipscreen.store import Store

EL = "Entity List (EL) - Bureau of Industry and Security"
ON = dt.date(2026, 12, 1)


def sample(shared: Path) -> tuple[list[str], list[dict[str, str]]]:
    with (shared / "csl" / "csl_sample_2019.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_csl(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def listing(name: str, country: str) -> dict[str, str]:
    return {"source": EL, "name": name, "addresses": f"Hauptstrasse 1, Munich, {country}",
            "federal_register_notice": "91 FR 1000", "start_date": "2026-10-01",
            "license_requirement": "For all items subject to the EAR.", "license_policy": "Presumption of denial."}


@pytest.fixture
def watched(tmp_path: Path, shared: Path) -> Store:
    """A store holding the recorded CSL sample, watching two of its listed parties and two others."""
    store = Store(tmp_path / "home")
    store.load([parse_file(shared / "csl" / "csl_sample_2019.csv", retrieved=dt.date(2019, 6, 1))])
    customers = tmp_path / "customers.csv"
    customers.write_text("name,country,id\nGulf Gate Shipping Co. LLC,AE,C1\n32 Group China Ltd,HK,C2\n"
                         "Acme Robotics GmbH,DE,C3\nNordlicht Maschinenbau GmbH,DE,C4\n", encoding="utf-8")
    assert add_parties(store, customers) == 4
    return store


def test_the_first_run_screens_the_watch_set_and_the_next_one_finds_nothing_new(watched: Store) -> None:
    first = run_monitor(watched, on=ON)
    assert first.baseline and first.needs_attention
    assert {(f.party_id, f.kind) for f in first.parties} >= {("parties-C1", "hit"), ("parties-C2", "hit")}
    assert not {f.party_id for f in first.parties} & {"parties-C3", "parties-C4"}
    again = run_monitor(watched, on=ON)
    assert not again.baseline and again.changes == [] and again.parties == [] and not again.needs_attention


def test_a_new_listing_of_a_watched_party_is_a_new_hit_naming_the_entry(watched: Store, shared: Path,
                                                                         tmp_path: Path) -> None:
    run_monitor(watched, on=ON)
    header, rows = sample(shared)
    gone = next(r for r in rows if r["name"].startswith("Gulf Gate Shipping"))
    update = [r for r in rows if r is not gone] + [listing("ACME Robotics G.m.b.H.", "DE")]
    watched.load([parse_file(write_csl(tmp_path / "csl.csv", header, update), retrieved=dt.date(2026, 11, 1))])
    got = run_monitor(watched, on=ON)
    assert got.summary() == {"added": 1, "removed": 1, "changed": 0}
    new = [f for f in got.parties if f.needs_attention]
    assert [(f.party_id, f.kind, f.list_code, f.entry_name, f.change) for f in new] == [
        ("parties-C3", "hit", "EL", "ACME Robotics G.m.b.H.", "added")]
    assert new[0].explanation  # the match explains its score
    assert [(f.party_id, f.kind) for f in got.parties if not f.needs_attention] == [("parties-C1", "delisted")]


def test_an_open_lease_whose_lessee_is_newly_listed_changes_its_decision(watched: Store, shared: Path,
                                                                          tmp_path: Path) -> None:
    lease = {"id": "L-1", "date": "2026-02-01", "kind": "lease", "item": "nvidia-h100-sxm5", "quantity": 8,
             "from": "DE", "to": "DE", "parties": [
                 {"role": "lessor", "name": "Example Frankfurt Compute GmbH", "country": "DE", "headquarters": "DE"},
                 {"role": "lessee", "name": "Nordlicht Maschinenbau GmbH", "country": "DE"}]}
    (tmp_path / "open.jsonl").write_text(json.dumps(lease) + "\n", encoding="utf-8")
    assert add_transactions(watched, tmp_path / "open.jsonl") == 1
    first = run_monitor(watched, on=ON)
    assert [t.tx_id for t in first.transactions if t.needs_attention] == []
    header, rows = sample(shared)
    watched.load([parse_file(write_csl(tmp_path / "csl.csv", header, [*rows, listing("Nordlicht Maschinenbau GmbH",
                                                                                       "DE")]),
                             retrieved=dt.date(2026, 11, 1))])
    got = run_monitor(watched, on=ON)
    [tx] = got.transactions
    assert tx.tx_id == "L-1" and tx.needs_attention and tx.after["license_required"]
    assert tx.before is not None and not tx.before["license_required"]
    assert "entity_list" in [a["code"] for a in tx.appeared if a.get("party") == "Nordlicht Maschinenbau GmbH"]


def test_a_bad_transaction_line_adds_nothing(watched: Store, tmp_path: Path) -> None:
    bad = tmp_path / "open.jsonl"
    bad.write_text('{"id": "L-2", "date": "2026-02-01"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="2 bad transaction"):
        add_transactions(watched, bad)
    assert run_monitor(watched, on=ON, record=False).watched == (4, 0)


def test_a_watched_party_a_new_listing_leaves_wholly_owned_is_a_captured_affiliate_with_its_owner(
        tmp_path: Path, shared: Path) -> None:
    """The bundled scenarios' ownership: the leasing company is 100 % owned by the computing center, Example
    Compute Ltd 49.5 % by Example Holdings; both owners are newly listed on the Entity List."""
    from chipscreen.ownership import load_file
    from chipscreen.paths import data_dir

    store = Store(tmp_path / "home")
    store.load([parse_file(shared / "csl" / "csl_sample_2019.csv", retrieved=dt.date(2019, 6, 1))])
    load_file(store, data_dir() / "scenarios" / "ownership.csv")
    customers = tmp_path / "customers.csv"
    customers.write_text('name,country,id\n"Example Municipal Compute Leasing Co., Ltd.",CN,C1\n'
                         "Example Compute Ltd,SG,C3\n", encoding="utf-8")
    add_parties(store, customers)
    assert [f.kind for f in run_monitor(store, on=ON).parties] == []
    header, rows = sample(shared)
    owners = [listing("Example Municipal Computing Center", "CN"), listing("Example Holdings Ltd", "SG")]
    store.load([parse_file(write_csl(tmp_path / "csl.csv", header, [*rows, *owners]), retrieved=dt.date(2026, 11, 1))])
    got = run_monitor(store, on=ON)
    [captured] = [f for f in got.parties if f.kind == "captured affiliate"]
    assert (captured.party_id, captured.list_code, captured.entry_name, captured.before) == (
        "parties-C1", "EL", "Example Municipal Computing Center", "not")
    ownership = captured.explanation["ownership"]
    assert ownership["regime"] == "bis_affiliates" and ownership["aggregate_ppm"] == 1_000_000
    assert ownership["threshold_ppm"] == 500_000 and ownership["proof"]["owners"][0]["stake_ppm"] == 1_000_000
    assert got.needs_attention and captured.needs_attention


def test_each_recorded_run_leaves_the_window_bounds_of_its_snapshot(watched: Store, shared: Path,
                                                                    tmp_path: Path) -> None:
    """The baseline run counts the watch set's window bounds in its snapshot; the next recorded run carries them
    to its own (``monitor.windows``), never under the count made afresh there, and drops the old ones."""
    first = run_monitor(watched, on=ON)
    counted = watch_windows(watched, first.new_snapshot, build=False)
    assert counted is not None and counted.eligible.any()
    header, rows = sample(shared)
    update = write_csl(tmp_path / "csl.csv", header, [*rows, listing("ACME Robotics G.m.b.H.", "DE")])
    watched.load([parse_file(update, retrieved=dt.date(2026, 11, 1))])
    second = run_monitor(watched, on=ON)
    carried = watch_windows(watched, second.new_snapshot, build=False)
    assert carried is not None and watch_windows(watched, first.new_snapshot, build=False) is None
    index = watch_index(watched)
    fresh = windows.build(Screener(watched, snapshot=second.new_snapshot).index,
                          [index.rows[i].normalized for i in range(len(index.rows))], carried.limit)
    assert (carried.eligible >= fresh).all() and (carried.eligible > counted.eligible).any()
