"""The reach table's upper bound: it leaves out only watched readings no changed row can be eligible for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
from tests.monitor.test_watch_index import listed_and_watched

from chipscreen.monitor import reach
from chipscreen.monitor import watch_index as wi
from chipscreen.monitor.delta import reached
from chipscreen.names.keys import query_keys
from chipscreen.names.tails import normalize_query
from chipscreen.names.thresholds import thresholds
from chipscreen.store import Store

ON = dt.date(2026, 12, 1)
ODD = ("Huawei Technologies Co., Ltd.", "ZTE", "Mohammed bin Salman Al Saud", "Hua Wei", "Trading Company Limited",
       "北京华为技术有限公司", "Шереметьево Авиа", "Semiconductor Manufacturing International Corporation",
       "Kim Jong Un", "One Two Three Four Five Six Seven Eight Nine Ten Eleven")


def test_a_readings_masks_are_filed_under_exactly_the_keys_it_looks_up(bundled_store: Store) -> None:
    _, written = listed_and_watched(bundled_store)
    readings = [q for name in (*written, *ODD) for q in normalize_query(name) if q.tokens]
    assert len(readings) > 400
    for q in readings:
        assert set(reach.word_masks(q)) == query_keys(q), q


def test_no_reading_a_changed_row_is_eligible_for_is_left_out(bundled_store: Store) -> None:
    listed, written = listed_and_watched(bundled_store)
    parties = pa.table({"party_id": [f"P{i}" for i in range(len(written))], "name": written,
                        "name_kind": ["name"] * len(written), "country": [None] * len(written)})
    reverse = wi.build(parties)
    table = reach.build(row.normalized for row in reverse.rows)
    kept = set(reach.within_reach(table, listed, ON).tolist())
    review = thresholds().review
    eligible = {r for r, row in enumerate(reverse.rows)
                if listed.candidates(row.normalized, min_bound=review, limit=1, on=ON)}
    assert len(eligible) > 100  # a letter dropped, a word left out: most stay eligible
    assert eligible <= kept
    assert len(kept) < len(reached(reverse, [listed]))  # sharing a key is not enough


def test_the_table_is_read_back_alike_and_a_damaged_one_is_refused(bundled_store: Store, tmp_path: Path) -> None:
    table = reach.build(q for name in ODD for q in normalize_query(name) if q.tokens)
    folder = tmp_path / "watch-reach-x"
    reach.save(table, folder)
    got = reach.load(folder)
    assert got is not None and got.keys.to_pylist() == table.keys.to_pylist()
    for name in ("off", "rows", "masks", "word_weights", "free", "total", "generic"):
        assert np.array_equal(getattr(got, name), getattr(table, name)), name
    np.save(folder / "off.npy", np.asarray(table.off)[:-1])
    assert reach.load(folder) is None
    assert reach.load(tmp_path / "absent") is None
