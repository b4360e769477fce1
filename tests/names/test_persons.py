"""Persons: initials, Chinese and Korean characters and father-son order say who a person is
(chipscreen.names.persons, chipscreen.names.kinds)."""

from __future__ import annotations

import pytest

from chipscreen.names.score import compare_names
from chipscreen.names.thresholds import thresholds


def _feature(query: str, listed: str, feature: str) -> tuple[float, str | None]:
    got = compare_names(query, listed)
    return got.score, next((a.why for a in got.adjustments if a.feature == feature), None)


@pytest.mark.parametrize(("query", "listed"), [
    ("Maria K. Olsen", "Maria Louise Olsen"),     # an initial that cannot stand for the other's middle name
    ("Olsen, Peter J.", "Peter M Olsen"),         # two different middle initials
    ("B. Karimov", "Islam Karimov"),              # an initial against another given name
])
def test_an_initial_that_stands_for_no_part_of_the_other_name_is_another_person(query: str, listed: str) -> None:
    score, why = _feature(query, listed, "initial_conflict")
    assert why is not None and "another person's initial" in why
    assert score < thresholds().review


@pytest.mark.parametrize(("query", "listed"), [
    ("Maria L. Olsen", "Maria Louise Olsen"),     # the initial of the other's middle name
    ("I. Karimov", "Islam Karimov"),
    ("Peter Olsen", "Peter M Olsen"),             # an initial on one side only: an omission
])
def test_an_initial_that_may_stand_for_the_other_part_stays_a_match(query: str, listed: str) -> None:
    score, why = _feature(query, listed, "initial_conflict")
    assert why is None
    assert score >= thresholds().review


@pytest.mark.parametrize(("query", "listed"), [
    ("박지성", "박지선"),      # Hangul: one syllable of the given name differs
    ("王小明", "王小平"),      # characters read differently (ming2 / ping2)
])
def test_a_character_of_its_own_on_each_side_is_another_name_part(query: str, listed: str) -> None:
    score, why = _feature(query, listed, "own_characters")
    assert why is not None and "another name part" in why
    assert score < thresholds().review


def test_two_forms_of_one_chinese_character_are_no_other_name_part() -> None:
    # 習 and 习 are one character, traditional and simplified, read xi2 both: the rule leaves it to
    # cjk_characters, which keeps a possible match
    score, why = _feature("習近平", "习近平", "own_characters")
    assert why is None
    assert score >= thresholds().review


def test_father_and_son_swapped_leave_the_review_band() -> None:
    # every word pairs, yet "Khalid bin Saeed" is the father of "Saeed bin Khalid"'s namesake, or his son
    score, why = _feature("KHALID BIN SAEED AL-MARRI", "SAEED BIN KHALID AL-MARRI", "patronymic_reversed")
    assert why is not None
    assert score < thresholds().review


def test_a_part_spelt_apart_beside_two_exact_parts_stays_a_possible_match() -> None:
    # "Smit" / "Smitsma" share a core of letters: one part mangled, not another person
    got = compare_names("Jan Pieter Smit", "Jan Pieter Smitsma")
    assert any(a.feature == "person_part_conflict" and "share a core" in a.why for a in got.adjustments)
    assert thresholds().review <= got.score < thresholds().hit


def test_a_short_name_ending_in_the_start_of_a_word_is_no_name_cut_by_a_field() -> None:
    # "Lars B. Holm" is 12 characters: no field cuts it, and "Holm" is not "Holmberg" cut short
    short = compare_names("Lars B. Holm", "Lars Holmberg")
    assert not any(p.similarity == thresholds().pairing.truncated for p in short.pairs)
    assert short.score < thresholds().review
    # a long name, cut at its last word, still pairs
    long_ = compare_names("ABDELKARIM BEN MOHAMED AL-FARSI BE", "Abdelkarim Ben Mohamed Al-Farsi Benhaddou")
    assert any(p.similarity == thresholds().pairing.truncated for p in long_.pairs)
    assert long_.score >= thresholds().hit
