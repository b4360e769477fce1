"""Rules of the person and organisation kinds (chipscreen.names.kinds) that move a score in or out of review."""

from __future__ import annotations

import pytest

from chipscreen.names.score import compare_names
from chipscreen.names.thresholds import thresholds


@pytest.mark.parametrize(("query", "listed"), [
    ("ALI SADDAM HUSSEIN AL-RAWI", "ALI SADDAM HUSSEIN AL-TIKRITI"),
    ("ABDUL GHAFAR QURISHI ABDUL HAMID", "ABDUL GHAFAR QURISHI ABDUL GHANI"),
    ("RUSTAM IBRAHIMOVICH ASELDEROV", "RUSTAM MAGOMEDOVICH ASELDEROV"),
])
def test_a_name_part_on_each_side_that_pairs_with_nothing_is_another_person(query: str, listed: str) -> None:
    # four of five parts agree, but each name keeps a part the other lacks: another family or father
    got = compare_names(query, listed)
    assert got.score < thresholds().review
    assert any(a.feature == "person_part_conflict" and "another person's part" in a.why for a in got.adjustments)


@pytest.mark.parametrize(("query", "listed"), [
    ("Mus?ab Mustafa Abu al Qassim Omar", "Mus’ab Mustafa Abu al Qassim Omar"),
    ("RUKAN RAZUK IABD-AL-GHAFUR SULAIMAN AL-TIKRITI", "RUKAN RAZUKI ABD-AL-GHAFUR SULAIMAN AL-TIKRITI"),
])
def test_unpaired_parts_sharing_a_core_of_letters_are_one_part_spelt_apart(query: str, listed: str) -> None:
    # mangled spellings of the UN positives: still a possible match for an analyst
    got = compare_names(query, listed)
    assert got.score >= thresholds().review
    assert any(a.feature == "person_part_conflict" and "share a core" in a.why for a in got.adjustments)
