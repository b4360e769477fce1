"""``chipscreen check`` on transactions a user got wrong (issue 14 items 6, 7 and 10): every value that no rule
knows is refused with exit 2 and a message naming the field, never silently decided."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chipscreen.cli import app
from chipscreen.decide.overlays import overlays
from chipscreen.vocabulary import vocabulary

runner = CliRunner()


def check(tmp_path: Path, home: Path, **changes: Any) -> tuple[int, dict[str, Any] | None, str]:
    """``check`` one H100 shipment to Germany, with ``changes`` applied to it."""
    tx: dict[str, Any] = {"id": "T-1", "date": "2026-03-01", "kind": "export", "item": "nvidia-h100-sxm5",
                          "quantity": 8, "from": "US", "to": "DE",
                          "parties": [{"role": "consignee", "name": "Acme Widgets GmbH", "country": "DE"}]}
    tx.update(changes)
    path = tmp_path / "tx.json"
    path.write_text(json.dumps(tx))
    result = runner.invoke(app, ["check", str(path), "--json", "--home", str(home)])
    decision = json.loads(result.stdout) if result.stdout.strip() else None
    return result.exit_code, decision, result.stderr


@pytest.mark.parametrize(("spelling", "to"), [("WMD", "DE"), ("nuclear_weapons", "DE"), ("Nuclear weapons", "DE"),
                                              ("Military", "CN"), ("military_end_use", "CN"),
                                              ("SUPERCOMPUTER", "CN")])
def test_end_use_spellings_of_the_vocabulary_require_the_licence(
    tmp_path: Path, bundled_home: Path, spelling: str, to: str
) -> None:
    code, decision, _ = check(tmp_path, bundled_home, end_use=spelling, to=to, item="nvidia-h20",
                              parties=[{"role": "consignee", "name": "Acme Widgets", "country": to}])
    assert decision is not None and code == 1
    end_use = [r for r in decision["reasons"] if r["code"] == "end_use"]
    assert end_use and end_use[0]["evidence"]["end_use"] == vocabulary().end_use(spelling)


def test_an_end_use_outside_the_vocabulary_is_refused_with_the_allowed_values(tmp_path: Path,
                                                                              bundled_home: Path) -> None:
    code, decision, err = check(tmp_path, bundled_home, end_use="espionage")
    assert code == 2 and decision is None
    assert "end_use: unknown end use 'espionage'" in err.replace("\n", " ")
    assert all(name in err for name in vocabulary().end_uses)


def test_a_civil_end_use_is_accepted_and_adds_no_requirement(tmp_path: Path, bundled_home: Path) -> None:
    _, decision, _ = check(tmp_path, bundled_home, end_use="Commercial")
    assert decision is not None and not [r for r in decision["reasons"] if r["code"] == "end_use"]


def test_every_controlled_end_use_has_its_licence_requirement_and_no_other() -> None:
    """The vocabulary and data/decide/overlays.yaml name the same controlled end uses."""
    controlled = {t.name for t in vocabulary().end_uses.values() if t.controlled}
    assert controlled == set(overlays().end_uses)


@pytest.mark.parametrize(("code", "why"), [("ZZ", "user-assigned"), ("EU", "regional"), ("UN", "regional"),
                                           ("XK", "user-assigned"), ("UK", "GB"), ("SU", "no longer exists"),
                                           ("QQ", "user-assigned"), ("AP", "no such country")])
def test_a_destination_must_be_an_assigned_iso_country_code(
    tmp_path: Path, bundled_home: Path, code: str, why: str
) -> None:
    status, decision, err = check(tmp_path, bundled_home, to=code)
    assert status == 2 and decision is None
    assert f"to: not an ISO 3166-1 alpha-2 country code: '{code}'" in err and why in err


def test_assigned_codes_that_are_not_states_stay_destinations(tmp_path: Path, bundled_home: Path) -> None:
    for to in ("HK", "MO", "TW", "PS"):
        _, decision, err = check(tmp_path, bundled_home, to=to)
        assert decision is not None, err


@pytest.mark.parametrize(("changes", "message"), [
    ({"quantity": True}, "quantity: expected a whole number of units, got true"),
    ({"quantity": 1e30}, "quantity: 1e+30 units is over the documented maximum"),
    ({"quantity": 2.5}, "quantity: expected a whole number of units, got 2.5"),
    ({"acquired": "2026-05-01"}, "acquired: 2026-05-01 is after the transaction date 2026-03-01"),
    ({"date": "2100-01-01"}, "date: 2100-01-01 is more than"),
    ({"date": 20260301}, "date: expected a date as YYYY-MM-DD, got the number 20260301"),
])
def test_impossible_quantities_and_dates_are_refused(
    tmp_path: Path, bundled_home: Path, changes: dict[str, Any], message: str
) -> None:
    status, decision, err = check(tmp_path, bundled_home, **changes)
    assert status == 2 and decision is None
    assert message in err.replace("\n", " ")


def test_a_planned_transaction_within_the_bound_is_decided(tmp_path: Path, bundled_home: Path) -> None:
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    _, decision, err = check(tmp_path, bundled_home, date=soon, quantity=8.0)
    assert decision is not None and decision["date"] == soon, err


def test_a_line_nested_5000_deep_is_its_own_error_and_the_good_lines_are_decided(tmp_path: Path,
                                                                                 bundled_home: Path) -> None:
    """Issue 14 item 17: the JSON decoder's recursion limit used to end the batch with a traceback."""
    tx = {"id": "T-1", "date": "2026-03-01", "kind": "export", "item": "nvidia-h100-sxm5", "quantity": 8,
          "from": "US", "to": "DE", "parties": [{"role": "consignee", "name": "Acme Widgets GmbH", "country": "DE"}]}
    deep = '{"parties": ' + "[" * 5000 + "]" * 5000 + "}"
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([json.dumps(tx), deep, json.dumps({**tx, "id": "T-3"})]) + "\n")
    result = runner.invoke(app, ["check", str(path), "--json", "--home", str(bundled_home)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.stderr
    assert f"{path}:2: JSON: nested too deeply to read (column 1)" in " ".join(result.stderr.split())
    decided = [json.loads(line)["id"] for line in result.stdout.splitlines() if line.startswith("{")]
    assert decided == ["T-1", "T-3"]
