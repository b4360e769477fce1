"""Name-vs-name scoring: weighted token pairing with rapidfuzz metrics, every feature explainable.

The score of two normalised names is the weight-averaged similarity of their paired tokens (a weighted
Dice coefficient), so it is order independent ("Olaf Scholz" / "Scholz, Olaf") and unpaired words lower it
in proportion to how much they identify a party: an extra "Technology" costs little, an extra "Device"
costs a lot. Then named features adjust it: numbers must agree ("11420 CORP" is not "11421 CORP"), a match
made of generic words or place names alone is capped below the review threshold, persons' and
organisations' names follow their own rules (``_kind_rules``: another patronymic or father's name, a
sister company in another place, a subsidiary's extra line-of-business words, a short common Chinese or
Korean name met through its reading only), and the screener adds country and identifier evidence.
``Comparison.explain()`` returns every pairing and adjustment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA
from rigour.text.phonetics import metaphone

from chipscreen.names.normalize import (
    DOUBLE_LETTERS,
    NormalizedName,
    Token,
    alnum,
    is_country_word,
    korean_fold,
    nickname_pairs,
    nickname_words,
    skeleton,
    tables,
)
from chipscreen.names.romanisation import same_chinese_name

_ABJAD = frozenset({"Arabic", "Hebrew", "Thai"})
_NO_VOWELS = str.maketrans("", "", "aeiouy")
_TIGHT_SCRIPTS = frozenset({"Latin", "Han"})
MIN_TOKEN_SIM = 0.7
"""Token pairs less similar than this count as unrelated (zero), so that "Angelo" earns nothing from
"Angela Merkel" beyond what the pairing of other words gives."""
_NICKNAME_SIM = float(tables().thresholds["token_similarity"]["nickname"])
_ROMANISATION_SIM = float(tables().thresholds["token_similarity"]["romanisation"])


@lru_cache(maxsize=200_000)
def _undouble(text: str) -> str:
    """The word with doubled letters written once (cached: the same words recur across candidates)."""
    return DOUBLE_LETTERS.sub(r"\1", text)


@lru_cache(maxsize=200_000)
def _phonetic(text: str) -> str:
    return metaphone(text) if text.isalpha() else ""


_ABJAD_UNITS: dict[str, str] = {
    "kh": "(?:kh|h|k|ch|x)", "sh": "(?:sh|ch|sch|s)", "th": "(?:th|t|s)", "dh": "(?:dh|d|z|th)",
    "gh": "(?:gh|g|q|r)", "ts": "(?:ts|tz|z|c|s)",
    "a": "[aeiou]*", "w": "[aeiou]*[ouwv][aeiou]*", "y": "[aeiou]*[iey][aeiou]*",
    "q": "(?:q|k|g|c|ck)", "k": "(?:k|c|ck|q|kh|ch)", "j": "(?:j|g|dj|dzh|zh|y)", "z": "(?:z|s|dh|th|ts|tz)",
    "s": "(?:s|c|sh|ts)", "t": "(?:t|th|d)", "d": "(?:d|dh|t)", "f": "(?:f|ph|v|p)", "b": "(?:b|p|v)",
    "p": "(?:p|b|f)", "g": "(?:g|j|gh)", "h": "h",
}
_SHORT_VOWELS = "[aeiouy]*"


def _abjad_letters(text: str) -> list[str]:
    """A romanised Arabic/Hebrew word as the letters it was read from: the digraphs one letter gives
    ("kh", "sh", "th"...) kept together, every other character on its own."""
    out: list[str] = []
    i = 0
    while i < len(text):
        two = text[i : i + 2]
        if len(two) == 2 and two in _ABJAD_UNITS:
            out.append(two)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return out


@lru_cache(maxsize=50_000)
def _abjad_pattern(text: str) -> re.Pattern[str] | None:
    """A regular expression of the Latin spellings a word read from Arabic/Hebrew script can have.

    Those scripts write consonants and long vowels (ا و ي) but not short vowels, so "mhmd" (محمد) must
    accept "Mohamed" and "Muhammad" while "jlyly" (جلیلی) must refuse "Ghul": each letter becomes a class
    of Latin spellings, short vowels may appear between letters, and a final h or t may be silent."""
    text = DOUBLE_LETTERS.sub(r"\1", text)
    units = [_ABJAD_UNITS.get(u, re.escape(u)) for u in _abjad_letters(text)]
    if sum(1 for u in units if u not in ("[aeiou]*",)) < 2:
        return None
    if text.endswith(("h", "t")):
        units[-1] = f"(?:{units[-1]}|a|ah|e)?"
    elif text.endswith("a") and len(units) >= 3:
        # a final alif is a long vowel every spelling writes ("Sana", "Esra", "Reza"): "thna" is not "Son"
        units[-1] = "(?:a|aa|ah|e|eh)"
        return re.compile(_SHORT_VOWELS + _SHORT_VOWELS.join(units[:-1]) + units[-1])
    return re.compile(_SHORT_VOWELS + _SHORT_VOWELS.join(units) + _SHORT_VOWELS + "h?")


# The same language as ``_abjad_pattern``'s expression, as a list of units matched by a set-of-positions
# scan: compiling an expression costs ~0.6 ms, and bulk screening meets thousands of Arabic/Hebrew words (and
# runs of them) only once or twice. A word's expression is compiled once it has been met often enough for
# that to pay (both give the same answer: ``fullmatch`` of a backtracking matcher is language membership).
_U_LITS, _U_STAR, _U_CLASS, _U_OPT = 0, 1, 2, 3
_ABJAD_SCAN_UNITS: dict[str, tuple[Any, ...]] = {
    "a": (_U_STAR, frozenset("aeiou")),
    "w": (_U_CLASS, frozenset("aeiou"), frozenset("ouwv")),
    "y": (_U_CLASS, frozenset("aeiou"), frozenset("iey")),
}
_SV_SET = frozenset("aeiouy")
_COMPILE_AFTER = 64
"""Scans of one Arabic/Hebrew word before its expression is compiled (and used from then on)."""


def _scan_unit(u: str) -> tuple[Any, ...]:
    got = _ABJAD_SCAN_UNITS.get(u)
    if got is not None:
        return got
    unit = _ABJAD_UNITS.get(u)
    if unit is None:
        return (_U_LITS, (u,))  # a character that stands for itself
    if unit.startswith("(?:"):
        return (_U_LITS, tuple(unit[3:-1].split("|")))
    return (_U_LITS, (unit,))  # "h"


@lru_cache(maxsize=50_000)
def _abjad_scan(text: str) -> tuple[tuple[Any, ...], ...] | None:
    """``_abjad_pattern(text)`` as units for ``_scan_match`` (None where the pattern is None); the last
    unit may be optional (with extra spellings), the final separator and ``h?`` are units too."""
    text = DOUBLE_LETTERS.sub(r"\1", text)
    raw = _abjad_letters(text)
    if sum(1 for u in raw if _ABJAD_UNITS.get(u) != "[aeiou]*") < 2:
        return None
    units = [_scan_unit(u) for u in raw]
    sv = (_U_STAR, _SV_SET)
    out: list[tuple[Any, ...]] = [sv]
    if text.endswith(("h", "t")):
        units[-1] = (_U_OPT, units[-1], ("a", "ah", "e"))
    elif text.endswith("a") and len(units) >= 3:
        for k, u in enumerate(units[:-1]):
            if k:
                out.append(sv)
            out.append(u)
        out.append((_U_LITS, ("a", "aa", "ah", "e", "eh")))  # no short vowels before the final alif
        return tuple(out)
    for k, u in enumerate(units):
        if k:
            out.append(sv)
        out.append(u)
    out.append(sv)
    out.append((_U_OPT, (_U_LITS, ("h",)), ()))
    return tuple(out)


def _scan_step(unit: tuple[Any, ...], pos: set[int], s: str) -> set[int]:
    kind = unit[0]
    n = len(s)
    out: set[int] = set()
    if kind == _U_LITS:
        for p in pos:
            for lit in unit[1]:
                if s.startswith(lit, p):
                    out.add(p + len(lit))
    elif kind == _U_STAR:
        cs = unit[1]
        for p in pos:
            out.add(p)
            while p < n and s[p] in cs:
                p += 1
                out.add(p)
    elif kind == _U_CLASS:
        vowels, mid = unit[1], unit[2]
        before = _scan_step((_U_STAR, vowels), pos, s)
        one = {p + 1 for p in before if p < n and s[p] in mid}
        out = _scan_step((_U_STAR, vowels), one, s) if one else out
    else:  # optional unit, or one of a few other spellings
        out = set(pos)
        out |= _scan_step(unit[1], pos, s)
        if unit[2]:
            out |= _scan_step((_U_LITS, unit[2]), pos, s)
    return out


def _scan_match(units: tuple[tuple[Any, ...], ...], s: str) -> bool:
    pos = {0}
    for unit in units:
        pos = _scan_step(unit, pos, s)
        if not pos:
            return False
    return len(s) in pos


_abjad_seen: dict[str, int] = {}


def _abjad_fullmatch(abjad: str, latin: str) -> bool | None:
    """Whether ``latin`` is a spelling ``_abjad_pattern(abjad)`` accepts (None: the word has no pattern)."""
    seen = _abjad_seen.get(abjad, 0)
    if seen >= _COMPILE_AFTER:
        pattern = _abjad_pattern(abjad)
        return None if pattern is None else pattern.fullmatch(latin) is not None
    if len(_abjad_seen) > 200_000:
        _abjad_seen.clear()
    _abjad_seen[abjad] = seen + 1
    units = _abjad_scan(abjad)
    return None if units is None else _scan_match(units, latin)


def _abjad_similarity(x: str, x_abjad: bool, y: str, y_abjad: bool) -> float:
    """A word read from Arabic/Hebrew script against a Latin spelling: 0.92 when the Latin spelling is one
    the consonants and long vowels allow (a transliteration match is weaker evidence than the same
    spelling), else 0."""
    if x_abjad and y_abjad:
        return 0.0
    abjad, latin = (x, y) if x_abjad else (y, x)
    # cheap screen before building a pattern: consonant skeletons must be roughly alike
    if OSA.normalized_similarity(skeleton(abjad), skeleton(latin)) < 0.5:
        return 0.0
    if len(latin) < 2:
        return 0.0
    return 0.92 if _abjad_fullmatch(abjad, _undouble(latin)) else 0.0


_THAI = frozenset({"Thai"})
_VOWEL_SCRIPTS = frozenset({"Latin", "Cyrillic"})
"""Scripts whose words, read in Latin letters, may differ from another romanisation in their vowels only."""


def token_similarity(a: Token, b: Token) -> float:
    """Similarity of two tokens in [0, 1]: exact, edit distance (with transpositions), phonetic key, and
    script-aware forms for writing systems that romanise loosely (Arabic/Hebrew/Thai consonant skeletons,
    Korean romanisations). Pinyin syllables read from Han characters match exactly or not at all: "cheng"
    and "sheng" are different characters, not a typo.

    Depends on the two words' text and script only (and whether either is a number): memoised on those,
    since the same word pairs recur across queries and candidates."""
    x, y = a.text, b.text
    if x == y:
        return 1.0
    if a.role == "number" or b.role == "number":
        return 0.0
    if a.script == "Han" or b.script == "Han":
        return 0.0
    return _word_similarity(x, a.script, y, b.script)


@lru_cache(maxsize=3_000_000)
def _word_similarity(x: str, a_script: str, y: str, b_script: str) -> float:
    """``token_similarity`` of two different words, neither a number nor read from Han characters: their
    spelling's, one Chinese name's in Wade-Giles and Pinyin ("Hsi" / "Xi"), or a nickname's ("Ted" /
    "Theodore") when the spellings are not alike."""
    sim = _spelling_similarity(x, a_script, y, b_script)
    if sim < _ROMANISATION_SIM and a_script == "Latin" and b_script == "Latin":
        if same_chinese_name(x, y):
            return _ROMANISATION_SIM  # "hsi" / "xi": Wade-Giles and Pinyin
        if sim < MIN_TOKEN_SIM and (x, y) in nickname_pairs():
            return _NICKNAME_SIM
    return sim


def _is_nickname_pair(x: str, y: str) -> bool:
    """Whether two Latin words pair as a given name and its nickname only, not by their spelling."""
    return (x, y) in nickname_pairs() and _spelling_similarity(x, "Latin", y, "Latin") < MIN_TOKEN_SIM


def _spelling_similarity(x: str, a_script: str, y: str, b_script: str) -> float:
    """How alike two different words are spelt (edit distance, phonetic key, script-aware forms)."""
    lx, ly = len(x), len(y)
    if lx == 1 or ly == 1:
        # an initial pairs with a word that starts with it ("J." / "John"), as weak evidence
        return 0.6 if x[0] == y[0] else 0.0
    if a_script == "Latin" and b_script == "Latin" and min(lx, ly) < 0.6 * max(lx, ly):
        # fast path for the common case: a length ratio this low rules out every feature below
        return 0.0
    sim = OSA.normalized_similarity(x, y)
    if sim < 0.9 and _undouble(x) == _undouble(y):
        return 0.9  # only a doubled letter differs ("Jong-uun" / "Jong-un", "Mohammed" / "Mohamed")
    if min(lx, ly) <= 3 and sim < 0.8:
        sim = 0.0  # in short words one changed letter makes another name ("Tom" / "Tim")
    a_abjad, b_abjad = a_script in _ABJAD, b_script in _ABJAD
    if a_abjad or b_abjad:
        if "Thai" in (a_script, b_script):
            sx, sy = skeleton(x), skeleton(y)
            if len(sx) >= 3 and len(sy) >= 3 and sx[0] == sy[0]:
                sim = max(sim, 0.92 * OSA.normalized_similarity(sx, sy))
        else:
            sim = max(sim, _abjad_similarity(x, a_abjad, y, b_abjad))
    if a_script == "Hangul" or b_script == "Hangul":
        sim = max(sim, 0.97 * OSA.normalized_similarity(korean_fold(x), korean_fold(y)))
    if (a_script != "Latin" or b_script != "Latin") and min(lx, ly) >= 6 and sim < 0.85:
        # transliteration varies word endings ("Alexandros" / "Alexander"): a long shared stem counts
        stem = 0
        for cx, cy in zip(x, y, strict=False):
            if cx != cy:
                break
            stem += 1
        if stem >= 5 and stem >= 0.7 * min(lx, ly):
            sim = max(sim, 0.85)
    if (0.75 <= sim < 0.9 and abs(lx - ly) <= 1 and a_script in _VOWEL_SCRIPTS and b_script in _VOWEL_SCRIPTS
            and (x[0] == y[0] or (x[0] in "aeiou" and y[0] in "aeiou"))):
        # only the vowels differ, as transliterations of Arabic, Persian, Russian or Ukrainian names do
        # ("Usama" / "Osama", "Qaeda" / "Qaida", "Laden" / "Ladin", Володимир read "volodimir" / "Volodymyr")
        sx = x.translate(_NO_VOWELS)
        if len(sx) >= 2 and sx == y.translate(_NO_VOWELS):
            sim = 0.9
    if 0.55 <= sim < 0.8 and min(lx, ly) >= 5:
        # same sound, different spelling ("Mohamed" / "Muhammad"); only for words already close in spelling
        px = _phonetic(x)
        if px and px == _phonetic(y):
            sim = 0.8
    return sim if sim >= MIN_TOKEN_SIM else 0.0


def _joined_similarity(left: list[Token], right: Token) -> float:
    """A run of words against one word: "hua wei" / "huawei", "xi jin ping" / "xi jinping"."""
    return _joined_text_similarity("".join(t.text for t in left), frozenset(t.script for t in left),
                                   right.text, right.script)


@lru_cache(maxsize=3_000_000)
def _joined_text_similarity(text: str, left_scripts: frozenset[str], right_text: str, right_script: str) -> float:
    """``_joined_similarity`` of a run (its words joined, and their scripts) and a word (memoised: the
    same runs and words recur across queries and candidates)."""
    if text == right_text:
        return 1.0
    scripts = set(left_scripts)
    scripts.add(right_script)
    if scripts == {"Latin"} or "Han" in scripts:
        # plain spellings: a cheap length test first (edit similarity cannot beat the length ratio)
        la, lb = len(text), len(right_text)
        if min(la, lb) < 0.85 * max(la, lb):
            return _ROMANISATION_SIM if "Han" not in scripts and same_chinese_name(text, right_text) else 0.0
        sim = OSA.normalized_similarity(text, right_text, score_cutoff=0.85)
        if "Han" in scripts:
            return sim if sim >= 0.9 else 0.0
        if sim < _ROMANISATION_SIM and same_chinese_name(text, right_text):
            return _ROMANISATION_SIM  # "tse tung" / "zedong"
        return sim
    sim = OSA.normalized_similarity(text, right_text)
    if "Hangul" in scripts:
        sim = max(sim, 0.97 * OSA.normalized_similarity(korean_fold(text), korean_fold(right_text)))
    left_abjad = any(sc in _ABJAD and sc != "Thai" for sc in left_scripts)
    right_abjad = right_script in _ABJAD and right_script != "Thai"
    if left_abjad or right_abjad:
        sim = max(sim, _abjad_similarity(text, left_abjad, right_text, right_abjad))
    return sim if sim >= 0.85 else 0.0


@dataclass
class Pair:
    query: list[Token]
    listed: list[Token]
    similarity: float

    @property
    def weight(self) -> float:
        return sum(t.weight for t in self.query) + sum(t.weight for t in self.listed)


@dataclass
class Comparison:
    """The outcome of comparing a query name with a listed name, with everything needed to explain it."""

    score: float
    base: float
    pairs: list[Pair]
    query_only: list[Token]
    listed_only: list[Token]
    adjustments: list[tuple[str, float, str]] = field(default_factory=list)  # (feature, delta, why)
    query: NormalizedName | None = None
    listed: NormalizedName | None = None

    def explain(self) -> dict[str, Any]:
        """The explanation users see: which tokens paired, what was normalised, what moved the score."""
        out: dict[str, Any] = {
            "name_score": round(self.base, 4),
            "pairs": [
                {
                    "query": " ".join(t.raw for t in p.query),
                    "listed": " ".join(t.raw for t in p.listed),
                    "compared_as": [" ".join(t.text for t in p.query), " ".join(t.text for t in p.listed)],
                    "similarity": round(p.similarity, 3),
                    "role": _pair_role(p),
                }
                for p in self.pairs
            ],
            "query_only": [f"{t.raw} ({t.role})" for t in self.query_only],
            "listed_only": [f"{t.raw} ({t.role})" for t in self.listed_only],
            "adjustments": [{"feature": f, "delta": round(d, 4), "why": w} for f, d, w in self.adjustments],
        }
        if self.query is not None:
            out["query_normalised"] = list(self.query.notes)
            if self.query.reading != "default":
                out["query_reading"] = self.query.reading
        if self.listed is not None:
            out["listed_normalised"] = list(self.listed.notes)
        return out


def _pair_role(p: Pair) -> str:
    roles = {t.role for t in (*p.query, *p.listed)}
    for r in ("number", "distinctive", "initial", "place", "generic", "stop"):
        if r in roles:
            return r
    return "distinctive"


def _truncated(a: Token, b: Token) -> bool:
    """One word is the start of the other, cut by a field-length limit ("DR" / "DRISSI"); a name particle
    ("al" / "almuhaydib") is no such cut."""
    if a.role == "stop" or b.role == "stop":
        return False
    x, y = a.text, b.text
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    return len(short) >= 2 and long_.startswith(short) and not short.isdigit()


def _pair_tokens(q: tuple[Token, ...], c: tuple[Token, ...]) -> tuple[list[Pair], list[int], list[int]]:
    cands: list[tuple[float, int, int]] = []
    initials: list[tuple[float, int, int]] = []
    # token_similarity, inlined (this double loop runs for every candidate of every query)
    listed = [(j, b.text, b.role == "number" or b.script == "Han", b.script, len(b.text), b.script == "Latin")
              for j, b in enumerate(c)]
    nick_words = nickname_words()
    for i, a in enumerate(q):
        x, x_script = a.text, a.script
        x_plain = not (a.role == "number" or x_script == "Han")
        lx = len(x)
        x_one = lx == 1
        x_latin = x_script == "Latin" and x not in nick_words  # a nickname may be much shorter than its name
        for j, y, y_exact_only, y_script, ly, y_latin in listed:
            if x == y:
                s = 1.0
            elif x_plain and not y_exact_only:
                if x_latin and y_latin and not x_one and ly != 1 and min(lx, ly) < 0.6 * max(lx, ly):
                    continue  # _word_similarity's own first test for two Latin words (0), without the memo
                s = _word_similarity(x, x_script, y, y_script)
                if s <= 0.0:
                    continue
            else:
                continue
            # an initial pairing with a word is weak: it waits until words have paired and joined
            (initials if x_one != (ly == 1) else cands).append((s, i, j))
    if len(cands) > 1:
        cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    for s, i, j in cands:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        pairs.append(Pair([q[i]], [c[j]], s))
    free_q = [i for i in range(len(q)) if i not in used_q]
    free_c = [j for j in range(len(c)) if j not in used_c]
    if free_q and free_c and (len(free_q) > 1 or len(free_c) > 1):
        # a run needs two free words on its side (``_pair_runs`` does nothing otherwise): the call is
        # left out when one side has a single free word, as it mostly has
        if len(free_q) > 1:
            _pair_runs(q, c, free_q, free_c, pairs, query_side=True)
        if len(free_c) > 1 and free_q:
            _pair_runs(c, q, free_c, free_q, pairs, query_side=False)
    if free_q and free_c and (any(q[i].role == "stop" for i in free_q) or any(c[j].role == "stop" for j in free_c)):
        # only a stop word on one side can be a particle
        for i in list(free_q):
            for j in list(free_c):
                a, b = q[i], c[j]
                stop, other = (a, b) if a.role == "stop" else (b, a)
                if (a.role == "stop") != (b.role == "stop") and len(other.text) <= 4 and stop.text in other.text \
                        and other.script == "Latin" and OSA.normalized_similarity(a.text, b.text) >= 0.6:
                    # a misspelt particle ("xal-Assad" / "al-Assad"): pairs as the particle it resembles
                    pairs.append(Pair([a], [b], 0.7))
                    free_q.remove(i)
                    free_c.remove(j)
                    break
    if len(initials) > 1:
        initials.sort(key=lambda x: (-x[0], x[1], x[2]))
    for s, i, j in initials:
        if i in free_q and j in free_c:
            free_q.remove(i)
            free_c.remove(j)
            pairs.append(Pair([q[i]], [c[j]], s))
    if free_q and free_c and (free_q[-1] == len(q) - 1 or free_c[-1] == len(c) - 1):
        # a last word cut short by a field-length limit ("BELKASSEM DR" / "BELKASSEM DRISSI")
        i, j = free_q[-1], free_c[-1]
        if (i == len(q) - 1 or j == len(c) - 1) and _truncated(q[i], c[j]):
            pairs.append(Pair([q[i]], [c[j]], 0.75))
            free_q.remove(i)
            free_c.remove(j)
    return pairs, free_q, free_c


_RUN_SPECIAL = frozenset({"Hangul", "Arabic", "Hebrew"})
"""Scripts for which a joined run can match a word of quite another length (Korean folding, Arabic and
Hebrew spellings): without them, a run and a word whose lengths differ by more than 15% cannot pair."""


def _runs_possible(many: tuple[Token, ...], one: tuple[Token, ...], free_many: list[int], free_one: list[int]
                   ) -> bool:
    """Whether any run of two or more consecutive free words could pair with a free word of the other side.

    Without Korean, Arabic or Hebrew words, a run and a word whose lengths differ by more than 15% score 0
    (``_pair_runs`` applies the same test to each pair): when even the shortest run is that much longer
    than the longest word, no pair is worth building. Most candidates end here (a person's given and
    family names are each far shorter than two of the other's names joined)."""
    shortest = 0
    prev = -2
    prev_len = 0
    for k in free_many:
        tok = many[k]
        if tok.script in _RUN_SPECIAL:
            return True
        n = len(tok.text)
        if k == prev + 1 and (shortest == 0 or prev_len + n < shortest):
            shortest = prev_len + n
        prev, prev_len = k, n
    if shortest == 0:
        return False  # no two free words are neighbours: there is no run
    longest = 0
    for j in free_one:
        tok = one[j]
        if tok.script in _RUN_SPECIAL:
            return True
        longest = max(longest, len(tok.text))
    return not (longest < 0.85 * shortest and 20 * longest < 17 * shortest)


def _pair_runs(
    many: tuple[Token, ...], one: tuple[Token, ...], free_many: list[int], free_one: list[int],
    pairs: list[Pair], *, query_side: bool,
) -> None:
    """Join runs of consecutive unpaired words on one side to match a single unpaired word on the other."""
    if not _runs_possible(many, one, free_many, free_one):
        return
    changed = True
    while changed and len(free_many) > 1 and free_one:
        changed = False
        best: tuple[float, int, int, int] | None = None
        loose = False
        for k in free_many:
            if many[k].script not in _TIGHT_SCRIPTS:
                loose = True
                break
        else:
            for j in free_one:
                if one[j].script not in _TIGHT_SCRIPTS:
                    loose = True
                    break
        targets = [(j, one[j].text, len(one[j].text), one[j].script) for j in free_one]
        n_free = len(free_many)
        for start_pos in range(n_free - 1):  # a run has two words or more
            first = free_many[start_pos]
            run_len = len(many[first].text)
            plain = many[first].script not in _RUN_SPECIAL
            for size in (2, 3, 4):
                # free_many is sorted and unique: the run is consecutive words when its ends are size - 1 apart
                last = first + size - 1
                if start_pos + size > n_free or free_many[start_pos + size - 1] != last:
                    break
                run_len += len(many[last].text)
                plain = plain and many[last].script not in _RUN_SPECIAL
                run_text = ""
                run_scripts: frozenset[str] = frozenset()
                for j, target_text, target, target_script in targets:
                    if not loose:
                        if min(run_len, target) < 0.85 * max(run_len, target):
                            continue
                    elif plain and target_script not in _RUN_SPECIAL and 20 * min(run_len, target) < 17 * max(
                            run_len, target):
                        # edit similarity is at most the length ratio, below 0.85 here (exact integers), and
                        # no other feature applies to these scripts: the pair scores 0
                        continue
                    if not run_text:
                        run = many[first : last + 1]
                        run_text = "".join([t.text for t in run])
                        run_scripts = frozenset([t.script for t in run])
                    s = _joined_text_similarity(run_text, run_scripts, target_text, target_script)
                    if s > 0 and (best is None or s > best[0]):
                        best = (s, start_pos, size, j)
        if best is not None:
            s, start_pos, size, j = best
            idx = free_many[start_pos : start_pos + size]
            run_toks = [many[k] for k in idx]
            pairs.append(Pair(run_toks, [one[j]], s) if query_side else Pair([one[j]], run_toks, s))
            del free_many[start_pos : start_pos + size]
            free_one.remove(j)
            changed = True


def acronym_of(name: NormalizedName) -> str:
    """First letters of a name's words and of its legal form: "Semiconductor Manufacturing International
    Corporation" -> "smic", "People's Liberation Army" -> "pla"."""
    letters = "".join(t.text[0] for t in name.tokens if t.role != "stop" and t.text[:1].isalpha())
    legal = "".join(f[0] for f in name.legal_forms if f[:1].isalpha() and f.isascii())
    return letters + legal


def _acronym(q: NormalizedName, c: NormalizedName) -> Comparison | None:
    """One name is a single word that is the acronym of the other ("SMIC", "PLA"). Short acronyms are
    ambiguous, so two or three letters reach the review band only; four or more can hit."""
    for short, long_ in ((q, c), (c, q)):
        text = short.acronym_word
        if text is None:
            continue
        longs = [t for t in long_.tokens if t.role != "stop"]
        if len(longs) < 2:
            continue
        letters = "".join(t.text[0] for t in longs if t.text[:1].isalpha())
        if text not in (letters, acronym_of(long_)):
            continue
        sim = 0.85 if len(text) >= 4 else 0.72
        pair = Pair(list(q.tokens), list(c.tokens), sim)
        adj = [("acronym", 0.0, f"{text.upper()} is the acronym of the other name")]
        return Comparison(sim, sim, [pair], [], [], adj, q, c)
    return None


def compare(q: NormalizedName, c: NormalizedName) -> Comparison:
    """Score one query name against one listed name (both already normalised)."""
    got = _compare(q, c, None)
    assert got is not None  # without a floor every comparison is finished
    return got


def compare_above(q: NormalizedName, c: NormalizedName, floor: float) -> Comparison | None:
    """``compare(q, c)``, or None when its score is certain to be below ``floor``.

    Bulk screening scores a few candidates per name and keeps almost none: once the words are paired,
    the score is known up to the features that follow, and these can only lower it (caps, penalties),
    except the "contained" boost, which is bounded. A candidate whose ceiling is below the floor is left
    there, without the rest of the work (the features, their explanations, the Comparison)."""
    return _compare(q, c, floor)


def _ceiling(q: NormalizedName, c: NormalizedName, pairs: list[Pair], score: float) -> float:
    """The highest score ``compare`` can still give once ``score`` is the base with the number
    adjustments applied: the generic cap and ``_kind_rules`` only lower a score (caps apply above the
    cap, penalties are subtracted: if the tables ever made a penalty negative, there is no ceiling),
    and the "contained" boost, possible only when the shorter name has enough named parts, gives at most
    the mean of the score and 1 (it is the mean of the score and a weighted mean of pair similarities)."""
    t = tables()
    pen = t.thresholds["penalties"]
    rules = t.thresholds.get("kind_rules") or {}
    if any(float(rules.get(k, 0.0)) < 0 for k in ("place_conflict", "person_part_conflict", "patronymic_reversed")):
        return float("inf")
    shorter = q.tokens if q.total_weight <= c.total_weight else c.tokens
    if pairs and sum(1 for x in shorter if x.role in ("distinctive", "number")) >= int(
            pen.get("contained_min_parts", 3)):
        score = max(score, 0.5 * score + 0.5)
    return min(1.0, max(0.0, score))


def _compare(q: NormalizedName, c: NormalizedName, floor: float | None) -> Comparison | None:
    """``compare``, stopping with None once the score cannot reach ``floor`` (when one is given)."""
    t = tables()
    pen = t.thresholds["penalties"]
    if not q.tokens or not c.tokens:
        return Comparison(0.0, 0.0, [], list(q.tokens), list(c.tokens), [], q, c)
    acro = _acronym(q, c)
    if acro is not None:
        return acro
    pairs, free_q, free_c = _pair_tokens(q.tokens, c.tokens)
    adjustments: list[tuple[str, float, str]] = []
    total = q.total_weight + c.total_weight
    if free_q:
        total -= _drop_repeats(q.tokens, free_q, c.tokens, free_c, adjustments)
    if (free_q and c.legal_forms) or (free_c and q.legal_forms):
        total -= _legal_form_words(q.tokens, free_q, c.legal_words, adjustments)
        total -= _legal_form_words(c.tokens, free_c, q.legal_words, adjustments)
    matched = sum(p.similarity * p.weight for p in pairs)
    base = matched / total if total > 0 else 0.0
    score = base
    # numbers must agree
    if q.numbers or c.numbers:
        if q.numbers and c.numbers and q.numbers != c.numbers:
            d = -float(pen["number_mismatch"])
            adjustments.append(("number_mismatch", d, f"numbers differ: {sorted(q.numbers)} vs {sorted(c.numbers)}"))
            score += d
        elif bool(q.numbers) != bool(c.numbers):
            d = -float(pen["number_missing"])
            adjustments.append(("number_missing", d, "only one name carries a number"))
            score += d
    if floor is not None and _ceiling(q, c, pairs, score) < floor:
        return None
    # a match needs at least one distinctive word (or number) paired on both sides
    strong = any(
        p.similarity >= 0.8 and any(x.role in ("distinctive", "number", "initial") for x in p.query)
        and any(x.role in ("distinctive", "number", "initial") for x in p.listed)
        for p in pairs
    )
    cap = float(pen["generic_only_cap"])
    if (not strong and len(pairs) >= 2 and min(p.similarity for p in pairs) >= 0.9
            and all(t.role == "stop" for t in (*(q.tokens[i] for i in free_q), *(c.tokens[j] for j in free_c)))):
        # two or more descriptive words, all of both names, all agreeing: the words together are the
        # name ("Semiconductor Manufacturing International Corp.", "The World Bank")
        strong = True
        adjustments.append(("generic_full_name", 0.0, "every word of both names agrees"))
    if not strong and score > cap:
        adjustments.append(("generic_only", cap - score, "only generic words or place names agree"))
        score = cap
    # three or more name parts of the shorter name all found, in a longer name: a strong sign even though
    # the longer name has more parts ("Jamal Sultan al-Tikriti" / "Jamal Mustafa Abdallah Sultan al-Tikriti")
    shorter_free, shorter = (free_q, q.tokens) if q.total_weight <= c.total_weight else (free_c, c.tokens)
    named = [t for t in shorter if t.role in ("distinctive", "number")]
    if (len(named) >= int(pen.get("contained_min_parts", 3)) and strong
            and not any(shorter[i].role in ("distinctive", "number") for i in shorter_free)
            and min(p.similarity for p in pairs) >= 0.85):
        side = 0 if shorter is q.tokens else 1
        got = sum(p.similarity * sum(t.weight for t in (p.query if side == 0 else p.listed)) for p in pairs)
        coverage = got / max(sum(t.weight for t in shorter), 1e-9)
        boosted = 0.5 * score + 0.5 * coverage
        if boosted > score:
            adjustments.append(("contained", boosted - score,
                                "every part of the shorter name is in the longer one"))
            score = boosted
    query_only = [q.tokens[i] for i in free_q]
    listed_only = [c.tokens[j] for j in free_c]
    score = _kind_rules(q, c, pairs, query_only, listed_only, score, adjustments)
    score = min(1.0, max(0.0, score))
    return Comparison(score, base, pairs, query_only, listed_only, adjustments, q, c)


_PERSON_PARTS = ("distinctive", "patronymic")


def _legal_form_words(tokens: tuple[Token, ...], free: list[int], words: frozenset[str],
                      adjustments: list[tuple[str, float, str]]) -> float:
    """Words left over on one side that the other name wrote as (part of) its legal form (``words``: its
    ``legal_words``), which this side's spelling kept from being read as one ("SC Johnson" / "S.C.
    Johnson", "JOYNT STOCK COMPANY" / "Joint Stock Company"): they say what the party is, not which one.
    Returns the weight left out."""
    if not free or not words:
        return 0.0
    dropped = 0.0
    for i in list(free):
        tok = tokens[i]
        if tok.role in ("number", "initial") or tok.script != "Latin":
            continue
        forms = {tok.text, alnum(tok.raw)}
        if forms & words or any(len(f) >= 4 and len(w) >= 4 and OSA.normalized_similarity(f, w) >= 0.8
                                for f in forms for w in words):
            free.remove(i)
            dropped += tok.weight
            adjustments.append(("legal_form_word", 0.0, f"{tok.raw} is part of the other name's legal form"))
    return dropped


def _drop_repeats(q: tuple[Token, ...], free_q: list[int], c: tuple[Token, ...], free_c: list[int],
                  adjustments: list[tuple[str, float, str]]) -> float:
    """A query word typed twice in a row ("Sergey Sergey Shoigu") counts once, unless the listed name has a
    part of its own left over (then the second word may stand for it: "Mohamed Mohamed" / "Osman
    Mohamed"). Returns the weight left out."""
    if any(c[j].role in _PERSON_PARTS for j in free_c):
        return 0.0
    dropped = 0.0
    for i in list(free_q):
        tok = q[i]
        if tok.role in _PERSON_PARTS and any(0 <= k < len(q) and k not in free_q and q[k].text == tok.text
                                             for k in (i - 1, i + 1)):
            free_q.remove(i)
            dropped += tok.weight
            adjustments.append(("repeated_word", 0.0, f"{tok.raw} appears twice in the query; counted once"))
    return dropped


def is_org_like(name: NormalizedName) -> bool:
    """A name that reads as an organisation's: it carries a descriptive (generic) word or a legal form of
    three letters or more (two-letter forms such as SE, SA, AS are also name parts: "KIM, Se Gon")."""
    return name.org_like  # derived once, when the name is normalised


def _kind_rules(
    q: NormalizedName, c: NormalizedName, pairs: list[Pair], query_only: list[Token], listed_only: list[Token],
    score: float, adjustments: list[tuple[str, float, str]],
) -> float:
    """Rules that differ between persons' and organisations' names (kind read from the names themselves).

    Persons: a name part left unpaired on both sides is a different person's part (another father,
    patronymic or clan name: "Rustam Ibrahimovich Aselderov" / "Rustam Magomedovich Aselderov"), not an
    omission. Organisations: a different place on each side is a sister company ("Banco Santander Mexico" /
    "Banco Santander Chile"), and a country named by one side only a national subsidiary or branch ("Banco
    Santander Mexico" / "Banco Santander"); a word of the query that names something more than the listed name does
    ("Huawei Cloud Computing Technology" / "Huawei Technologies"), or a distinctive word of the listed
    name the query lacks, makes a possible match (review band), never a hit. Both: a word paired with its
    nickname only makes a possible match."""
    rules = tables().thresholds.get("kind_rules") or {}
    if not rules or score <= 0.0:
        return score
    cap = float(rules["nickname_cap"])
    if score > cap:
        for p in pairs:
            if (len(p.query) == 1 and len(p.listed) == 1 and p.query[0].script == p.listed[0].script == "Latin"
                    and _is_nickname_pair(p.query[0].text, p.listed[0].text)):
                # "Ted Doe" / "Theodore Doe": the same given name, but a nickname is what many other people
                # are called too ("Sam" is Samuel and Samantha): a possible match, not a hit
                adjustments.append(("nickname", cap - score, f"{p.query[0].raw} is a nickname of "
                                    f"{p.listed[0].raw} or the other way round (review)"))
                score = cap
                break
    if is_org_like(q) or is_org_like(c):
        cap = float(rules["cjk_common_name_cap"])
        chars = len(q.cjk_chars)
        if (score > cap and not is_org_like(q) and all(t.script in _CJK for t in q.tokens)
                and 0 < chars <= int(rules["cjk_short_name_chars"]) and len(q.original.split()) >= 2):
            # "红 颜" / "Hangzhou Hongyan Trading Co.": a personal name meets a company's name by reading only
            adjustments.append(("cjk_person_vs_organisation", cap - score,
                                f"a {chars}-character personal name, written in parts, meets an organisation's "
                                "name through its Latin reading only (review)"))
            score = cap
        qp = [t for t in query_only if t.role == "place"]
        cp = [t for t in listed_only if t.role == "place"]
        cap = float(rules["org_extra_word_cap"])
        if qp and cp:
            d = -float(rules["place_conflict"])
            adjustments.append(("place_conflict", d, "different places: " + ", ".join(t.raw for t in qp)
                                + " vs " + ", ".join(t.raw for t in cp)))
            score += d
            if score > cap and any(is_country_word(t.text) for t in qp) and any(
                    is_country_word(t.text) for t in cp):
                # two countries: two national companies of one group ("... (Sweden) AB" / "... (Finland) AB")
                adjustments.append(("country_conflict", cap - score, "each name is in another country (review)"))
                score = cap
        # (a country in brackets only qualifies the name: "Deutsche Bank (Schweiz) AG" is the bank there)
        place_w = tables().weights.get("place", 0.25)
        qn = [t for t in query_only if t.role == "place" and t.weight >= place_w and is_country_word(t.text)]
        cn = [t for t in listed_only if t.role == "place" and t.weight >= place_w and is_country_word(t.text)]
        if bool(qn) != bool(cn) and not (qp and cp) and score > cap:
            # "Banco Santander Mexico" / "Banco Santander": a national subsidiary or branch of the other
            adjustments.append(("country_qualifier", cap - score, "a country only one name carries: "
                                + ", ".join(t.raw for t in (qn or cn))
                                + " (a national subsidiary or branch: review)"))
            score = cap
        boiler = frozenset(rules.get("boilerplate") or ())
        # words in brackets qualify a name (an acronym, a former name) and are never required
        full = tables().weights
        # a number only one name carries is a series or a sibling ("Fund IV", "Solutions II"), never noise
        extra = [t for t in query_only if t.weight >= full.get(t.role, 1.0)
                 and (t.role in ("distinctive", "number") or (t.role == "generic" and t.text not in boiler))]
        missing = [t for t in listed_only if t.role in ("distinctive", "number")
                   and t.weight >= full.get(t.role, 1.0)]
        if (extra or missing) and score > cap:
            why = []
            if extra:
                why.append("query words not in the listed name: " + ", ".join(t.raw for t in extra))
            if missing:
                why.append("listed words missing from the query: " + ", ".join(t.raw for t in missing))
            adjustments.append(("org_words_unpaired", cap - score, "; ".join(why)
                                + " (a related or different organisation: review)"))
            score = cap
        return score
    qx = [t for t in query_only if t.role in _PERSON_PARTS]
    cx = [t for t in listed_only if t.role in _PERSON_PARTS]
    if qx and cx:
        d = -float(rules["person_part_conflict"])
        adjustments.append(("person_part_conflict", d, "name parts on both sides pair with nothing: "
                            + ", ".join(t.raw for t in qx) + " vs " + ", ".join(t.raw for t in cx)))
        score += d
    qs, cs = _son_of(q), _son_of(c)
    if qs and cs:
        partner = {id(a): b for p in pairs for a in p.query for b in p.listed}
        if partner.get(id(qs[0])) is cs[1] or partner.get(id(qs[1])) is cs[0]:
            d = -float(rules["patronymic_reversed"])
            adjustments.append(("patronymic_reversed", d, f"{qs[0].raw} son of {qs[1].raw} vs {cs[0].raw} son of "
                                f"{cs[1].raw}: father and son swapped"))
            score += d
    if q.only_cjk and c.only_cjk:
        qc, cc = q.cjk_chars, c.cjk_chars
        # both names written in Chinese characters or Hangul: the characters themselves must agree (readings
        # lose the difference between 市 and 石, 정 and 종)
        left = list(cc)
        same = 0
        for ch in qc:
            if ch in left:
                left.remove(ch)
                same += 1
        dice = 2 * same / (len(qc) + len(cc))
        if dice < score:
            adjustments.append(("cjk_characters", dice - score,
                                f"{same} of {len(qc)} / {len(cc)} characters are the same characters"))
            score = dice
    cap = float(rules["cjk_common_name_cap"])
    if score > cap and all(t.script in _CJK for t in q.tokens) and not any(t.script in _CJK for t in c.tokens):
        common = frozenset(rules.get("common_cjk_surnames") or ())
        surname = next((t for t in q.tokens if t.text in common and t not in query_only), None)
        chars = len(q.cjk_chars)
        if surname is not None and chars <= int(rules["cjk_short_name_chars"]):
            adjustments.append(("cjk_common_name", cap - score,
                                f"a {chars}-character name with the common surname {surname.raw} ({surname.text}) "
                                "matched through its Latin reading: many people share it (review)"))
            score = cap
    return score


_CJK = frozenset({"Han", "Hangul"})
_SON_OF = frozenset({"bin", "ibn", "bint", "binti", "ben"})


def _son_of(name: NormalizedName) -> tuple[Token, Token] | None:
    """(own name, father's name) around the first "bin" / "ibn" of an Arabic-style name."""
    toks = name.tokens
    for k in range(1, len(toks) - 1):
        if toks[k].text in _SON_OF and toks[k - 1].role in _PERSON_PARTS and toks[k + 1].role in _PERSON_PARTS:
            return toks[k - 1], toks[k + 1]
    return None


def compare_names(a: str, b: str) -> Comparison:
    """Convenience: best comparison over the readings of two raw names (used by tests and benchmarks)."""
    from chipscreen.names.normalize import normalize_name

    best: Comparison | None = None
    for x in normalize_name(a):
        for y in normalize_name(b):
            cmp_ = compare(x, y)
            if best is None or cmp_.score > best.score:
                best = cmp_
    assert best is not None
    return best
