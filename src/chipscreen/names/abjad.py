"""Whether a Latin word is a spelling of a word read from Arabic or Hebrew script.

Those scripts write consonants and long vowels (ا و ي) but not short vowels, so "mhmd" (محمد) must accept
"Mohamed" and "Muhammad" while "jlyly" (جلیلی) must refuse "Ghul": each letter becomes a class of Latin
spellings, short vowels may appear between letters, and a final h or t may be silent.

The spellings a word allows are worked out once, as a sequence of units (``_units``). Bulk screening meets
thousands of such words only once or twice, and compiling a regular expression costs about 0.6 ms, so a
word is first matched by a set-of-positions scan over its units; once it has been met often enough for
compiling to pay, the same units are compiled into an expression and used from then on. Both read the one
sequence, so they accept the same spellings.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from chipscreen.names.keys import undouble

# A unit is one of:
#   (_LITS, spellings)             one of a few literal spellings
#   (_STAR, letters)               any number of these letters (short vowels)
#   (_CLASS, vowels, mid)          one of ``mid`` with any short vowels around it (a long vowel: و ي)
#   (_OPT, unit, spellings)        the unit, or one of ``spellings``, or nothing (a silent final h or t)
_LITS, _STAR, _CLASS, _OPT = 0, 1, 2, 3
Unit = tuple[Any, ...]


def _lits(*spellings: str) -> Unit:
    return (_LITS, spellings)


_VOWELS = frozenset("aeiou")
_SHORT_VOWELS: Unit = (_STAR, frozenset("aeiouy"))
_ALIF: Unit = (_STAR, _VOWELS)
_LETTERS: dict[str, Unit] = {
    "kh": _lits("kh", "h", "k", "ch", "x"), "sh": _lits("sh", "ch", "sch", "s"), "th": _lits("th", "t", "s"),
    "dh": _lits("dh", "d", "z", "th"), "gh": _lits("gh", "g", "q", "r"), "ts": _lits("ts", "tz", "z", "c", "s"),
    "a": _ALIF, "w": (_CLASS, _VOWELS, frozenset("ouwv")), "y": (_CLASS, _VOWELS, frozenset("iey")),
    "q": _lits("q", "k", "g", "c", "ck"), "k": _lits("k", "c", "ck", "q", "kh", "ch"),
    "j": _lits("j", "g", "dj", "dzh", "zh", "y"), "z": _lits("z", "s", "dh", "th", "ts", "tz"),
    "s": _lits("s", "c", "sh", "ts"), "t": _lits("t", "th", "d"), "d": _lits("d", "dh", "t"),
    "f": _lits("f", "ph", "v", "p"), "b": _lits("b", "p", "v"), "p": _lits("p", "b", "f"), "g": _lits("g", "j", "gh"),
    "h": _lits("h"),
}
"""The Latin spellings of each letter of a romanised Arabic/Hebrew word (digraphs are one letter)."""
_SILENT_END = ("a", "ah", "e")
"""What a final h or t (ة) may be written as, besides itself or nothing."""
_FINAL_ALIF = _lits("a", "aa", "ah", "e", "eh")
"""A final alif is a long vowel every spelling writes ("Sana", "Esra", "Reza"): "thna" is not "Son"."""
_COMPILE_AFTER = 64
"""Scans of one word before its units are compiled into an expression (and that is used from then on)."""
_SEEN_MAX = 200_000
"""Words whose scans are counted before the count starts again (it only decides when to compile)."""


def _letters(text: str) -> list[str]:
    """A romanised Arabic/Hebrew word as the letters it was read from: the digraphs one letter gives
    ("kh", "sh", "th"...) kept together, every other character on its own."""
    out: list[str] = []
    i = 0
    while i < len(text):
        two = text[i : i + 2]
        if len(two) == 2 and two in _LETTERS:
            out.append(two)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return out


@lru_cache(maxsize=50_000)
def _units(text: str) -> tuple[Unit, ...] | None:
    """The spellings ``text`` allows, as units matched one after the other (None: fewer than two letters
    besides alif, too little to tell a spelling from chance)."""
    text = undouble(text)
    raw = _letters(text)
    if sum(1 for u in raw if u != "a") < 2:
        return None
    units = [_LETTERS.get(u) or _lits(u) for u in raw]
    out: list[Unit] = [_SHORT_VOWELS]
    if text.endswith(("h", "t")):
        units[-1] = (_OPT, units[-1], _SILENT_END)
    elif text.endswith("a") and len(units) >= 3:
        for k, u in enumerate(units[:-1]):
            if k:
                out.append(_SHORT_VOWELS)
            out.append(u)
        out.append(_FINAL_ALIF)  # no short vowels before the final alif
        return tuple(out)
    for k, u in enumerate(units):
        if k:
            out.append(_SHORT_VOWELS)
        out.append(u)
    out.append(_SHORT_VOWELS)
    out.append((_OPT, _lits("h"), ()))
    return tuple(out)


def _regex(unit: Unit) -> str:
    kind = unit[0]
    if kind == _LITS:
        alts = [re.escape(s) for s in unit[1]]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if kind == _STAR:
        return "[" + "".join(sorted(unit[1])) + "]*"
    if kind == _CLASS:
        vowels = "[" + "".join(sorted(unit[1])) + "]*"
        return vowels + "[" + "".join(sorted(unit[2])) + "]" + vowels
    extra = [re.escape(s) for s in unit[2]]
    return "(?:" + "|".join([_regex(unit[1]), *extra]) + ")?"


@lru_cache(maxsize=50_000)
def _pattern(text: str) -> re.Pattern[str] | None:
    units = _units(text)
    return None if units is None else re.compile("".join(_regex(u) for u in units))


def _step(unit: Unit, pos: set[int], s: str) -> set[int]:
    """The positions in ``s`` reachable from ``pos`` by matching ``unit``."""
    kind = unit[0]
    n = len(s)
    out: set[int] = set()
    if kind == _LITS:
        for p in pos:
            for lit in unit[1]:
                if s.startswith(lit, p):
                    out.add(p + len(lit))
    elif kind == _STAR:
        cs = unit[1]
        for p in pos:
            out.add(p)
            while p < n and s[p] in cs:
                p += 1
                out.add(p)
    elif kind == _CLASS:
        vowels: Unit = (_STAR, unit[1])
        mid = unit[2]
        before = _step(vowels, pos, s)
        one = {p + 1 for p in before if p < n and s[p] in mid}
        out = _step(vowels, one, s) if one else out
    else:
        out = set(pos)
        out |= _step(unit[1], pos, s)
        if unit[2]:
            out |= _step((_LITS, unit[2]), pos, s)
    return out


def _scan(units: tuple[Unit, ...], s: str) -> bool:
    pos = {0}
    for unit in units:
        pos = _step(unit, pos, s)
        if not pos:
            return False
    return len(s) in pos


_seen: dict[str, int] = {}


def is_abjad_spelling(abjad: str, latin: str) -> bool:
    """Whether ``latin`` (lower case, doubled letters written once) is a Latin spelling that the letters
    of ``abjad``, a word read from Arabic or Hebrew script, allow. A word of fewer than two letters
    besides alif allows none."""
    seen = _seen.get(abjad, 0)
    if seen >= _COMPILE_AFTER:
        pattern = _pattern(abjad)
        return pattern is not None and pattern.fullmatch(latin) is not None
    if len(_seen) > _SEEN_MAX:
        _seen.clear()
    _seen[abjad] = seen + 1
    units = _units(abjad)
    return units is not None and _scan(units, latin)
