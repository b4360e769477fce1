"""FollowTheMoney entities and deltas (real OpenSanctions records from ../shared; not shipped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipscreen.dates import DateRange
from chipscreen.errors import InputError
from chipscreen.sources import detect_format, parse_file
from chipscreen.store import Store


def test_entities_and_ownership_edges(shared: Path) -> None:
    path = shared / "opensanctions_ftm" / "zala_entities.ftm.json"
    assert detect_format(path) == "ftm"
    ds = parse_file(path)
    assert ds.entries, "parties become entries"
    owned = [r for r in ds.relations if r.kind == "ownership"]
    assert len(owned) == 14
    assert any(r.share_ppm is not None for r in owned)
    ended = [(DateRange(r.start_date, r.end_date), r.end_date) for r in owned if r.end_date is not None]
    assert ended and all(window.contains(last) for window, last in ended)  # no window ends before it starts


def test_percentages_are_exact_ppm(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text(
        '{"id": "a", "schema": "Company", "properties": {"name": ["Alpha Ltd"]}, "datasets": ["x"]}\n'
        '{"id": "o1", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"], "percentage": ["50.5%"]}}\n'
    )
    ds = parse_file(path)
    assert ds.relations[0].share_ppm == 505_000


def test_delta_applies_onto_the_dataset_it_follows(shared: Path, empty_store: Store) -> None:
    base = parse_file(shared / "opensanctions_ftm" / "t1_entities.ftm.json")
    empty_store.load([base])
    before = empty_store.counts()
    delta = parse_file(shared / "opensanctions_ftm" / "t2_entities.delta.json")
    assert delta.is_delta
    result = empty_store.load([delta])
    after = empty_store.counts(result.snapshot)
    assert sum(after.values()) >= sum(before.values()) - len(delta.deleted_ids)
    names = {e.party.name for e in empty_store.entries(result.snapshot)}
    assert "AL-QAIDA IN IRAQ" in names


def test_malformed_json_line_is_located(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text('{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n{"id": "b", "sch\n')
    with pytest.raises(InputError, match=r"e\.ftm\.json:2: JSON"):
        parse_file(path)
