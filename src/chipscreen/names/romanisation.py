"""Chinese romanisations folded onto one key, so that a Wade-Giles name meets its Pinyin.

The lists spell Chinese names in Hanyu Pinyin ("Mao Zedong", "Xi Jinping"); Taiwanese customers, older
documents and many English sources spell them in Wade-Giles ("Mao Tse-tung", "Hsi Chin-p'ing"), usually
without the apostrophes that mark aspiration. Edit distance cannot see that "tse tung" is "zedong". Here a
word is cut into syllables (Pinyin's, or Wade-Giles' spelt from them by ``data/names/wade_giles.yml``) and
each syllable is read as its Pinyin with aspiration ignored (p/b, t/d, k/g, ch/zh, q/j, c/z read alike, as
Wade-Giles without apostrophes cannot tell them apart): two words that share a key are the same Chinese
name written two ways. A key is only used when one of the two words reads as Wade-Giles (a syllable no
Pinyin has and other romanisations rarely write: hs-, ts-, -ih, -ieh), so Pinyin words never fold onto
each other ("Dan" / "Tan" stay different names).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from chipscreen.errors import DataError
from chipscreen.names.lexicon import load_table, names_data_dir

_MAX_WORD = 18
"""Longer words are not one Chinese name (three syllables of six letters at most)."""
_MAX_KEYS = 16
"""Cuts into syllables, and Pinyin spellings, kept per word: a bound on the work for a word that can be cut
many ways (the number of cuts grows with every syllable)."""
_FILE = "wade_giles.yml"
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z",
             "c", "s", "y", "w")
_LOOSE = (("zh", "ch"), ("z", "c"), ("b", "p"), ("d", "t"), ("g", "k"), ("j", "q"))
"""Pinyin consonants that Wade-Giles without apostrophes writes alike, read as one."""


def _split(syllable: str) -> tuple[str, str]:
    for ini in _INITIALS:
        if syllable.startswith(ini) and len(syllable) > len(ini):
            return ini, syllable[len(ini):]
    return "", syllable


_Finals = list[tuple[str, frozenset[str], str]]


def _wade_giles() -> tuple[dict[str, str], _Finals, dict[str, str], list[re.Pattern[str]]]:
    """The sections of ``data/names/wade_giles.yml``: whole syllables, finals (after which initials), initials
    and the patterns that mark a spelling as Wade-Giles."""
    wg = load_table(_FILE)
    try:
        whole = {str(k): str(v) for k, v in wg["whole"].items()}
        finals = [(str(f), frozenset(str(i) for i in after), str(out)) for f, after, out in wg["finals"]]
        initials = {str(k): str(v) for k, v in wg["initials"].items()}
        distinctive = [re.compile(str(p)) for p in wg["distinctive"]]
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise DataError(str(names_data_dir() / _FILE), str(exc), "missing or malformed entry") from None
    return whole, finals, initials, distinctive


Tables = tuple[dict[str, frozenset[str]], frozenset[str], int]
_PRIMED: list[Tables] = []


def prime(tables: Tables) -> None:
    """Tables read back from the cache (``romanisation_cache``) stand in for deriving them again: importing
    pypinyin and reading its 40,000 characters cost every warm command over half a second."""
    _PRIMED[:] = [tables]


@lru_cache(maxsize=1)
def tables() -> Tables:
    """Every syllable spelling (Pinyin and Wade-Giles, ASCII, ü as u) -> the Pinyin syllables it can stand
    for; the Wade-Giles spellings that mark a word as Wade-Giles; the longest spelling."""
    return _PRIMED[0] if _PRIMED else derive()


def derive() -> Tables:
    """The tables from pypinyin's readings and ``data/names/wade_giles.yml`` (what the cache keeps)."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    whole, finals, initials, distinctive = _wade_giles()
    # pypinyin lists 40,000 characters but only ~1,500 toned syllables: convert each syllable once (a
    # tenth of a second, not three seconds on the first query)
    toned = {r for readings in pinyin_dict.values() for r in readings.split(",")}
    pinyin: set[str] = set()
    for r in toned:
        s = to_normal(r, v_to_u=False)
        if s.isascii() and s.isalpha() and any(ch in "aeiouv" for ch in s):
            pinyin.add(s)
    spellings: dict[str, set[str]] = {}
    wade: set[str] = set()
    for p in pinyin:
        ascii_p = p.replace("v", "u")
        spellings.setdefault(ascii_p, set()).add(ascii_p)
        ini, fin = _split(p)
        if p in whole:
            w = whole[p]
        else:
            for f, after, out in finals:
                if fin == f and (not after or ini in after):
                    fin = out
                    break
            w = initials.get(ini, ini) + fin.replace("v", "u")
        spellings.setdefault(w, set()).add(ascii_p)
        wade.add(w)
    plain = {p.replace("v", "u") for p in pinyin}
    marked = frozenset(w for w in wade - plain if any(p.search(w) for p in distinctive))
    return {k: frozenset(v) for k, v in spellings.items()}, marked, max(len(k) for k in spellings)


@lru_cache(maxsize=200_000)
def _readings(word: str) -> tuple[frozenset[str], bool] | None:
    """The Pinyin spellings of a word cut into Chinese syllables every way it can be (Pinyin itself
    included), and whether one of its cuts reads as Wade-Giles; None when the word is no run of Chinese
    syllables."""
    if not word.isascii() or not word.isalpha() or len(word) > _MAX_WORD:
        return None
    spellings, marked_set, longest = tables()
    cuts: list[list[tuple[list[str], bool]]] = [[] for _ in range(len(word) + 1)]
    cuts[0] = [([], False)]
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end):
            syl = word[start:end]
            if cuts[start] and syl in spellings:
                cuts[end].extend(([*seq, syl], mk or syl in marked_set) for seq, mk in cuts[start][:_MAX_KEYS])
    if not cuts[-1]:
        return None
    out: set[str] = set()
    marked = False
    for seq, mk in cuts[-1][:_MAX_KEYS]:
        marked = marked or mk
        for combo in product(*(sorted(spellings[s]) for s in seq)):
            out.add("".join(combo))
            if len(out) >= _MAX_KEYS:
                break
    return frozenset(out), marked


@lru_cache(maxsize=1)
def _marked_search() -> re.Pattern[str]:
    """Finds a Wade-Giles-only syllable anywhere in a word: the cheap test that spares almost every word
    (and every name that is not Chinese) the cutting into syllables."""
    marked = tables()[1]
    return re.compile("|".join(sorted(marked, key=len, reverse=True)))


@lru_cache(maxsize=200_000)
def may_be_wade_giles(word: str) -> bool:
    """Whether a word holds a Wade-Giles-only syllable (a necessary condition, checked first)."""
    return _marked_search().search(word) is not None


def pinyin_spellings(word: str) -> frozenset[str]:
    """The Pinyin a Wade-Giles word can stand for ("tsetung" -> "zedong", "cedong", ...; the index looks
    them up); nothing for a word that does not read as Wade-Giles."""
    if not may_be_wade_giles(word):
        return frozenset()
    r = _readings(word)
    return r[0] if r is not None and r[1] else frozenset()


@lru_cache(maxsize=200_000)
def _keys(word: str) -> tuple[frozenset[str], bool] | None:
    r = _readings(word)
    if r is None:
        return None
    return frozenset(_loose(spelling) for spelling in r[0]), r[1]


def _loose(spelling: str) -> str:
    """A Pinyin spelling with the consonants Wade-Giles writes alike made one ("zedong" -> "cetonk"; the
    same for every syllable cut of it)."""
    for a, b in _LOOSE:
        spelling = spelling.replace(a, b)
    return spelling


def same_chinese_name(x: str, y: str) -> bool:
    """Whether two different words are one Chinese name in two romanisations, one of them Wade-Giles
    ("tsetung" / "zedong", "hsi" / "xi", "chinping" / "jinping")."""
    if not (may_be_wade_giles(x) or may_be_wade_giles(y)):
        return False
    a = _keys(x)
    if a is None:
        return False
    b = _keys(y)
    return b is not None and (a[1] or b[1]) and not a[0].isdisjoint(b[0])
