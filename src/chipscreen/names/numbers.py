"""Numbers in names, whichever way they are written: digits, ordinals ("1st"), number words ("First",
"Forty-Four") and, in organisations' names, Roman numerals ("Fund IV"). Two names whose numbers differ are
different parties ("Bain Capital Fund XI" / "Fund XII"), so every spelling of a number is read as digits."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from chipscreen.errors import DataError
from chipscreen.names.lexicon import Tables, load_table, names_data_dir, section, tables
from chipscreen.names.tokens import Token

__all__ = [
    "ORDINALS_FILE",
    "ORDINAL_SUFFIX",
    "ROMAN_NUMERAL",
    "join_numbers",
    "number_words",
    "roman_numbers",
    "roman_value",
]

ORDINALS_FILE = "ordinals.yml"

ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th|e|eme|er|o|a|ste|te)$")
"""A number with an ordinal ending in English, French, Spanish, Italian or German ("1st", "2e", "3o")."""

_MIN_NUMBER_WORD = 3
"""Shorter number words ("un", "en", "i") are articles, pronouns and initials far more often."""
_ROMAN_WORD = re.compile(r"^[ivxlcdm]+(?:th)?$")
"""A number word spelt in Roman numerals ("xiith"): read by ``roman_numbers`` only where it is a number."""

ROMAN_NUMERAL = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
"""A Roman numeral from 1 to 39 (lower case), the numbers funds and trusts are written with."""
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_ROMAN_ONLY_LAST = frozenset({"i", "v", "x", "xi", "vi"})
"""Roman numerals that are also common words or syllables ("Xi", "Vi") or initials: numbers only as the
last word of a name ("Bain Capital Fund XI", "Citigroup Capital Trust I")."""


@lru_cache(maxsize=1)
def number_words() -> dict[str, str]:
    """Cardinal and ordinal number words (one, first, seventy, erste, tres...) -> digits, from
    ``data/names/ordinals.yml``, so that "1st International Bank" meets "First International Bank" and
    "Brigade Forty-Four" meets "Brigade 44"."""
    out: dict[str, str] = {}
    stop = tables().stop_words
    for number, forms in _ordinals().items():
        for form in forms:
            f = form.lower()
            usable = f.isascii() and f.isalpha() and len(f) >= _MIN_NUMBER_WORD
            if usable and f not in stop and not _ROMAN_WORD.match(f):
                out.setdefault(f, str(number))
    return out


def _ordinals() -> dict[int, list[str]]:
    # read as objects: the checks below, not a compiled type check, must meet what the file holds
    table: dict[object, object] = section(load_table(ORDINALS_FILE), ORDINALS_FILE, "ordinals", dict)
    for number, forms in table.items():
        if not isinstance(number, int) or not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise DataError(str(names_data_dir() / ORDINALS_FILE), f"ordinals.{number}",
                            "expected a whole number mapped to a list of words")
    return cast("dict[int, list[str]]", table)


def join_numbers(tokens: list[Token]) -> list[Token]:
    """"forty four" (from "Forty-Four") and "forty 4" -> "44": a tens word, then a unit word or digit."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if (prev is not None and prev.role == "number" and tok.role == "number" and prev.text.isdigit()
                and tok.text.isdigit() and len(prev.text) == 2 and prev.text.endswith("0") and len(tok.text) == 1
                and not prev.raw[:1].isdigit()):
            out[-1] = Token(str(int(prev.text) + int(tok.text)), prev.raw + " " + tok.raw, "number", prev.weight,
                            prev.script)
            continue
        out.append(tok)
    return out


def roman_value(text: str) -> int:
    """The value of a lower-case Roman numeral matched by ``ROMAN_NUMERAL`` ("xiv" -> 14)."""
    total = 0
    for k, ch in enumerate(text):
        v = _ROMAN_VALUES[ch]
        total += -v if k + 1 < len(text) and _ROMAN_VALUES[text[k + 1]] > v else v
    return total


def roman_numbers(tokens: list[Token], t: Tables, notes: list[str]) -> list[Token]:
    """In an organisation's name a Roman numeral is a number ("Bowne Global Solutions II", "KKR Asian
    Fund IV"): the numbers of two names must agree, whichever way they are written."""
    out: list[Token] = []
    last = len(tokens) - 1
    for k, tok in enumerate(tokens):
        text = tok.text
        if (tok.script == "Latin" and (tok.role in ("distinctive", "initial") or k == last) and text
                and tok.raw.isalpha()
                and ROMAN_NUMERAL.match(text) and (k == last or text not in _ROMAN_ONLY_LAST)):
            value = str(roman_value(text))
            notes.append(f"roman numeral {tok.raw!r} -> {value!r}")
            out.append(Token(value, tok.raw, "number", t.weights["number"], tok.script))
        else:
            out.append(tok)
    return out
