"""Common words typed with a typo: "Technolgy", "Intenational", "Comnany", "Limted".

A misspelt generic word is no distinctive word: read as one, it finds no partner and costs the name its
match ("Huawei Technolgies" gave no match at all). A word within one edit (two for long words; the bounds
are ``misspelt`` in ``data/names/thresholds.yml``) of a generic word, of a spelling of one in
``data/names/abbreviations.yml``, or of a legal-form word is read as that word. The lookup is a deletion
neighbourhood (each word with up to two letters deleted), built once from the tables. A typo keeps the
first letter: a distinctive word two letters from a generic one is a name ("Hikvision" / "division").
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import OSA

from chipscreen.names.lexicon import Tables, tables
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import Token
from chipscreen.names.words import role_of

__all__ = ["LEGAL", "common_word_near", "read_misspelt"]

LEGAL = "\x00legal"
"""What ``common_word_near`` answers for a misspelt legal-form word (which is then dropped, as the form is)."""


def _deletes(word: str, n: int) -> set[str]:
    out = {word}
    for k in range(1, n + 1):
        if len(word) - k < 3:
            break
        out.update("".join(c for i, c in enumerate(word) if i not in drop)
                   for drop in combinations(range(len(word)), k))
    return out


@lru_cache(maxsize=1)
def _neighbourhood() -> dict[str, tuple[tuple[str, str], ...]]:
    """Deleted form -> (spelling, what it reads as) of every common word long enough to be misspelt."""
    t = tables()
    m = thresholds().misspelt
    targets: dict[str, str] = {w: w for w in t.generic_words}
    targets.update((s, c) for s, c in t.abbreviations.items() if c in t.generic_words and s.isalpha())
    targets.update((w, LEGAL) for w in t.legal_words if w.isalpha())
    out: dict[str, list[tuple[str, str]]] = {}
    for spelling, reading in targets.items():
        if len(spelling) < m.one_edit_min_chars - 1:
            continue
        for d in _deletes(spelling, 2 if len(spelling) >= m.two_edits_min_chars - 1 else 1):
            out.setdefault(d, []).append((spelling, reading))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=100_000)
def common_word_near(word: str) -> str | None:
    """The generic word (or ``LEGAL``) that ``word`` is a misspelling of, or None."""
    m = thresholds().misspelt
    if len(word) < m.one_edit_min_chars or not word.isalpha():
        return None
    edits = 2 if len(word) >= m.two_edits_min_chars else 1
    hood = _neighbourhood()
    best: tuple[int, str, str] | None = None
    for d in _deletes(word, edits):
        for spelling, reading in hood.get(d, ()):
            # a typo keeps the first letter, but for one typo in a long word ("Usiness", "Undustry")
            same = _same_start(word, spelling, m.first_letters_alike)
            if not same and len(word) < m.first_letter_typo_min_chars:
                continue
            dist = OSA.distance(word, spelling, score_cutoff=edits if same else 1)
            # ties ("materialy": one edit from both "material" and "materials") go to the first spelling in
            # alphabetical order, never to the order a set of deletions happens to be walked in
            if dist <= (edits if same else 1) and (best is None or (dist, spelling, reading) < best):
                best = (dist, spelling, reading)
    return best[2] if best else None


def _same_start(word: str, spelling: str, alike: frozenset[str]) -> bool:
    """A typo keeps a word's first letter: "Hikvision" is no "division", "Navigation" no "aviation", "Tower"
    no "power" (one typo in a long word excepted, ``misspelt.first_letter_typo_min_chars``). Letters a
    transliteration swaps (``misspelt.first_letters_alike``: "Konsalting" / "consulting") count as one."""
    a, b = word[0], spelling[0]
    return a == b or any(a in group and b in group for group in alike)


def read_misspelt(tokens: list[Token], org_like: bool, t: Tables, notes: list[str], legal: list[str]
                  ) -> list[Token]:
    """``tokens`` with each misspelt common word read as the word it stands for (a misspelt legal-form
    word dropped into ``legal``). In a person's name a surname one letter from a generic word is a surname
    ("Banks", "Forbes"): there only words of ``misspelt.two_edits_min_chars`` letters or more are read so."""
    long_only = thresholds().misspelt.two_edits_min_chars
    out: list[Token] = []
    for tok in tokens:
        near = None
        if tok.role == "distinctive" and tok.script == "Latin" and (org_like or len(tok.text) >= long_only):
            near = common_word_near(tok.text)
        if near is None:
            out.append(tok)
        elif near == LEGAL:
            legal.append(tok.raw)
            notes.append(f"misspelt legal form {tok.raw!r} dropped")
        else:
            role = role_of(near, t, tok.script)
            factor = tok.weight / t.weights["distinctive"]
            out.append(Token(near, tok.raw, role, t.weights[role] * factor, tok.script))
            notes.append(f"misspelt {tok.raw!r} read as {near!r}")
    return out
