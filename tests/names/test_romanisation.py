"""Wade-Giles and Pinyin spellings of one Chinese name meet; other words are left alone."""

from __future__ import annotations

import pytest

from chipscreen.names.romanisation import pinyin_spellings, same_chinese_name
from chipscreen.names.score import compare_names
from chipscreen.names.thresholds import thresholds

HIT = thresholds().hit


@pytest.mark.parametrize(("wade_giles", "pinyin"), [
    ("tsetung", "zedong"),      # ts -> z, -ung -> -ong, unaspirated t -> d
    ("hsi", "xi"),              # hs -> x
    ("chinping", "jinping"),    # ch before i -> j; p without its apostrophe (p') -> p
    ("chiang", "jiang"),
    ("chingkuo", "jingguo"),    # k -> g
    ("hsiaoping", "xiaoping"),
    ("tzu", "zi"),              # the whole syllables -u / -ih
    ("shih", "shi"),
])
def test_a_wade_giles_word_meets_its_pinyin(wade_giles: str, pinyin: str) -> None:
    assert same_chinese_name(wade_giles, pinyin)
    assert same_chinese_name(pinyin, wade_giles)
    assert pinyin in pinyin_spellings(wade_giles)


@pytest.mark.parametrize(("a", "b"), [
    ("dan", "tan"),       # two Pinyin words: aspiration is a real difference there
    ("tung", "dong"),     # -ung alone is Korean, Cantonese and Vietnamese too: not read as Wade-Giles
    ("chung", "zhong"),
    ("jung", "rong"),     # j- alone: German, Korean
    ("smith", "smyth"),   # not Chinese syllables at all
    ("hsi", "xu"),        # Wade-Giles, but another name
])
def test_other_words_do_not_fold(a: str, b: str) -> None:
    assert not same_chinese_name(a, b)


def test_names_in_wade_giles_hit_their_pinyin_with_the_reason_shown() -> None:
    for a, b in (("Mao Tse-tung", "Mao Zedong"), ("Hsi Chin-ping", "Xi Jinping"),
                 ("Chiang Ching-kuo", "Jiang Jingguo")):
        assert HIT <= compare_names(a, b).score < 1.0, (a, b)
    pairs = compare_names("Mao Tse-tung", "Mao Zedong").explain()["pairs"]
    assert [(p["compared_as"], p["similarity"]) for p in pairs] == [
        (["mao", "mao"], 1.0), (["tse tung", "zedong"], 0.9)]
    assert compare_names("Nguyen Van Tung", "Nguyen Van Dong").score < HIT
