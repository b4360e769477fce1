"""Spellings folded onto one form, for words whose romanisations differ in ways edit distance overrates:
consonant skeletons for scripts that write few vowels, one spelling for the romanisations of Korean."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["DOUBLE_LETTERS", "korean_fold", "skeleton"]

_VOWELS = str.maketrans("", "", "aeiouywv")
DOUBLE_LETTERS = re.compile(r"(.)\1+")
_CONS = str.maketrans({"q": "k", "c": "k", "v": "f", "j": "g", "x": "s", "z": "s", "p": "b"})


@lru_cache(maxsize=100_000)
def skeleton(token: str) -> str:
    """Consonant skeleton, used for scripts that write few vowels (Arabic, Hebrew, Thai): "mohamed",
    "muhammad" and محمد (mhmd) all give "mhmd"."""
    s = DOUBLE_LETTERS.sub(r"\1", token.lower())
    s = s.replace("kh", "h").replace("ph", "f").replace("th", "t").replace("sh", "s").replace("ch", "s")
    s = s.replace("gh", "g").replace("dh", "d")
    return s.translate(_VOWELS).translate(_CONS)


_KOREAN_FOLD = (("eo", "o"), ("eu", "u"), ("ae", "e"), ("oo", "u"), ("ee", "i"), ("rk", "k"), ("g", "k"),
                ("b", "p"), ("d", "t"), ("r", "l"), ("-", ""))


_KOREAN_I = re.compile(r"^(?:lh|l|y)i")


@lru_cache(maxsize=100_000)
def korean_fold(token: str) -> str:
    """Fold the romanisations of Korean (Revised / McCune-Reischauer / popular: "gimjeongeun",
    "kim jong un") onto one spelling."""
    s = token.lower()
    for a, b in _KOREAN_FOLD:
        s = s.replace(a, b)
    s = _KOREAN_I.sub("i", s)  # the surname 이 is written Lee, Yi, Rhee, Ri or I
    return DOUBLE_LETTERS.sub(r"\1", s)
