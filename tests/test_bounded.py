"""Bounded memos: a least-recently-used map sized by data/caches.yml, and the decision engine's memos staying
within those sizes however many distinct parties and dates it is asked about (what a long-running service sees)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chipscreen import bounded
from chipscreen.bounded import LRU, cache_sizes, read_sizes
from chipscreen.bundled import open_store
from chipscreen.decide import Decider
from chipscreen.errors import DataError
from chipscreen.model import Transaction


def test_the_least_recently_used_entry_is_dropped_first() -> None:
    memo: LRU[str, int] = LRU(2)
    memo["a"], memo["b"] = 1, 2
    assert memo.get("a") == 1  # a is now newer than b
    memo["c"] = 3
    assert list(memo) == ["a", "c"] and memo.get("b") is None and memo.get("b", 0) == 0


def test_every_cache_the_engines_ask_for_has_a_positive_size() -> None:
    sizes = cache_sizes()
    for name in ("decide.party_screens", "decide.party_facts", "decide.classifications",
                 "decide.licence_requirements", "decide.control_starts", "ownership.views", "ownership.names",
                 "ownership.parties"):
        assert sizes[name] >= 1


def test_a_bad_size_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "caches.yml"
    path.write_text("decide:\n  party_facts: lots\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"caches.yml: decide.party_facts: a cache size is a positive integer"):
        read_sizes(path)


def tx(i: int) -> Transaction:
    """A transaction unlike the others: its own customer name, date and destination."""
    day = dt.date(2025, 1, 1) + dt.timedelta(days=i)
    return Transaction.model_validate({
        "id": f"t{i}", "date": day.isoformat(), "kind": "export", "item": "nvidia-h100-sxm5", "from": "US",
        "to": ("SG", "DE", "CN", "AE")[i % 4],
        "parties": [{"role": "end_user", "name": f"Customer Number {i} Trading Co", "country": "SG"}]})


def test_a_decider_asked_about_many_distinct_parties_and_dates_keeps_its_memos_bounded(
        bundled_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = {name: 7 for name in cache_sizes()}
    monkeypatch.setattr(bounded, "cache_sizes", lambda: small)
    with open_store(bundled_home, read_only=True) as store:
        decider = Decider(store)
        first = [decider.decide(tx(i)) for i in range(60)]
        again = [decider.decide(tx(i)) for i in range(60)]  # every memo entry of the first ones was dropped
        memos = {"party_facts": decider.parties._cache, "party_screens": decider.parties._screens,
                 "licence_requirements": decider._lr_cache, "classifications": decider._cls_cache,
                 "control_starts": decider.control_starts, "views": decider.parties.control._views}
    assert {name: len(m) for name, m in memos.items() if len(m) > 7} == {}
    assert len(memos["party_facts"]) == 7  # it was used, and filled up to its size
    assert [d.model_dump() for d in again] == [d.model_dump() for d in first]
