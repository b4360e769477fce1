"""Numbers in names: digits, ordinals, number words and Roman numerals read alike."""

from __future__ import annotations

from chipscreen.names.lexicon import load_table
from chipscreen.names.normalize import normalize_name
from chipscreen.names.numbers import ORDINALS_FILE, number_words, roman_value


def texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name)[0].tokens]


def test_roman_numerals_in_organisation_names_are_numbers() -> None:
    assert texts("Bowne Global Solutions II, Inc.")[-1] == "2"
    assert texts("KKR Asian Fund IV L.P.")[-1] == "4"
    assert texts("Citigroup Capital Trust I")[-1] == "1"
    # a syllable that spells a numeral is a number only at the end of the name, and never in a person's
    assert texts("Xi Dian Technology Co")[0] == "xi"
    assert texts("Xi Jinping") == ["xi", "jinping"]


def test_number_words_and_ordinals_read_as_digits() -> None:
    assert texts("First International Bank") == texts("1st International Bank")
    assert texts("Brigade Forty-Four") == texts("Brigade 44") == ["brigade", "44"]
    words = number_words()
    assert words["first"] == words["one"] == words["erste"] == "1"
    assert words["vigesimoquinto"] == "25"
    assert "ii" not in words and "de" not in words  # Roman numerals and stop words are not number words


def test_roman_values() -> None:
    assert [roman_value(r) for r in ("i", "iv", "ix", "xiv", "xxxix")] == [1, 4, 9, 14, 39]


def test_ordinals_file_lists_each_word_once() -> None:
    table = load_table(ORDINALS_FILE)["ordinals"]
    seen = [w for forms in table.values() for w in forms]
    assert len(seen) == len(set(seen))
    assert sorted(table) == list(range(101))
