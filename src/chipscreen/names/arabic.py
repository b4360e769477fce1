"""Arabic compound names spelt one way, whichever romanisation wrote them.

"Abd al-Rahman" / "Abdul Rahman" / "Abdurrahman" and "Saif ad-Din" / "Seif Eddine" / "Saifuddin" are one
name each: the UN and OFAC lists use the first spelling, customers the others. The spellings come from
``data/names/arabic_compounds.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chipscreen.errors import DataError
from chipscreen.names.lexicon import load_table, names_data_dir

__all__ = ["arabic_compounds"]

_FILE = "arabic_compounds.yml"

_MARKS = " -\u02bf\u02be'`"
"""What may stand between an article and the next word's first letter: spaces, hyphens, the ʿayn and
hamza signs and apostrophes."""


@dataclass(frozen=True)
class _ArabicCompounds:
    """The spellings of ``data/names/arabic_compounds.yml`` as expressions over a lower-cased name."""

    abd_apart: re.Pattern[str]  # "abd al-rahman", "abd ar rahman", "abd allah"
    abd_fused: re.Pattern[str]  # "abdel", "abdurrahman", "abdelaziz"
    din_apart: re.Pattern[str]  # "al-din", "ad din"
    din_fused: re.Pattern[str]  # "eddine", "uddin", "shamseddine", "nasreddin"
    abd: str
    din: str


@lru_cache(maxsize=1)
def _arabic() -> _ArabicCompounds:
    raw = load_table(_FILE)
    try:
        return _compile(raw)
    except (KeyError, TypeError) as exc:
        raise DataError(str(names_data_dir() / _FILE), str(exc), "missing or malformed entry") from None


def _compile(raw: Any) -> _ArabicCompounds:
    abd = re.escape(str(raw["abd"]["word"]))
    vowels = "".join(str(v) for v in raw["article"]["vowels"])
    cons = "|".join(re.escape(str(c)) for c in raw["article"]["consonants"])
    din = "|".join(re.escape(str(w)) for w in raw["din"]["words"])
    din_ends = "|".join(re.escape(str(w)[1:]) for w in raw["din"]["words"])  # after a doubled d: in, een, ine
    return _ArabicCompounds(
        abd_apart=re.compile(rf"(?<![a-z]){abd}[\s-]+[{vowels}]({cons})(?=[\s-]|lah(?![a-z]))"),
        abd_fused=re.compile(rf"(?<![a-z]){abd}[{vowels}]({cons})([a-z]*)"),
        din_apart=re.compile(rf"(?<![a-z])[{vowels}][ld][\s-]+(?:{din})(?![a-z])"),
        # a stem ending in a consonant ("shams", "nasr"), so that "Aladdin" stays a name
        din_fused=re.compile(rf"(?<![a-z])([a-z]{{2,}}?[b-df-hj-np-tv-z])?[{vowels}]?dd(?:{din_ends})(?![a-z])"),
        abd=str(raw["abd"]["canonical"]),
        din=str(raw["din"]["canonical"]),
    )


def _next_letter(text: str, pos: int) -> str:
    """The first letter at or after ``pos``, past spaces, hyphens and marks such as the ʿayn sign."""
    for ch in text[pos:]:
        if "a" <= ch <= "z":
            return ch
        if ch not in _MARKS:
            return ""
    return ""


def arabic_compounds(low: str, notes: list[str]) -> str:
    """One spelling for the Arabic compounds that romanisations write as one, two or three words ("Abd
    al-Rahman" / "Abdul Rahman" / "Abdurrahman", "Saif ad-Din" / "Seif Eddine" / "Saifuddin"). The
    article's consonant, when it is not l, must be the next word's first letter (the assimilation that
    licenses it), so that "Abdon" or "Abd Ar" stay names. ``low`` is lower case; a change is noted."""
    if "abd" not in low and "dd" not in low and "din" not in low and "deen" not in low:
        return low
    a = _arabic()

    def abd_apart(m: re.Match[str]) -> str:
        cons = m.group(1)
        if cons != "l" and _next_letter(m.string, m.end()) != cons[0]:
            return m.group(0)
        return a.abd if m.string.startswith("lah", m.end()) else a.abd + " "

    def abd_fused(m: re.Match[str]) -> str:
        cons, rest = m.group(1), m.group(2)
        if cons == "l" or rest.startswith(cons) or (not rest and _next_letter(m.string, m.end()) == cons[0]):
            return a.abd + rest
        return m.group(0)

    out = a.abd_apart.sub(abd_apart, low)
    out = a.abd_fused.sub(abd_fused, out)
    out = a.din_apart.sub(a.din, out)
    out = a.din_fused.sub(lambda m: (m.group(1) or "") + a.din, out)
    if out != low:
        notes.append(f"Arabic compound spelt one way: {low!r} -> {out!r}")
    return out
