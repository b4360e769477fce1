"""Listed parties a new user's query cleared (issue 12), each screened on the bundled lists."""

from __future__ import annotations

import pytest

from chipscreen.names.normalize import normalize_name
from chipscreen.names.score import compare_names
from chipscreen.names.screener import Screener
from chipscreen.names.thresholds import thresholds
from chipscreen.store import Store


def test_a_bracketed_acronym_on_the_listed_side_is_an_alias(bundled_store: Store) -> None:
    r = Screener(bundled_store, lists=["EL"]).screen("National University of Defense Technology", all_dates=True)
    top = r.matches[0]
    assert top.hit and top.matched_name == "National University of Defense Technology (NUDT)"
    assert "bracketed acronym (NUDT) read as an alias" in top.explanation["listed_normalised"]


@pytest.mark.parametrize("query", ["National Supercomputing Center Tianjin",
                                   "National Supercomputing Center in Tianjin"])
def test_the_place_decides_between_the_supercomputing_centres(bundled_store: Store, query: str) -> None:
    r = Screener(bundled_store, lists=["EL"]).screen(query, all_dates=True)
    top = r.matches[0]
    assert top.hit and "Tianjin" in top.matched_name
    assert all(m.score < thresholds().hit for m in r.matches[1:])


@pytest.mark.parametrize("query", ["华为 Huawei", "Huawei 华为", "Huawei Hua Wei"])
def test_a_name_in_two_scripts_side_by_side_hits(bundled_store: Store, query: str) -> None:
    r = Screener(bundled_store).screen(query, all_dates=True)
    assert r.hit and "huawei" in r.matches[0].name.casefold()


def test_bidi_controls_are_removed_and_reported() -> None:
    hidden = "Hua\u202ewei\u202c Technologies Co., Ltd."
    got = compare_names(hidden, "Huawei Technologies Co., Ltd.")
    assert got.score >= thresholds().hit
    notes = normalize_name(hidden)[0].notes
    assert "bidi and format characters removed: U+202C, U+202E" in notes


@pytest.mark.parametrize(("query", "listed"), [("IFLYTEK 1", "iflytek"), ("Sophgo 2", "sophgo")])
def test_a_trailing_number_keeps_the_match(bundled_store: Store, query: str, listed: str) -> None:
    r = Screener(bundled_store).screen(query, all_dates=True)
    assert r.matches and listed in r.matches[0].name.casefold()
    assert r.matches[0].score >= thresholds().review


def test_an_inserted_letter_in_a_short_acronym_is_another_name(bundled_store: Store) -> None:
    r = Screener(bundled_store).screen("SMIC", all_dates=True)
    assert r.hit
    assert all("SOMIC" not in m.matched_name.upper() or not m.hit for m in r.matches)
    assert compare_names("SMIC", "SOMIC").score < thresholds().review
