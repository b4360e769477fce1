"""One word of a name -> its token: digits read as letters, abbreviation expanded, number words read as
digits, legal-form words dropped, a role and a weight given."""

from __future__ import annotations

from functools import lru_cache

from rigour.text.translit import ascii_text

from chipscreen.names.lexicon import Tables, tables
from chipscreen.names.numbers import ORDINAL_SUFFIX, number_words
from chipscreen.names.tokens import Token

__all__ = ["ascii_lower", "make_token", "role_of", "word_token"]

_MIN_PATRONYMIC = 7
"""Letters of the shortest patronymic ("Ivanovich" has 9, "Petrovna" 8): shorter words with such an ending
("Ivanov", "Popova") are family names."""
_LEET_MIN_CHARS = 4
_LEET_MIN_LETTERS = 3
_LEET_MAX_DIGITS = 2
"""A word of four characters or more with one or two digits among at least three letters ("Ig0r Sech1n",
"Hu4wei") has digits standing in for letters; more digits make a code or a number ("A380", "B747X")."""
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "@": "a"})
_STOP_SCRIPTS = ("Latin", "Cyrillic", "Greek")
"""Scripts whose words can be stop words: a Latin stop word that a transliteration spells ("de" from Arabic,
"i" from Han) is a name syllable there."""


def role_of(text: str, t: Tables, script: str = "Latin") -> str:
    """The role of a word's comparison form (see ``chipscreen.names.tokens.ROLES``)."""
    if any(c.isdigit() for c in text):
        return "number"
    if text in t.stop_words and script in _STOP_SCRIPTS:
        return "stop"
    if text in t.places_always:
        return "place"
    if text in t.generic_words:
        return "generic"
    if len(text) == 1:
        return "initial"
    if text.endswith(t.patronymic_endings) and len(text) >= _MIN_PATRONYMIC:
        return "patronymic"
    return "distinctive"


def make_token(
    raw: str, script: str, bracketed: bool, t: Tables, notes: list[str], accented: bool = False
) -> Token | None:
    """The token of one word (None for a legal-form word), adding to ``notes`` what was done to it.
    Memoised per word for the shipped tables: a bulk run meets the same given and family names again and
    again."""
    tok, added = _cached_token(raw, script, bracketed, accented) if t is tables() else word_token(
        raw, script, bracketed, t, accented)
    if added:
        notes.extend(added)
    return tok


@lru_cache(maxsize=200_000)
def _cached_token(raw: str, script: str, bracketed: bool, accented: bool) -> tuple[Token | None, tuple[str, ...]]:
    return word_token(raw, script, bracketed, tables(), accented)


def word_token(
    raw: str, script: str, bracketed: bool, t: Tables, accented: bool
) -> tuple[Token | None, tuple[str, ...]]:
    """The token of one word and the notes on what was done to it. A word written with accents is never a
    legal form ("Sá" is a surname, "SA" a company)."""
    notes: list[str] = []
    raw = _unleet(raw, notes)
    canon = _canonical(raw, t, notes)
    if (canon in t.legal_words or raw in t.legal_words) and not accented:
        return None, tuple(notes)
    if canon == "and":
        return Token("and", raw, "stop", t.weights["stop"], script), tuple(notes)
    role = role_of(canon, t, script)
    w = t.weights[role]
    if bracketed:
        w *= t.weights["bracketed"]
    return Token(canon, raw, role, w, script), tuple(notes)


def _unleet(raw: str, notes: list[str]) -> str:
    """Digits standing in for letters ("Ig0r Sech1n"), an old way round keyword screening, read as letters."""
    if len(raw) >= _LEET_MIN_CHARS and not raw[0].isdigit():
        digits = sum(ch.isdigit() for ch in raw)
        if (0 < digits <= _LEET_MAX_DIGITS and len(raw) - digits >= _LEET_MIN_LETTERS
                and not ORDINAL_SUFFIX.match(raw)):
            unleet = raw.translate(_LEET)
            if unleet.isalpha():
                notes.append(f"digits read as letters {raw!r} -> {unleet!r}")
                return unleet
    return raw


def _canonical(raw: str, t: Tables, notes: list[str]) -> str:
    """The comparison form: the abbreviation expanded, an ordinal or a number word read as digits."""
    canon = t.abbreviations.get(raw, raw)
    if raw[:1].isdigit():
        m = ORDINAL_SUFFIX.match(raw)
        if m:
            canon = m.group(1)
            notes.append(f"ordinal {raw!r} -> {canon!r}")
    elif raw in number_words():
        canon = number_words()[raw]
        notes.append(f"number word {raw!r} -> {canon!r}")
    if canon != raw and raw not in ("&", "+"):
        notes.append(f"abbreviation {raw!r} -> {canon!r}")
    return canon


@lru_cache(maxsize=200_000)
def ascii_lower(word: str) -> str:
    """A word transliterated to lower-case ASCII (cached: transliteration is slow and words recur)."""
    return ascii_text(word).lower()
