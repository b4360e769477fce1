"""Which writing system a word is in, by Unicode block.

rigour's public ``codepoint_script`` reads the Unicode Script property instead, and the two differ on
about 2,400 code points: the marks, digits and punctuation inside a block (the Arabic comma and tatweel,
Greek and Kana punctuation: "Common" or "Inherited" to rigour, the block's script here), Coptic letters in
the Greek block, the letters of each script outside the blocks below (Arabic Extended, Cyrillic Extended,
Greek Extended, Hangul Jamo Extended), and Indic scripts other than the ten listed. Scores depend on the
script of a word (transliteration, consonant skeletons for Arabic, Hebrew and Thai), so the blocks stay;
``tests/names/test_scripts.py`` shows where rigour would answer otherwise.
"""

from __future__ import annotations

import re

__all__ = ["CJK_CHAR", "HAN_RUN", "KANA", "script_of_word"]

CJK_CHAR = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af\uf900-\ufaff]")
"""A Chinese character (CJK unified ideographs, extension A, compatibility) or a Hangul syllable."""

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
"""A run of Chinese characters (with the supplementary ideographs), read as pinyin rather than word by word."""

KANA = re.compile(r"[\u3040-\u30ff]")
"""A Hiragana or Katakana character: the mark of a Japanese name."""


def script_of_word(word: str) -> str:
    """The script of a word's first non-ASCII character that lies in a known block; "Latin" otherwise
    (accented Latin letters and scripts not listed included)."""
    for ch in word:
        if ch.isascii():
            continue
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
            return "Arabic"
        if 0x0590 <= o <= 0x05FF:
            return "Hebrew"
        if 0x0E00 <= o <= 0x0E7F:
            return "Thai"
        if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            return "Hangul"
        if 0x3040 <= o <= 0x30FF:
            return "Kana"
        if 0x0400 <= o <= 0x052F:
            return "Cyrillic"
        if 0x0370 <= o <= 0x03FF:
            return "Greek"
        if 0x0900 <= o <= 0x0DFF:
            return "Indic"
    return "Latin"
