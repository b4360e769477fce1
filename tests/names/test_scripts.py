"""Script detection by Unicode block, and where rigour's Script property would answer otherwise."""

from __future__ import annotations

import pytest
from rigour.text.scripts import codepoint_script

from chipscreen.names.scripts import CJK_CHAR, HAN_RUN, KANA, script_of_word

_OURS = {"Arabic": "Arabic", "Hebrew": "Hebrew", "Thai": "Thai", "Hangul": "Hangul", "Hiragana": "Kana",
         "Katakana": "Kana", "Cyrillic": "Cyrillic", "Greek": "Greek", "Devanagari": "Indic", "Bengali": "Indic",
         "Gurmukhi": "Indic", "Gujarati": "Indic", "Oriya": "Indic", "Tamil": "Indic", "Telugu": "Indic",
         "Kannada": "Indic", "Malayalam": "Indic", "Sinhala": "Indic"}


@pytest.mark.parametrize(("word", "script"), [
    ("huawei", "Latin"), ("café", "Latin"), ("محمد", "Arabic"), ("כהן", "Hebrew"), ("สมชาย", "Thai"),
    ("김정은", "Hangul"), ("カタカナ", "Kana"), ("путин", "Cyrillic"), ("αθηνα", "Greek"), ("मोदी", "Indic"),
    ("ա", "Latin"),  # Armenian: a script the blocks do not list
    ("é中", "Latin"),  # Han is read in runs before words are split, never here
])
def test_script_of_word(word: str, script: str) -> None:
    assert script_of_word(word) == script


def test_the_letters_of_each_block_agree_with_rigour() -> None:
    # every letter rigour puts in one of our scripts, inside our blocks, is read as that script here
    blocks = [(0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFEFF), (0x0590, 0x05FF), (0x0E00, 0x0E7F),
              (0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F), (0x3040, 0x30FF), (0x0400, 0x052F),
              (0x0370, 0x03FF), (0x0900, 0x0DFF)]
    for lo, hi in blocks:
        for cp in range(lo, hi + 1):
            theirs = _OURS.get(str(codepoint_script(cp)))
            if theirs is not None and chr(cp).isalpha():
                assert script_of_word(chr(cp)) == theirs, hex(cp)


@pytest.mark.parametrize(("char", "ours", "rigours"), [
    ("\u0640", "Arabic", "Common"),  # the tatweel, which stretches an Arabic word
    ("\u060c", "Arabic", "Common"),  # the Arabic comma
    ("\u03e2", "Greek", "Coptic"),  # a Coptic letter in the Greek block
    ("\u1f00", "Latin", "Greek"),  # Greek Extended, outside the blocks
    ("\u08a0", "Latin", "Arabic"),  # Arabic Extended-A, outside the blocks
])
def test_where_rigour_answers_otherwise(char: str, ours: str, rigours: str) -> None:
    # why the blocks stay: replacing them with rigour's codepoint_script would change these words' scripts
    assert script_of_word(char) == ours
    assert codepoint_script(ord(char)) == rigours


def test_character_classes() -> None:
    assert CJK_CHAR.findall("华为 Huawei 김") == ["华", "为", "김"]
    assert [m.group(0) for m in HAN_RUN.finditer("华为 Huawei 科技")] == ["华为", "科技"]
    assert KANA.search("山田たろう") is not None and KANA.search("山田太郎") is None
