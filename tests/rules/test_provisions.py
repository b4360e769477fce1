"""The provision files (data/rulebooks/provisions/): read and checked, a bad one named by its file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.rules.provisions import provisions


def test_the_shipped_provisions_carry_dated_scopes_and_citations() -> None:
    by_id = {p.id: p for p in provisions()}
    assert {"us-person-support", "ai-diffusion-lpp"} <= set(by_id)
    support = by_id["us-person-support"]
    assert support.step(dt.date(2022, 10, 11)) is None and support.step(dt.date(2022, 10, 12)) is not None
    assert by_id["ai-diffusion-lpp"].enforcement_note(dt.date(2025, 5, 12)) is None
    assert by_id["ai-diffusion-lpp"].enforcement_note(dt.date(2025, 5, 13)) is not None


def test_a_provision_file_with_a_bad_date_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("id: x\ntitle: t\ncitation: c\ndetail: d\nsteps: [{from: someday, citation: c}]\n")
    with pytest.raises(DataError, match=r"x\.yaml"):
        provisions(tmp_path)
