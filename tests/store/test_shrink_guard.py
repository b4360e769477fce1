"""Issue 14 item 5: a small file does not silently replace a whole list. A load that shrinks a list by more
than 10 % or 50 entries (``data/store/safety.yml``) is refused unless ``--accept-shrink``; internal lists are
named with ``--list NAME`` and kept side by side."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from procs import LISTS

from chipscreen.errors import DataError
from chipscreen.store.guard import shrinks
from chipscreen.store.settings import Safety, safety

Cli = Callable[..., tuple[int, str, str]]
BOUNDS = Safety(shrink_max_fraction=0.10, shrink_max_entries=50, wait_seconds=1, poll_seconds=0.1, backups_kept=2,
                duckdb_mb=1000)


@pytest.mark.parametrize(("before", "after", "refused"), [
    (100, 90, False),  # exactly 10 %: allowed
    (100, 89, True),
    (1000, 950, False),  # exactly 50 entries: allowed
    (1000, 949, True),
    (3409, 1, True),
    (10, 30, False),  # growth is never refused
])
def test_the_guard_refuses_a_shrink_past_either_bound(before: int, after: int, refused: bool) -> None:
    assert bool(shrinks({"EL": before}, {"EL": after}, settings=BOUNDS)) is refused


def test_only_the_lists_a_load_repoints_are_checked() -> None:
    assert shrinks({"EL": 3409, "SDN": 10}, {"EL": 3409, "SDN": 1}, lists=["EL"], settings=BOUNDS) == []


def test_the_bounds_come_from_the_data_file_and_a_bad_value_names_its_key(tmp_path: Path) -> None:
    assert (safety().shrink_max_fraction, safety().shrink_max_entries) == (0.10, 50)
    bad = tmp_path / "safety.yml"
    bad.write_text("shrink: {max_fraction: ten, max_entries: 50}\nwriter: {wait_seconds: 1, poll_seconds: 1}\n"
                   "backups: {keep: 2}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"shrink\.max_fraction"):
        safety(bad)


def _show(run_cli: Cli, home: Path) -> dict[str, int]:
    code, out, _ = run_cli("lists", "show", "--json", "--home", str(home))
    assert code == 0
    return {row["list"]: row["entries"] for row in json.loads(out)["lists"]}


def test_a_one_entity_entity_list_dated_later_is_refused(home: Path, tmp_path: Path, run_cli: Cli) -> None:
    doc = json.loads((LISTS / "bis_entity_list.json").read_text(encoding="utf-8"))
    doc["entities"], doc["count"] = doc["entities"][:1], 1
    small = tmp_path / "bis_entity_list.json"
    small.write_text(json.dumps(doc), encoding="utf-8")
    before = _show(run_cli, home)
    code, _, err = run_cli("lists", "load", str(small), "--retrieved", "2026-09-01", "--home", str(home))
    message = " ".join(err.split())
    assert code == 2 and "EL would go from 3,409 to 1 entries (-3,408, 100.0 %)" in message
    assert "Nothing was loaded" in message and "--accept-shrink" in message
    assert _show(run_cli, home) == before
    assert run_cli("screen", "IFLYTEK CO LTD", "--home", str(home))[0] == 1  # still a hit
    code, _, _ = run_cli("lists", "load", str(small), "--retrieved", "2026-09-01", "--accept-shrink",
                         "--home", str(home))
    assert code == 0 and _show(run_cli, home)["EL"] == 1


def _csv(path: Path, rows: list[str]) -> str:
    path.write_text("name,country\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_internal_lists_are_named_and_kept_side_by_side(home: Path, tmp_path: Path, run_cli: Cli) -> None:
    first = _csv(tmp_path / "deny.csv", ["Acme Shadow Trading Ltd,HK", "Borealis Chip Brokers,SG",
                                         "Cobalt Relay Systems,AE"])
    second = _csv(tmp_path / "watch.csv", ["Delta Lantern Holdings,MY"])
    assert run_cli("lists", "load", first, "--home", str(home))[0] == 0
    code, _, err = run_cli("lists", "load", second, "--home", str(home))  # PARTIES 3 -> 1: refused
    assert code == 2 and "PARTIES would go from 3 to 1 entries" in " ".join(err.split())
    assert run_cli("lists", "load", second, "--list", "watch", "--home", str(home))[0] == 0
    counts = _show(run_cli, home)
    assert (counts["PARTIES"], counts["WATCH"], counts["EL"]) == (3, 1, 3409)
    for name in ("Borealis Chip Brokers", "Delta Lantern Holdings"):
        code, out, _ = run_cli("screen", name, "--json", "--home", str(home))
        assert code == 1 and json.loads(out)["matches"][0]["name"] == name


def test_an_internal_list_cannot_take_a_government_lists_name(home: Path, tmp_path: Path, run_cli: Cli) -> None:
    deny = _csv(tmp_path / "deny.csv", ["Acme Shadow Trading Ltd,HK"])
    code, _, err = run_cli("lists", "load", deny, "--list", "EL", "--home", str(home))
    assert code == 2 and "--list: EL is a list loaded from bis_entity_list.json" in " ".join(err.split())
    code, _, err = run_cli("lists", "load", str(LISTS / "bis_meu.json"), "--list", "MINE", "--home", str(home))
    assert code == 2 and "applies to parties CSV files" in err
