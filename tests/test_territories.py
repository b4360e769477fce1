"""The shipped copy of rigour's territory-name table answers every name exactly as rigour does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rigour.territories import lookup_territory

from chipscreen import territories
from chipscreen.territories import TABLE_PATH, lookup_code


def test_the_copy_was_made_from_the_installed_rigour() -> None:
    from importlib.metadata import version

    assert json.loads(TABLE_PATH.read_text(encoding="utf-8"))["rigour"] == version("rigour")


def test_every_shipped_name_and_some_others_answer_as_rigour_does() -> None:
    names = json.loads(TABLE_PATH.read_text(encoding="utf-8"))["names"]
    words = [*names, "Mexico", "U.K.", "Deutschland", "beijing", "GB", "gbr", "Q30", "huawei", "global", "x"]
    differ = [w for w in words if lookup_code(w) != getattr(lookup_territory(w), "code", None)]
    assert differ == []


def test_a_copy_from_another_rigour_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stale = tmp_path / "territory_names.json"
    stale.write_text(json.dumps({"rigour": "0.0.1", "names": {"huawei": "cn"}}), encoding="utf-8")
    monkeypatch.setattr(territories, "TABLE_PATH", stale)
    territories._shipped_names.cache_clear()
    try:
        assert lookup_code("huawei") is None  # rigour's own answer, not the stale copy's
    finally:
        territories._shipped_names.cache_clear()
