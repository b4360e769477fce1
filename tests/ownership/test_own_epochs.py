"""Many dates on one ``Control``: the date-independent structure and the per-epoch caches.

Dates in the same epoch (no edge, listing or relation starts or ends between them) share one computation;
the answer for a date must never depend on which dates were asked before, nor differ from a fresh view.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from own_helpers import add_lists, write_csv

from chipscreen.model import Relation
from chipscreen.ownership import load as own_load
from chipscreen.ownership.control import Control
from chipscreen.ownership.structure import norm_ascii
from chipscreen.ownership.tables import ownership_tables
from chipscreen.store import Store

D = dt.date
PARTIES = ("Target Co", "Grand Co", "Other Co", "Owner Co", "Later Listed", "Nobody Known", "Linked Trader")


@pytest.fixture
def dated(store: Store, tmp_path: Path) -> Store:
    """An edge in force 2024-01-01..2025-12-31, an EL entry listed from 2025-06-01, a dated list-text link."""
    rels = [Relation(owner_name="Owner Co", owned_name="Linked Trader", kind="linked", evidence="Linked To",
                     start_date=D(2025, 3, 1))]
    add_lists(store, [("SDN", "Owner Co"), ("EL", "Later Listed", {"start_date": D(2025, 6, 1)})], relations=rels)
    own_load.load(store, write_csv(tmp_path / "dated.csv", [
        "Owner Co,Target Co,60,2024-01-01,2025-12-31", "Target Co,Grand Co,100,,", "Later Listed,Other Co,50,,",
    ]))
    return store


def _answers(control: Control, day: dt.date) -> dict[str, dict[str, Any]]:
    return {p: control.as_of(day).status(p).model_dump() for p in PARTIES}


def test_dates_in_one_epoch_share_one_computation_and_match_a_fresh_view(dated: Store) -> None:
    control = Control(dated)
    d1, d2 = D(2025, 10, 1), D(2025, 10, 20)  # nothing starts or ends in between; the Affiliates rule in force
    v1, v2 = control.as_of(d1), control.as_of(d2)
    assert v1.epoch_key == v2.epoch_key
    assert v1.runs["ofac"].lo is v2.runs["ofac"].lo and v1.lookthrough is v2.lookthrough
    assert v1.graph.own is v2.graph.own
    for day in (d1, d2):
        assert _answers(control, day) == _answers(Control(dated), day)
    st = control.as_of(d2).status("Grand Co")
    assert st.date == d2 and st.regimes["ofac"].captured and st.regimes["ofac"].round == 2
    assert control.as_of(D(2026, 1, 1)).epoch_key != v1.epoch_key  # the edge ended on 2025-12-31


def test_edge_end_and_listing_start_change_the_answer_exactly_on_their_dates(dated: Store) -> None:
    control = Control(dated)  # one Control, asked after, before, after: the caches must not leak across epochs

    def ofac(day: dt.date, party: str = "Grand Co") -> bool:
        return control.as_of(day).status(party).regimes["ofac"].captured

    def bis(day: dt.date) -> bool:
        return control.as_of(day).status("Other Co").regimes["bis_affiliates"].captured

    assert not ofac(D(2026, 1, 1)) and ofac(D(2025, 12, 31)) and not ofac(D(2026, 1, 1))
    assert ofac(D(2024, 1, 1)) and not ofac(D(2023, 12, 31)) and ofac(D(2024, 1, 1))
    assert not ofac(D(2026, 1, 1), "Target Co") and ofac(D(2025, 12, 31), "Target Co")
    assert bis(D(2025, 6, 1)) and not bis(D(2025, 5, 31)) and bis(D(2025, 6, 1))
    assert control.as_of(D(2025, 6, 1)).status("Later Listed").is_listed
    assert not control.as_of(D(2025, 5, 31)).status("Later Listed").is_listed
    # a party that only a dated list-text relation creates exists from the relation's start
    assert not control.as_of(D(2025, 2, 28)).status("Linked Trader").found
    linked = control.as_of(D(2025, 3, 1)).status("Linked Trader")
    assert linked.found and [r.name for r in linked.relatives] == ["Owner Co"]
    assert not control.as_of(D(2025, 2, 28)).status("Linked Trader").found


def test_answers_do_not_depend_on_the_order_dates_are_asked(dated: Store) -> None:
    days = [D(2023, 12, 31), D(2024, 1, 1), D(2025, 2, 28), D(2025, 3, 1), D(2025, 5, 31), D(2025, 6, 1),
            D(2025, 9, 28), D(2025, 9, 29), D(2025, 11, 10), D(2025, 12, 31), D(2026, 1, 1), D(2026, 11, 10)]
    fresh = {day: _answers(Control(dated), day) for day in days}
    orders = [sorted(days), sorted(days, reverse=True), random.Random(7).sample(days, len(days))]
    for order in orders:
        control = Control(dated)
        got = {day: _answers(control, day) for day in order}
        assert got == fresh
        table = control.as_of(D(2025, 2, 28)).table()
        assert "Linked Trader" not in table.column("name").to_pylist()
        assert "Linked Trader" in control.as_of(D(2025, 3, 1)).table().column("name").to_pylist()


def test_new_ownership_data_is_seen_by_a_control_already_in_use(dated: Store, tmp_path: Path) -> None:
    control = Control(dated)
    assert not control.as_of(D(2025, 10, 1)).status("Fresh Co").found
    own_load.load(dated, write_csv(tmp_path / "more.csv", ["Owner Co,Fresh Co,70,,"]))
    assert control.as_of(D(2025, 10, 2)).status("Fresh Co").regimes["ofac"].captured


def test_python_normaliser_is_the_duckdb_macro_on_ascii(store: Store) -> None:
    rng = random.Random(3)
    tokens = ["Co", "LTD", "limited", "Inc.", "the", "GmbH", "a.b.", "Huawei", "Tech", "S.A.", "--", "&", "'s",
              "co ltd", "(HK)", "123", "_", "\t", "  ", "pte.", "LLC,", "corp", "Corporation", "x"]
    samples = ["", " ", "Co", "Co Ltd", "The Co", "Acme Co., Ltd.", "ACME  CO LTD", "A_B", "Ltd Co Inc",
               "  Huawei Technologies Co., Ltd. ", "...", "co-ltd", "Co.Ltd", "LLC LLC", "the the"]
    samples += [" ".join(rng.choice(tokens) for _ in range(rng.randint(1, 6))) for _ in range(400)]
    want = ownership_tables(store).norms(samples)
    assert [norm_ascii(s) for s in samples] == want


def test_big_graph_lookups_by_sql_answer_like_the_dict_index(dated: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above ``INDEX_MAX`` ownership parties, ids / LEIs / names are looked up in DuckDB (memoised)."""
    from chipscreen.ownership import structure

    day = D(2025, 10, 1)
    by_dict = _answers(Control(dated), day)
    monkeypatch.setattr(structure, "INDEX_MAX", 0)
    control = Control(dated)
    assert _answers(control, day) == by_dict
    s = control.as_of(day).graph.structure
    assert s is not None and not s.indexed
