"""Snapshots: immutable, dated, reproducible, and left intact by a failed import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from chipscreen.errors import InputError, NotFoundError
from chipscreen.paths import data_dir
from chipscreen.sources import parse_file
from chipscreen.store import Store

LISTS = data_dir() / "lists"


def test_bundled_snapshot_loads_on_first_open_with_the_file_counts(bundled_store: Store) -> None:
    snap = bundled_store.latest_snapshot()
    assert snap is not None
    counts = bundled_store.counts(snap)
    assert counts["EL"] == 3409
    by_name = {d.name: d for d in bundled_store.datasets()}
    assert by_name["csl_consolidated_2022-04.csv"].rows_read == 14160
    # the 2026 Entity List is newer than the CSL's 2022 EL rows, so it supplies EL
    assert bundled_store.dataset(snap.lists["EL"]).name == "bis_entity_list.json"
    # the CSL is still the newest source of SDN here
    assert bundled_store.dataset(snap.lists["SDN"]).name == "csl_consolidated_2022-04.csv"


def test_snapshot_id_is_a_content_hash_so_it_is_the_same_on_every_machine(tmp_path: Path) -> None:
    ds = parse_file(LISTS / "us_lists_2026-07" / "bis_meu.json")
    with Store(tmp_path / "a") as a, Store(tmp_path / "b") as b:
        assert a.load([ds]).snapshot.id == b.load([ds]).snapshot.id


def test_as_of_date_uses_listing_dates(bundled_store: Store) -> None:
    def listed(name: str, day: dt.date) -> bool:
        return any(e.party.name == name for e in bundled_store.entries(as_of=day, lists=["EL"]))

    assert not listed("IFLYTEK", dt.date(2019, 10, 8))
    assert listed("IFLYTEK", dt.date(2019, 10, 9))
    # 88 FR 71991 took effect on 17 Oct 2023, two days before it was published
    assert not listed("Shanghai Biren Intelligent Technology Co., Ltd.", dt.date(2023, 10, 16))
    assert listed("Shanghai Biren Intelligent Technology Co., Ltd.", dt.date(2023, 10, 17))


def test_failed_import_leaves_the_previous_snapshot_untouched(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    first = store.load([parse_file(LISTS / "us_lists_2026-07" / "bis_meu.json")]).snapshot
    counts = store.counts()
    bad = tmp_path / "bis_entity_list.json"
    bad.write_text((LISTS / "us_lists_2026-07" / "bis_entity_list.json").read_text()[:100_000])
    with pytest.raises(InputError):
        store.load([parse_file(bad)])
    assert store.latest_snapshot() == first
    assert store.counts() == counts
    # a failure inside the store's own transaction rolls back as well
    good = parse_file(LISTS / "us_lists_2026-07" / "bis_dpl.json")
    good.entries[5].listing.__dict__["start_date"] = "not a date"
    with pytest.raises(Exception):  # noqa: B017 - whatever DuckDB raises, nothing may remain
        store.load([good])
    assert store.latest_snapshot() == first
    assert store.con.execute("SELECT count(*) FROM datasets").fetchone() == (1,)
    store.close()


def test_newest_data_wins_per_list_unless_replaced(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    new = parse_file(LISTS / "us_lists_2026-07" / "bis_meu.json")
    old = parse_file(LISTS / "csl_consolidated_2022-04.csv")
    store.load([new])
    result = store.load([old])
    assert result.kept_newer["MEU"] == store.latest_snapshot().lists["MEU"]  # type: ignore[union-attr]
    assert store.counts()["MEU"] == 70
    replaced = store.load([old], replace=True)
    assert store.counts(replaced.snapshot)["MEU"] == 71
    store.close()


def test_diff_of_the_2022_csl_entity_list_against_the_2026_entity_list(bundled_store: Store) -> None:
    csl = bundled_store.resolve_dataset("csl_consolidated_2022-04.csv")
    el = bundled_store.resolve_dataset("bis_entity_list.json")
    rows = bundled_store.diff_datasets(csl, el, lists=["EL"])
    kinds = {k: sum(1 for r in rows if r.change == k) for k in ("added", "removed", "changed")}
    names_added = {r.name for r in rows if r.change == "added"}
    # listed after April 2022: not in the 2022 CSL, present in 2026
    assert "Shanghai Biren Intelligent Technology Co., Ltd." in names_added
    assert "Beijing Zhipu Huazhang Technology Co., Ltd." in names_added
    assert kinds["added"] > 1000 and kinds["removed"] > 0 and kinds["changed"] > 100
    changed = next(r for r in rows if r.change == "changed" and r.name == "IFLYTEK")
    assert "federal_register" in changed.fields


def test_diff_between_two_snapshots_after_a_list_update(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    path = LISTS / "us_lists_2026-07" / "bis_meu.json"
    first = store.load([parse_file(path)]).snapshot
    doc = json.loads(path.read_text())
    removed = doc["entities"].pop(0)
    doc["entities"][0]["aliases"] = [*doc["entities"][0]["aliases"], "New Alias"]
    doc["entities"].append({**removed, "name": "Added Test Entity", "aliases": []})
    doc["extracted"] = "2026-08-01"
    update = tmp_path / "bis_meu.json"
    update.write_text(json.dumps(doc))
    second = store.load([parse_file(update)]).snapshot
    rows = store.diff(first.id, second.id)
    assert {(r.change, r.name) for r in rows if r.change != "changed"} == {
        ("removed", removed["name"]),
        ("added", "Added Test Entity"),
    }
    changed = [r for r in rows if r.change == "changed"]
    assert len(changed) == 1 and "New Alias" in changed[0].fields["aliases"][1]
    store.close()


def _truncated_json(tmp: Path) -> Path:
    bad = tmp / "bis_meu.json"
    bad.write_text((LISTS / "us_lists_2026-07" / "bis_meu.json").read_text()[:3000])
    return bad


def _broken_quote(tmp: Path) -> Path:
    lines = (LISTS / "csl_consolidated_2022-04.csv").read_text(encoding="utf-8").splitlines(keepends=True)[:30]
    lines[12] = lines[12].rstrip("\n") + ',"never closed\n'
    bad = tmp / "consolidated.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    return bad


def _wrong_column_count(tmp: Path) -> Path:
    lines = (LISTS / "csl_consolidated_2022-04.csv").read_text(encoding="utf-8").splitlines(keepends=True)[:30]
    lines[7] = ",".join(lines[7].split(",")[:5]) + "\n"
    bad = tmp / "consolidated.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    return bad


@pytest.mark.parametrize("corrupt", [_truncated_json, _broken_quote, _wrong_column_count])
def test_a_corrupt_file_leaves_the_previous_snapshot_and_counts_intact(tmp_path: Path, corrupt, run_cli) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "home")
    first = store.load([parse_file(LISTS / "us_lists_2026-07" / "bis_meu.json")]).snapshot
    counts = store.counts()
    store.close()
    bad = corrupt(tmp_path)
    code, _out, err = run_cli("lists", "load", str(bad), "--home", str(tmp_path / "home"))
    assert code == 2
    assert f"{bad}:" in err.replace("\n", "") and "Traceback" not in err
    with Store(tmp_path / "home") as again:
        assert again.latest_snapshot() == first
        assert again.counts() == counts
        assert len(again.datasets()) == 1


def test_a_new_store_has_no_snapshot_until_something_is_loaded(tmp_path: Path) -> None:
    with Store(tmp_path / "empty") as store:
        assert store.latest_snapshot() is None
        assert store.snapshots() == [] and store.datasets() == []
        with pytest.raises(NotFoundError):
            store.snapshot()
        assert store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    with Store(tmp_path / "empty") as again:  # reopening writes nothing either
        assert again.latest_snapshot() is None


def test_latest_tilde_counts_back_from_the_latest_load(tmp_path: Path) -> None:
    with Store(tmp_path / "home") as store:
        first = store.load([parse_file(LISTS / "us_lists_2026-07" / "bis_meu.json")]).snapshot
        second = store.load([parse_file(LISTS / "us_lists_2026-07" / "bis_dpl.json")]).snapshot
        assert store.snapshot("latest~1") == first
        assert store.snapshot("latest~0") == second == store.snapshot(second.id[:6])
        with pytest.raises(NotFoundError):
            store.snapshot("latest~2")
