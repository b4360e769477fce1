"""The ownership helpers every module shares: listing windows, vectorised date checks, one table object per store."""

from __future__ import annotations

import datetime as dt

import numpy as np

from chipscreen.dates import OPEN_END, OPEN_START, DateRange, day_number
from chipscreen.ownership.csr import in_force
from chipscreen.ownership.nodes import Listing
from chipscreen.ownership.tables import ownership_tables
from chipscreen.store import Store


def test_listing_window_is_a_date_range() -> None:
    e = Listing("e1", "EL", "X", [], dt.date(2024, 1, 1), None, "id")
    assert e.window == DateRange(dt.date(2024, 1, 1), None)
    assert e.in_force(dt.date(2024, 1, 1)) and not e.in_force(dt.date(2023, 12, 31))
    assert e.window.end_day() == OPEN_END


def test_vectorised_in_force_matches_date_range() -> None:
    ranges = [DateRange(), DateRange(dt.date(2020, 1, 1), dt.date(2020, 12, 31)), DateRange(None, dt.date(2019, 1, 1))]
    start = np.array([r.start_day() for r in ranges], dtype=np.int64)
    end = np.array([r.end_day() for r in ranges], dtype=np.int64)
    assert start[0] == OPEN_START
    for d in (dt.date(2018, 6, 1), dt.date(2020, 1, 1), dt.date(2021, 1, 1)):
        assert in_force(start, end, day_number(d)).tolist() == [r.contains(d) for r in ranges]


def test_ownership_tables_are_made_once_per_store(store: Store) -> None:
    tables = ownership_tables(store)
    assert ownership_tables(store) is tables
    assert not tables.exist()
    tables.create()
    assert tables.exist() and tables.counts() == (0, 0, 0)
    assert tables.norm("The Acme Co., Ltd.") == "acme"
