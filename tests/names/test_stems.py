"""A word that only shares a stem with a listed word is another name; a typo of a whole word is the same name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.names.score import compare_names
from chipscreen.names.screener import Screener
from chipscreen.names.stems import STEMS_FILE, stem_rules
from chipscreen.names.thresholds import thresholds


@pytest.mark.parametrize(("query", "listed"), [
    ("Micron Technology Inc", "JSC Microtechnology"),  # a joined run: only "micro" of "micron" is in the word
    ("Silicon Technologies Co Ltd", "HiSilicon Technologies Co., Ltd."),  # letters added at the start
    ("Technotronix Electronics Co Ltd", "Technotron Electronics Co., Ltd."),  # letters added at the end
])
def test_a_word_sharing_only_a_stem_with_a_listed_word_is_no_match(query: str, listed: str) -> None:
    got = compare_names(query, listed)
    assert got.score < thresholds().review
    assert any(a.feature == "stem_only" and "share only a stem" in a.why for a in got.adjustments)


@pytest.mark.parametrize(("query", "listed"), [
    ("Huawei Technolgies", "Huawei Technologies Co., Ltd."),  # the typo in a common word
    ("SZ DJI Technolgy Co", "SZ DJI Technology Co., Ltd."),
    ("Hangzhou Hikvison Digital Technology", "Hangzhou Hikvision Digital Technology Co., Ltd."),  # inside a name
    ("Moore Thread Technology", "Moore Threads Technology Co., Ltd."),  # a plural ending is the same word
    ("Hi Silicon Technologies Co Ltd", "HiSilicon Technologies Co., Ltd."),  # written apart, exactly
    ("Northwestern Polytech Univ", "Northwestern Polytechnic University"),  # a word cut short: an abbreviation
    ("K D Rubber Plantationco., Ltd.", "K D Rubber Plantation Co., Ltd."),  # a legal form glued on
    ("Cargille, Incorporated", "Cargill, Incorporated"),  # one added letter is as often a typo (peer bench)
    ("Stripe LLC", "Strip Limited Liability Company"),
])
def test_a_typo_or_a_plural_of_a_whole_word_still_hits(query: str, listed: str) -> None:
    got = compare_names(query, listed)
    assert got.score >= thresholds().hit
    assert not any(a.feature == "stem_only" for a in got.adjustments)


def test_people_s_names_that_differ_at_an_end_are_left_to_the_spelling_rules() -> None:
    # transliterations vary at the ends of given names; the rule is for organisations only
    assert compare_names("Aleksandr Ivanov", "Aleksandra Ivanov").score >= thresholds().review


def test_the_stem_rule_clears_a_real_company_on_the_bundled_lists(screener: Screener) -> None:
    r = screener.screen("Micron Technology Inc", all_dates=True)
    assert not r.hit
    assert all("microtechnology" not in m.matched_name.casefold() for m in r.matches)


@pytest.fixture
def stems_copy(names_copy: Path) -> Iterator[Path]:
    """A copy of data/names whose stems.yml a test may break."""
    stem_rules.cache_clear()
    yield names_copy / STEMS_FILE
    stem_rules.cache_clear()


@pytest.mark.parametrize(("text", "key"), [
    ("endings: s\nmin_stem_chars: 4\n", "endings"),
    ("endings: [s, '-es']\nmin_stem_chars: 4\n", "endings"),
    ("endings: [s]\nmin_stem_chars: four\nmin_affix_chars: 2\n", "min_stem_chars"),
    ("endings: [s]\nmin_stem_chars: 4\n", "min_affix_chars"),
    ("[s, es]\n", ""),
])
def test_a_malformed_stems_table_names_file_and_key(stems_copy: Path, text: str, key: str) -> None:
    stems_copy.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        stem_rules()
    assert err.value.file.endswith(STEMS_FILE) and err.value.key == key
