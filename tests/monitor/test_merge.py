"""A run merges the stored forward results of the parties a change reaches (``monitor.merge``) and reports what a
full forward re-screen reports; where a shortcut would be inexact (a match the ``max_matches`` cut pushes out, a
window that may be full) it screens forward instead, and the results it carries to the next snapshot are those a
fresh baseline would store."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

import pytest

from chipscreen.bundled import open_store
from chipscreen.monitor import add_parties, delta, merge, run_monitor, windows
from chipscreen.monitor.findings import finding_changes, full_rescreen, level_changes
from chipscreen.monitor.run import MonitorReport
from chipscreen.monitor.watch_index import watch_index, watch_windows
from chipscreen.names import Screener
from chipscreen.paths import data_dir
from chipscreen.sources import parse_file
from chipscreen.store import Store, watch

ON = dt.date(2026, 12, 1)
LISTS = data_dir() / "lists"
EL = "Entity List (EL) - Bureau of Industry and Security"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
VARIANTS = ("Service", "Nord", "Systems", "Logistik", "Anlagen", "Vertrieb", "Holding", "International", "Trading",
            "Technik")
"""Ten entries a watched ``Nordlicht Maschinenbau GmbH`` matches (0.78 to 0.93 before its country counts)."""


def full(store: Store, old: str, new: str) -> set[tuple[str, tuple[str, str], str | None, str | None]]:
    names = watch.party_names(store, sorted(watch.party_countries(store)))
    return level_changes(*(full_rescreen(Screener(store, snapshot=s), names, ON) for s in (old, new)))


def csl(path: Path, rows: list[dict[str, str]]) -> Path:
    with (SHARED / "csl" / "csl_sample_2019.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, base = list(reader.fieldnames or []), list(reader)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows([r for r in base if not r["name"].startswith("Gulf Gate Shipping")] if rows[-1].get(
            "drop") else base)
        writer.writerows([{k: v for k, v in r.items() if k != "drop"} for r in rows])
    return path


def entry(name: str) -> dict[str, str]:
    return {"source": EL, "name": name, "addresses": "Hauptstrasse 1, Munich, DE", "federal_register_notice":
            "91 FR 1000", "start_date": "2026-10-01", "license_requirement": "For all items subject to the EAR.",
            "license_policy": "Presumption of denial."}


@pytest.fixture(scope="module")
def pushed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str, MonitorReport]:
    """Ten listed variants of a watched name, then the name itself listed (an eleventh match) and the only hit of
    another watched party removed."""
    tmp = tmp_path_factory.mktemp("pushed")
    store = Store(tmp / "home")
    variants = [entry(f"Nordlicht Maschinenbau {v} GmbH") for v in VARIANTS]
    store.load([parse_file(csl(tmp / "old.csv", variants), retrieved=dt.date(2026, 10, 1))])
    customers = tmp / "customers.csv"
    customers.write_text("name,country,id\nGulf Gate Shipping Co. LLC,AE,C1\nNordlicht Maschinenbau GmbH,DE,C4\n"
                         "Acme Robotics GmbH,DE,C3\n", encoding="utf-8")
    add_parties(store, customers)
    first = run_monitor(store, on=ON)
    update = [*variants, entry("Nordlicht Maschinenbau GmbH") | {"drop": "yes"}]
    store.load([parse_file(csl(tmp / "new.csv", update), retrieved=dt.date(2026, 11, 1))])
    return store, first.new_snapshot, run_monitor(store, on=ON, record=False)


def test_a_new_row_that_pushes_the_tenth_match_out_is_found_by_a_forward_screen(
        pushed: tuple[Store, str, MonitorReport]) -> None:
    store, old, report = pushed
    assert finding_changes(report.parties) == full(store, old, report.new_snapshot)
    out = [f for f in report.parties if f.party_id == "parties-C4" and f.kind == "no longer matched"]
    assert len(out) == 1 and out[0].change == "unchanged" and out[0].entry_name.startswith("Nordlicht Maschinenbau")
    assert [f.kind for f in report.parties if f.party_id == "parties-C4" and f.change == "added"] == ["hit"]
    assert report.steps["merge fallbacks"] == 1  # the pushed-out match is an unchanged entry's: screened forward


def test_a_removed_row_that_was_a_partys_only_hit_is_merged_as_delisted(
        pushed: tuple[Store, str, MonitorReport]) -> None:
    _, _, report = pushed
    [gone] = [f for f in report.parties if f.party_id == "parties-C1"]
    assert (gone.kind, gone.change, gone.before) == ("delisted", "removed", "hit")
    assert gone.explanation and gone.score >= 0.82  # the old entry's match, explained
    assert report.steps["parties merged"] >= 1 and report.steps["parties affected"] == 1  # C4 alone went forward


def changed_entity_list(path: Path, watched: list[str], rng: random.Random) -> Path:
    """The 2026 Entity List with 40 entries removed (ten of them listed names the watch set holds) and 20
    watched names listed."""
    got = json.loads((LISTS / "us_lists_2026-07" / "bis_entity_list.json").read_text(encoding="utf-8"))
    entities = got["entities"]
    held = {n.casefold() for n in watched}
    removed = set(rng.sample(range(len(entities)), 30))
    removed |= set(rng.sample([i for i, e in enumerate(entities) if e["name"].casefold() in held], 10))
    kept = [e for i, e in enumerate(entities) if i not in removed]
    added = [entities[0] | {"name": n, "aliases": []} for n in rng.sample(watched, 20)]
    got["entities"] = kept + added
    got["count"] = len(got["entities"])
    path.write_text(json.dumps(got), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[str], MonitorReport]:
    """Three snapshots: the 2022 CSL (the baseline run), the 2026 Entity List and MEU (a recorded run carries the
    results), then a change of that Entity List (the run under test merges the carried results)."""
    tmp = tmp_path_factory.mktemp("chain")
    rng = random.Random(26)
    store = open_store(tmp / "home")
    store.load([parse_file(LISTS / "csl_consolidated_2022-04.csv")], replace=True, accept_shrink=True)
    with (LISTS / "csl_consolidated_2022-04.csv").open(encoding="utf-8", newline="") as fh:
        old = [r["name"] for r in csv.DictReader(fh) if r["name"]]
    new = [str(e["name"]) for e in json.loads((LISTS / "us_lists_2026-07" / "bis_entity_list.json").read_text(
        encoding="utf-8"))["entities"]]
    with (SHARED / "eval" / "screening_false_positives" / "negatives_global.csv").open(encoding="utf-8") as fh:
        people = [f"{r['first_name']} {r['last_name']}" for r in csv.DictReader(fh)]
    names = rng.sample(old, 300) + rng.sample(new, 300) + rng.sample(people, 200)
    parties = tmp / "parties.csv"
    parties.write_text("name,country,id\n" + "".join(f'"{n}",,P{i}\n' for i, n in enumerate(names)), encoding="utf-8")
    add_parties(store, parties)
    snaps = [run_monitor(store, on=ON).new_snapshot]
    store.load([parse_file(LISTS / "us_lists_2026-07" / f) for f in ("bis_entity_list.json", "bis_meu.json")])
    snaps.append(run_monitor(store, on=ON).new_snapshot)
    store.load([parse_file(changed_entity_list(tmp / "el.json", names, rng), retrieved=dt.date(2026, 11, 15))],
               accept_shrink=True)
    return store, snaps, run_monitor(store, on=ON, record=False)


def test_results_carried_to_the_next_snapshot_are_those_a_fresh_baseline_stores(
        chain: tuple[Store, list[str], MonitorReport]) -> None:
    store, snaps, _ = chain
    carried = watch_windows(store, snaps[1], build=False)
    assert carried is not None and carried.results is not None
    index = watch_index(store)
    screener = Screener(store, snapshot=snaps[1])
    readings = [index.rows[i].normalized for i in range(len(index.rows))]
    counted = windows.survey(screener.index, readings, carried.limit, screener.lists)
    fresh, where, pairs = counted.eligible, counted.where, counted.pairs
    assert (carried.eligible >= fresh).all()  # the carried bounds hold: where they say open, the window is
    open_ = {int(where[r]) for r in range(len(readings)) if carried.eligible[r] < carried.limit}
    assert len(open_) > len(set(where.tolist())) / 2  # most windows are still open after one change

    def by_reading(rows: list[tuple[int, str, str, str, str | None, int, int, float]]) -> dict[int, list[object]]:
        out: dict[int, list[object]] = {}
        for r in rows:
            if r[0] in open_:
                out.setdefault(r[0], []).append(r[1:])
        return {k: sorted(v, key=repr) for k, v in out.items()}

    stored = carried.results.pairs.to_pylist()
    assert by_reading([tuple(r.values()) for r in stored]) == by_reading(pairs)  # type: ignore[misc]
    assert by_reading(pairs)  # the comparison is not vacuous


def test_a_second_change_merged_from_carried_results_reports_what_a_full_re_screen_does(
        chain: tuple[Store, list[str], MonitorReport]) -> None:
    store, snaps, report = chain
    assert report.old_snapshot == snaps[1] and report.summary()["removed"] >= 30
    expected = full(store, snaps[1], report.new_snapshot)
    assert len(expected) > 15 and finding_changes(report.parties) == expected
    assert report.steps["parties merged"] > report.steps["parties affected"]


def test_forked_workers_score_and_compare_as_one_process_does(pushed: tuple[Store, str, MonitorReport],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers score the new rows, compare the merged parties and check the others: the findings,
    explanations included, are one process's."""
    store, _, report = pushed
    monkeypatch.setattr(merge, "PARALLEL_FROM", 0)
    monkeypatch.setattr(delta, "PARALLEL_FROM", 0)
    again = run_monitor(store, on=ON, record=False, workers=2)
    assert finding_changes(again.parties) == finding_changes(report.parties)
    assert again.parties == report.parties
    assert again.steps["pairs scored"] == report.steps["pairs scored"] > 0
