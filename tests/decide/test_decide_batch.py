"""Batches: one bad record is reported with its line and the rest are decided."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chipscreen.decide import Decider
from chipscreen.errors import InputError
from chipscreen.transactions import read_transactions

GOOD = {
    "id": "ok",
    "date": "2024-01-10",
    "kind": "export",
    "item": "nvidia-h100-sxm5",
    "quantity": 1,
    "from": "US",
    "to": "CN",
    "parties": [{"role": "end_user", "name": "IFLYTEK", "country": "CN"}],
}


def test_bad_records_are_reported_by_line_and_the_rest_decided(tmp_path: Path, decider: Decider) -> None:
    bad_item = {**GOOD, "id": "bad-item", "item": "nvidia-h999"}
    no_date = {k: v for k, v in GOOD.items() if k != "date"} | {"id": "no-date"}
    bad_role = {**GOOD, "id": "bad-role", "parties": [{"role": "buyer", "name": "X"}]}
    bad_country = {**GOOD, "id": "bad-country", "to": "XX"}
    lines = [
        json.dumps(GOOD),
        json.dumps(bad_item),
        json.dumps(no_date),
        "{not json",
        json.dumps(bad_role),
        json.dumps(bad_country),
        json.dumps({**GOOD, "id": "ok2"}),
    ]
    path = tmp_path / "txs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    outcomes = list(decider.decide_records(read_transactions(path)))
    assert [o.id for o in outcomes if o.decision] == ["ok", "ok2"]
    errors = {o.line: o.error or "" for o in outcomes if o.error}
    assert set(errors) == {2, 3, 4, 5, 6}
    assert "unknown catalog id 'nvidia-h999'" in errors[2]
    assert "date" in errors[3] and "Field required" in errors[3]
    assert "JSON" in errors[4]
    assert "role" in errors[5]
    assert "to: not an ISO 3166-1 alpha-2 country code: 'XX'" in errors[6]
    assert all(e.startswith(f"{path}:") for e in errors.values())


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_transactions(tmp_path / "missing.jsonl"))


ACCELERATOR = {"kind": "ic", "datacenter": True, "dense_tops": {"fp16": 400.0}, "die_area_mm2": 600.0}
"""An inline datacenter IC's specs: TPP 400 x 16 = 6,400, a 3A090.a part."""


def test_inline_items_are_classified_from_their_specs(decider: Decider) -> None:
    from decide_helpers import make_tx

    item = {"id": "custom-accelerator", **ACCELERATOR}
    d = decider.decide(make_tx(date="2024-01-10", item=item, parties=[{"role": "end_user", "name": "Example Co"}]))
    assert d.classification.tpp == pytest.approx(6400.0)
    assert d.classification.paragraph == "3A090.a"


def test_inline_items_sharing_an_id_are_classified_by_their_own_specs(decider: Decider) -> None:
    from decide_helpers import make_tx

    parties = [{"role": "end_user", "name": "Example Co"}]
    big = {"id": "nvidia-h100-sxm5", **ACCELERATOR}
    small = {**big, "dense_tops": {"fp16": 50.0}}
    first = decider.decide(make_tx(date="2024-01-10", item=big, parties=parties))
    second = decider.decide(make_tx(date="2024-01-10", item=small, parties=parties))
    catalog = decider.decide(make_tx(date="2024-01-10", item="nvidia-h100-sxm5", parties=parties))
    assert first.classification.tpp == pytest.approx(6400.0)
    assert second.classification.tpp == pytest.approx(800.0) and second.classification.paragraph is None
    assert catalog.classification.tpp != first.classification.tpp
