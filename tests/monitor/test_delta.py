"""Reverse screening reports what a full forward re-screen of the watch set reports (``monitor.delta``'s
definition: per party and listing, the level that differs between the old and the new snapshot), on a real
change of the bundled lists: the 2022 CSL, then the 2026 Entity List and MEU as an update."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chipscreen.bundled import open_store
from chipscreen.dates import day_number
from chipscreen.monitor import add_parties, delta, merge, run_monitor, windows
from chipscreen.monitor.changed import Changed, changed_indexes, entries_index
from chipscreen.monitor.delta import affected, reached
from chipscreen.monitor.findings import finding_changes, full_rescreen, full_rescreens, level_changes
from chipscreen.monitor.run import MonitorReport
from chipscreen.monitor.watch_index import watch_index, watch_reach
from chipscreen.names import Screener
from chipscreen.names.index import NameIndex
from chipscreen.names.index_arrays import decode, encode
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName
from chipscreen.paths import data_dir
from chipscreen.rules import list_rulebooks
from chipscreen.sources import parse_file
from chipscreen.store import SnapshotInfo, Store, watch
from chipscreen.store.changes import step
from chipscreen.text import fold_words

ON = dt.date(2026, 12, 1)
LISTS = data_dir() / "lists"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def watched_names(shared: Path, rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Listed names of both years (some with a letter dropped), the demo customers and people's names."""
    with (LISTS / "csl_consolidated_2022-04.csv").open(encoding="utf-8", newline="") as fh:
        old = [r["name"] for r in csv.DictReader(fh) if r["name"]]
    new = [str(e["name"]) for f in ("bis_entity_list.json", "bis_meu.json")
           for e in json.loads((LISTS / "us_lists_2026-07" / f).read_text(encoding="utf-8"))["entities"]]
    with (shared / "eval" / "screening_false_positives" / "negatives_global.csv").open(encoding="utf-8") as fh:
        people = [f"{r['first_name']} {r['last_name']}" for r in csv.DictReader(fh)]
    names = rng.sample(old, n // 2) + rng.sample(people, n // 4) + rng.sample(new, n // 4)
    out = []
    for i, name in enumerate(names):
        words = name.split()
        if i % 3 == 0 and len(words[0]) > 5:
            words[0] = words[0][:2] + words[0][3:]
        out.append((" ".join(words), ""))
    return out


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, SnapshotInfo, MonitorReport]:
    tmp = tmp_path_factory.mktemp("cycle")
    store = open_store(tmp / "home")
    store.load([parse_file(LISTS / "csl_consolidated_2022-04.csv")], replace=True,
               accept_shrink=True)
    old = store.snapshot()
    parties = tmp / "parties.csv"
    with parties.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "country", "id"])
        with (Path(__file__).resolve().parents[2] / "examples" / "customers.csv").open(encoding="utf-8") as demo:
            w.writerows(list(csv.reader(demo))[1:])
        w.writerows([name, country, f"P{i}"] for i, (name, country) in enumerate(
            watched_names(SHARED, random.Random(15), 1500)))
    add_parties(store, parties)
    watch.record_run(store, watch.RunRecord(1, dt.datetime.now(), old.id, tuple(r.id for r in list_rulebooks()),
                                            watch.watch_version(store), 0), {})
    store.load([parse_file(LISTS / "us_lists_2026-07" / f) for f in ("bis_entity_list.json", "bis_meu.json")])
    return store, old, run_monitor(store, on=ON, record=False)


def test_both_snapshots_screened_sharing_comparisons_give_each_snapshots_own_results(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    store, old, _ = cycle
    names = watch.party_names(store, sorted(watch.party_countries(store))[:400])
    screeners = [Screener(store, snapshot=s.id) for s in (old, store.snapshot())]
    alone = [full_rescreen(s, names, ON) for s in screeners]
    assert full_rescreens(screeners, names, ON, workers=2) == alone  # forked workers
    assert full_rescreens(screeners, names, ON) == alone and all(s.comparisons is None for s in screeners)
    assert sum(len(r) for r in alone[1].values()) > 20  # matches were compared, not only empty results


def test_the_findings_are_those_of_a_full_re_screen_of_every_watched_party(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    store, old, report = cycle
    names = watch.party_names(store, sorted(watch.party_countries(store)))
    full = level_changes(*(full_rescreen(Screener(store, snapshot=s.id), names, ON) for s in (old, store.snapshot())))
    delta = finding_changes(report.parties)
    assert len(full) > 50  # the update concerns many watched parties: the comparison is not vacuous
    assert delta == full
    # the run counted the watch set's windows (``monitor.windows``): most readings asked no snapshot's index,
    # and most parties the change reaches were merged from their stored results (``monitor.merge``), not
    # screened forward
    assert report.steps["index lookups"] < report.steps["readings reached"] / 4
    assert report.steps["parties merged"] > 2 * report.steps["parties affected"]


def test_forked_workers_screen_the_parties_they_find_affected_as_one_process_does(
        cycle: tuple[Store, SnapshotInfo, MonitorReport], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker screens forward the parties its checks find affected (``monitor.forward``), with their names
    taken from the watch set's reverse index: the findings, explanations included, are one process's."""
    store, _, report = cycle
    monkeypatch.setattr(delta, "PARALLEL_FROM", 0)
    monkeypatch.setattr(merge, "PARALLEL_FROM", 0)
    again = run_monitor(store, on=ON, record=False, workers=2)
    assert again.parties == report.parties
    assert again.steps["parties screened where found"] == report.steps["parties screened where found"] > 20
    assert again.steps["parties affected"] == report.steps["parties affected"]


def test_each_finding_names_the_entry_and_its_change(cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    _, _, report = cycle
    kinds = {f.kind for f in report.parties}
    assert {"hit", "possible match"} <= kinds and kinds & {"delisted", "no longer matched"}
    huawei = [f for f in report.parties if f.party_id == "parties-C-1001" and f.kind == "hit"]
    assert huawei and all(f.list_code == "EL" and f.change in ("added", "changed") for f in huawei)
    assert all(f.changed_fields for f in report.parties if f.change == "changed")
    assert all(f.explanation for f in report.parties)


def test_the_update_changed_the_lists_the_watch_set_is_screened_against(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    _, old, report = cycle
    assert report.old_snapshot == old.id != report.new_snapshot
    assert report.summary()["added"] > 1000 and report.summary()["removed"] > 100


def test_a_changed_entry_outside_the_rows_forward_screening_scores_alters_nothing(
        cycle: tuple[Store, SnapshotInfo, MonitorReport], monkeypatch: pytest.MonkeyPatch) -> None:
    """With forward screening scoring only its two best eligible rows, many changed entries are eligible for
    a watched name without being scored for it: those parties are left out, and every party whose result
    differs under a full re-screen (with the same two-row screeners) is still found."""
    store, old, _ = cycle
    new = store.snapshot()
    forward = (Screener(store, snapshot=old.id, candidates=2), Screener(store, snapshot=new.id, candidates=2))
    changed = changed_indexes(store, old, new, step(store, old, new).changes, forward)
    index = watch_index(store)
    rows = reached(index, changed.indexes)
    found = affected(index, changed, rows, ON)
    review = thresholds().review
    eligible = {index.rows[r].entity_id for r in rows if any(
        i.candidates(index.rows[r].normalized, min_bound=review, limit=1, on=ON) for i in changed.indexes)}
    names = watch.party_names(store, sorted(watch.party_countries(store)))
    differ = {pid for pid, *_ in level_changes(*(full_rescreen(s, names, ON) for s in forward))}
    assert differ and differ <= found
    assert len(eligible - found) > 20  # the shortcut is taken, not merely allowed
    monkeypatch.setattr(delta, "PARALLEL_FROM", 0)
    assert affected(index, changed, rows, ON, workers=2) == found  # forked workers, each on a run of the rows


def test_an_unchanged_entry_the_caps_let_in_or_push_out_is_found(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """With forward screening scoring two rows and reporting one match, a changed row moves unchanged entries: a
    removed row lets the third-best row in, a new one pushes the second out or takes the only match's place.
    Parties whose result differs only in such unchanged entries, whom the changed entries alone report nothing
    for, exist in this change, and each is among the affected parties (the rows forward screening scores in one
    snapshot only are compared, not only the changed ones)."""
    store, old, _ = cycle
    new = store.snapshot()
    forward = (Screener(store, snapshot=old.id, candidates=2, max_matches=1),
               Screener(store, snapshot=new.id, candidates=2, max_matches=1))
    changed = changed_indexes(store, old, new, step(store, old, new).changes, forward)
    index = watch_index(store)
    found = affected(index, changed, reached(index, changed.indexes), ON)
    names = watch.party_names(store, sorted(watch.party_countries(store)))
    differ = level_changes(*(full_rescreen(s, names, ON) for s in forward))
    moved = {(r.list_code, fold_words(r.primary_name)) for i in changed.indexes for r in i.rows}
    alone = [Screener(index=i, max_matches=len(i.rows), candidates=len(i.rows)) for i in changed.indexes]
    only_unchanged = {pid for pid, listing, *_ in differ if listing not in moved} - {
        pid for pid, *_ in differ if any(s.screen(n, country=c, date=ON).matches for n, c in names[pid] for s in alone)}
    assert only_unchanged  # the case the shortcut must not miss is in the data
    assert {pid for pid, *_ in differ} <= found


def two_row_screeners(store: Store, old: SnapshotInfo) -> tuple[Screener, Screener]:
    """Forward screeners scoring two rows and reporting one match: windows fill and caps bite often."""
    return (Screener(store, snapshot=old.id, candidates=2, max_matches=1),
            Screener(store, snapshot=store.snapshot().id, candidates=2, max_matches=1))


@dataclass
class TwoRowChange:
    """The cycle's change seen by ``two_row_screeners``: the changed entries, the watch set's reverse index, its
    readings and the rows the changed keys reach, and the parties whose two-row result differs."""

    forward: tuple[Screener, Screener]
    changed: Changed
    index: NameIndex
    readings: list[NormalizedName]
    rows: set[int]

    def differ(self, store: Store) -> set[str]:
        names = watch.party_names(store, sorted(watch.party_countries(store)))
        return {pid for pid, *_ in level_changes(*(full_rescreen(s, names, ON) for s in self.forward))}


def two_row_change(store: Store, old: SnapshotInfo) -> TwoRowChange:
    forward = two_row_screeners(store, old)
    new = store.snapshot()
    changed = changed_indexes(store, old, new, step(store, old, new).changes, forward)
    index = watch_index(store)
    readings = [index.rows[i].normalized for i in range(len(index.rows))]
    return TwoRowChange(forward, changed, index, readings, reached(index, changed.indexes))


def test_the_window_bounds_spare_most_readings_the_index_and_miss_nobody(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """With each reading's window bound in the old snapshot (``monitor.windows``), only readings whose window may
    be full ask the snapshots' indexes; every party whose result differs is still found (a removed row freeing a
    place in a full window, a new row pushing out the only match). Told that no window holds anything, the same
    check misses some of them: the bounds are what keeps it exact."""
    store, old, _ = cycle
    c = two_row_change(store, old)
    forward, changed, index, readings, rows, differ = c.forward, c.changed, c.index, c.readings, c.rows, c.differ(store)
    stats: dict[str, float] = {}
    found = affected(index, changed, rows, ON, windows=windows.build(forward[0].index, readings, 2), stats=stats)
    assert differ and differ <= found
    asked: dict[str, float] = {}
    assert affected(index, changed, rows, ON, stats=asked) == found  # the same answer as asking every reading
    assert 0 < stats["index lookups"] < asked["index lookups"]  # with two rows a window is mostly full
    blind = affected(index, changed, rows, ON, windows=np.zeros(len(readings), dtype=np.int16))
    assert differ - blind


def test_the_carried_bound_is_never_under_the_windows_of_the_new_snapshot(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """The bound carried to the next snapshot (old bound plus the new changed rows the reach table lets reach
    the reading) is at least the count made afresh against the new snapshot, for every watched reading."""
    store, old, _ = cycle
    c = two_row_change(store, old)
    forward, changed, readings = c.forward, c.changed, c.readings
    bounds = windows.Windows(windows.build(forward[0].index, readings, 64), 64)
    windows.reached_carrying(watch_reach(store), changed.indexes, changed.new, ON, bounds)
    assert bounds.carried is not None
    fresh = windows.build(forward[1].index, readings, 64)
    assert (bounds.carried >= fresh).all()
    assert (fresh != bounds.eligible).any() and (bounds.carried > bounds.eligible).any()  # the change moves them


def test_full_windows_under_their_cut_skip_the_index_and_miss_nobody(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """With the cuts of the full windows (the bound of the last row a window holds, ``monitor.windows``), a
    reading whose changed rows all rank under its cut, or whose new rows only push out rows that are never
    reported, asks no index; the parties found include all those found by asking every reading, and fewer
    readings ask. Told that every change stays under every cut, the check misses parties whose
    result differs: the cut is what keeps it exact."""
    store, old, _ = cycle
    c = two_row_change(store, old)
    forward, changed, index, readings, rows, differ = c.forward, c.changed, c.index, c.readings, c.rows, c.differ(store)
    counted = windows.survey(forward[0].index, readings, 2, score=False, since=ON)
    assert np.isfinite(counted.cuts.bound).sum() > len(readings) // 4  # two-row windows are mostly full
    plain: dict[str, float] = {}
    found = affected(index, changed, rows, ON, windows=counted.eligible, stats=plain)
    cut: dict[str, float] = {}
    with_cut = affected(index, changed, rows, ON, windows=counted.eligible, stats=cut, cuts=counted.cuts)
    # a new row whose bound ties with the cut may rank after the window's last row: counted as entering, it can
    # only add a party (screened forward, where the findings are made), never drop one
    assert found <= with_cut and len(with_cut - found) <= len(found) // 10
    assert differ <= found and cut["index lookups"] < plain["index lookups"]
    n = len(readings)
    none = np.zeros(n, dtype=np.int8)
    blind = windows.Cuts(np.full(n, np.inf), np.full(n, -10**9), np.full(n, 10**9), none, none, np.full(n, np.inf))
    assert differ - affected(index, changed, rows, ON, windows=counted.eligible, cuts=blind)


def test_a_rows_bound_is_the_same_in_the_changed_entries_index_as_in_the_snapshots(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """The cut compares bounds taken from two indexes: a row's bound for a reading depends on the two alone."""
    store, old, _ = cycle
    c = two_row_change(store, old)
    assert c.changed.new is not None
    index, side, full = c.index, c.changed.new, c.forward[1].index
    where = {delta.signature(full, r): r for r in range(len(full.rows))}
    compared = 0
    for i in range(0, len(index.rows), 7):
        q = index.rows[i].normalized
        mine = side.ranked(q, min_bound=thresholds().review, limit=len(side.rows))
        if mine.by_row:  # a reading of descriptive words only: no bounds
            continue
        theirs = full.ranked(q, min_bound=thresholds().review, limit=len(full.rows))
        bound_of = dict(zip(theirs.rows, theirs.bounds, strict=True))
        for r, b in zip(mine.rows, mine.bounds, strict=True):
            assert bound_of[where[delta.signature(side, r)]] == b
            compared += 1
    assert compared > 100


def test_the_carried_cuts_are_those_counted_afresh_in_the_new_snapshot(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """A cut carried to the next snapshot (kept where no changed row's upper bound reaches it) is the one a count
    against the new snapshot finds, with the same days; the change (the whole 2026 lists) forgets some."""
    store, old, _ = cycle
    c = two_row_change(store, old)
    forward, changed, readings = c.forward, c.changed, c.readings
    counted = windows.survey(forward[0].index, readings, 2, score=False)
    bounds = windows.Windows(counted.eligible, 2, cuts=counted.cuts)
    windows.reached_carrying(watch_reach(store), changed.indexes, changed.new, ON, bounds)
    carried = bounds.carried_cuts
    assert carried is not None
    fresh = windows.survey(forward[1].index, readings, 2, score=False).cuts
    kept = np.isfinite(carried.bound)
    assert (carried.bound[kept] == fresh.bound[kept]).all()
    assert (carried.first[kept] == fresh.first[kept]).all() and (carried.last[kept] == fresh.last[kept]).all()
    assert (carried.tail[kept] == fresh.tail[kept]).all() and (carried.spare[kept] <= fresh.spare[kept]).all()
    same = kept & (carried.spare > 0)  # where no changed row reaches the reading at all
    assert (carried.lowest[same] == fresh.lowest[same]).all()
    assert kept.any() and (np.isfinite(counted.cuts.bound) & ~kept).any()


def test_cuts_counted_from_the_runs_day_leave_out_the_rows_no_longer_listed(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """A row listed until a day before the survey's is never in force again: counted from that day, a window is
    cut from the other rows, so more cuts hold on the day, and none before it."""
    store, old, _ = cycle
    index = watch_index(store)
    readings = [index.rows[i].normalized for i in range(len(index.rows))]
    snapshot_index = two_row_screeners(store, old)[0].index
    day = day_number(ON)
    assert (snapshot_index.ends < day).any()
    holding = []
    for since in (None, ON):
        cuts = windows.survey(snapshot_index, readings, 2, score=False, since=since).cuts
        holding.append(sum(cuts.valid(r, day) is not None for r in range(len(readings))))
        if since is not None:
            assert all(cuts.valid(r, day - 1) is None for r in range(len(readings)))
    assert holding[1] > holding[0]


def test_the_changed_entries_index_holds_what_one_built_from_the_stores_tables_holds(
        cycle: tuple[Store, SnapshotInfo, MonitorReport]) -> None:
    """The changed entries' rows are taken from the snapshot's index, not read from the store again: the same rows
    (signatures: names, readings, listing days), in the same order, with the same identifiers, whether the
    snapshot's index was built in this process or read back from its cache."""
    store, old, _ = cycle
    new = store.snapshot()
    changes = step(store, old, new).changes
    was = Screener(store, snapshot=old.id).index
    with_ids = {(was.rows[r].list_code, was.rows[r].entity_id) for got in was.identifiers.values() for _, r in got}
    identified = 0
    for snap, keys in ((new, {(r.list_code, r.entity_id) for r in changes if r.change != "removed"}),
                       (old, {(r.list_code, r.entity_id) for r in changes if r.change != "added"}),
                       (old, set(sorted(with_ids)[::20]))):  # the change touches no entry with identifiers
        wanted = pa.array(sorted(f"{c}\x1f{e}" for c, e in keys), pa.string())

        def only(table: pa.Table, wanted: pa.Array = wanted) -> pa.Table:
            joined = pc.binary_join_element_wise(table.column("list_code"), table.column("entity_id"), "\x1f")
            return table.filter(pc.is_in(joined, value_set=wanted))

        codes = sorted({c for c, _ in keys})
        built = NameIndex.from_tables(only(store.names_table(snap, lists=codes)),
                                      only(store.identifiers_table(snap, lists=codes)))
        expected = [delta.signature(built, r) for r in range(len(built.rows))]
        full = Screener(store, snapshot=snap.id).index
        for index in (full, decode(encode(full))):
            got = entries_index(index, keys)
            assert got is not None
            assert [delta.signature(got, r) for r in range(len(got.rows))] == expected
            assert got.identifiers == built.identifiers
        assert len(expected) > 100
        identified += len(built.identifiers)
    assert identified > 100
