"""A common word typed with a typo is still that word: it must not cost a listed name its match."""

from __future__ import annotations

import pytest

from chipscreen.names.misspelt import LEGAL, common_word_near
from chipscreen.names.score import compare_names
from chipscreen.names.thresholds import thresholds


@pytest.mark.parametrize(("word", "reads_as"), [
    ("technolgy", "technology"), ("technolgies", "technology"), ("intenational", "international"),
    ("electrnic", "electronic"), ("tcehnolsogy", "technology"), ("comnany", LEGAL), ("limted", LEGAL),
])
def test_a_word_one_or_two_edits_from_a_common_word_is_that_word(word: str, reads_as: str) -> None:
    assert common_word_near(word) == reads_as


@pytest.mark.parametrize("word", ["huawei", "sugon", "inspur", "cambricon", "tech"])
def test_names_and_short_words_are_left_alone(word: str) -> None:
    assert common_word_near(word) is None


def test_a_surname_one_letter_from_a_generic_word_stays_a_name_in_a_persons_name() -> None:
    got = compare_names("Malcolm Forbes", "Malcolm Forces")
    assert "misspelt" not in " ".join(got.query.notes if got.query else ())


@pytest.mark.parametrize(("query", "listed"), [
    ("Huawei Technolgies", "Huawei Technologies Co., Ltd."),
    ("SZ DJI Technolgy Co", "SZ DJI Technology Co., Ltd."),
    ("Limited Liability Comnany Syrgutmebel", "Limited Liability Company Syrgutmebel"),
])
def test_a_typo_in_a_common_word_keeps_the_hit(query: str, listed: str) -> None:
    got = compare_names(query, listed)
    assert got.score >= thresholds().hit
    assert any("misspelt" in n for n in got.explain()["query_normalised"])


@pytest.mark.parametrize("word", ["hikvision", "navigation", "technical", "tower", "estate"])
def test_a_typo_keeps_the_first_letter(word: str) -> None:
    # "Hikvision" read as "division" was a generic word: "Hikvision Digital Technology" matched nothing
    assert common_word_near(word) is None


def test_letters_a_transliteration_swaps_count_as_one() -> None:
    assert common_word_near("kapital") == "capital" and common_word_near("konsalting") == "consulting"


def test_a_distinctive_word_near_a_generic_word_keeps_the_hit() -> None:
    got = compare_names("Hikvision Digital Technology", "Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert got.score >= thresholds().hit
    assert not any("misspelt" in n for n in got.explain()["listed_normalised"])
