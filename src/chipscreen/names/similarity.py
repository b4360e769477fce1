"""How alike two words are, in [0, 1]: spelling, sound, and the way each script is romanised.

Exact, edit distance (with transpositions), phonetic key, and script-aware forms for writing systems that
romanise loosely (Arabic/Hebrew/Thai consonants, Korean romanisations), plus a Chinese name in Wade-Giles
against its Pinyin and a given name against its nicknames. Pinyin syllables read from Han characters match
exactly or not at all: "cheng" and "sheng" are different characters, not a typo. Every value is a key of
``data/names/thresholds.yml`` (``similarity`` and ``token_similarity``).

The two entry points that run for every candidate pair are memoised on the words' text and scripts: the
same pairs recur across queries and candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA

from chipscreen.names.abjad import is_abjad_spelling
from chipscreen.names.folding import korean_fold, skeleton
from chipscreen.names.keys import ABJAD_SCRIPTS, phonetic, undouble
from chipscreen.names.nicknames import nickname_pairs
from chipscreen.names.romanisation import same_chinese_name
from chipscreen.names.thresholds import Similarity, thresholds
from chipscreen.names.tokens import Token

_NO_VOWELS = str.maketrans("", "", "aeiouy")
_VOWEL_SCRIPTS = frozenset({"Latin", "Cyrillic"})
"""Scripts whose words, read in Latin letters, may differ from another romanisation in their vowels only."""
_ABJADS_READ_BY_PATTERN = ABJAD_SCRIPTS - {"Thai"}
"""Scripts whose words are compared with a Latin spelling by ``is_abjad_spelling`` (Thai by its consonants)."""
MEMO_SIZE = 3_000_000
"""Entries of each pair memo: a bulk run's distinct word pairs, kept for the run (about 0.3 GB)."""


def token_similarity(a: Token, b: Token) -> float:
    """Similarity of two tokens in [0, 1] (depends on their text and script only, and whether either
    is a number)."""
    x, y = a.text, b.text
    if x == y:
        return 1.0
    if a.role == "number" or b.role == "number":
        return 0.0
    if a.script == "Han" or b.script == "Han":
        return 0.0
    return word_similarity(x, a.script, y, b.script)


@lru_cache(maxsize=MEMO_SIZE)
def word_similarity(x: str, a_script: str, y: str, b_script: str) -> float:
    """``token_similarity`` of two different words, neither a number nor read from Han characters: their
    spelling's, one Chinese name's in Wade-Giles and Pinyin ("Hsi" / "Xi"), or a nickname's ("Ted" /
    "Theodore") when the spellings are not alike."""
    sim = spelling_similarity(x, a_script, y, b_script)
    t = thresholds()
    romanisation = t.token_similarity.romanisation
    if sim < romanisation and a_script == "Latin" and b_script == "Latin":
        if same_chinese_name(x, y):
            return romanisation  # "hsi" / "xi": Wade-Giles and Pinyin
        if sim < t.similarity.min_token and (x, y) in nickname_pairs():
            return t.token_similarity.nickname
    return sim


def is_nickname_pair(x: str, y: str) -> bool:
    """Whether two Latin words pair as a given name and its nickname only, not by their spelling."""
    floor = thresholds().similarity.min_token
    return (x, y) in nickname_pairs() and spelling_similarity(x, "Latin", y, "Latin") < floor


def spelling_similarity(x: str, a_script: str, y: str, b_script: str) -> float:
    """How alike two different words are spelt (edit distance, phonetic key, script-aware forms)."""
    s = thresholds().similarity
    lx, ly = len(x), len(y)
    if lx == 1 or ly == 1:
        # an initial pairs with a word that starts with it ("J." / "John"), as weak evidence
        return s.initial if x[0] == y[0] else 0.0
    if a_script == "Latin" and b_script == "Latin" and min(lx, ly) < s.latin_length_ratio * max(lx, ly):
        # fast path for the common case: a length ratio this low rules out every feature below
        return 0.0
    sim = OSA.normalized_similarity(x, y)
    if sim < s.doubled_letter and undouble(x) == undouble(y):
        return s.doubled_letter  # only a doubled letter differs ("Jong-uun" / "Jong-un", "Mohammed" / "Mohamed")
    if min(lx, ly) <= s.short_word_chars and sim < s.short_word_min:
        sim = 0.0  # in short words one changed letter makes another name ("Tom" / "Tim")
    sim = _script_similarity(s, sim, x, a_script, y, b_script)
    if (s.vowels_from <= sim < s.vowels_only and abs(lx - ly) <= s.vowels_length_diff
            and a_script in _VOWEL_SCRIPTS and b_script in _VOWEL_SCRIPTS
            and (x[0] == y[0] or (x[0] in "aeiou" and y[0] in "aeiou"))):
        # only the vowels differ, as transliterations of Arabic, Persian, Russian or Ukrainian names do
        # ("Usama" / "Osama", "Qaeda" / "Qaida", "Laden" / "Ladin", Володимир read "volodimir" / "Volodymyr")
        sx = x.translate(_NO_VOWELS)
        if len(sx) >= 2 and sx == y.translate(_NO_VOWELS):
            sim = s.vowels_only
    if s.phonetic_from <= sim < s.phonetic and min(lx, ly) >= s.phonetic_min_chars:
        # same sound, different spelling ("Mohamed" / "Muhammad"); only for words already close in spelling
        px = phonetic(x)
        if px and px == phonetic(y):
            sim = s.phonetic
    return sim if sim >= s.min_token else 0.0


def _script_similarity(s: Similarity, sim: float, x: str, a_script: str, y: str, b_script: str) -> float:
    """``sim`` raised by what the two words' scripts allow: an Arabic/Hebrew word's Latin spellings, Thai
    consonants, Korean romanisations, and word endings that transliteration varies."""
    a_abjad, b_abjad = a_script in ABJAD_SCRIPTS, b_script in ABJAD_SCRIPTS
    if a_abjad or b_abjad:
        if "Thai" in (a_script, b_script):
            sx, sy = skeleton(x), skeleton(y)
            n = s.thai_skeleton_min_chars
            if len(sx) >= n and len(sy) >= n and sx[0] == sy[0]:
                sim = max(sim, s.transliteration * OSA.normalized_similarity(sx, sy))
        else:
            sim = max(sim, _abjad_similarity(s, x, a_abjad, y, b_abjad))
    if a_script == "Hangul" or b_script == "Hangul":
        sim = max(sim, s.korean_fold * OSA.normalized_similarity(korean_fold(x), korean_fold(y)))
    lx, ly = len(x), len(y)
    if (a_script != "Latin" or b_script != "Latin") and min(lx, ly) >= s.stem_min_chars and sim < s.stem_below:
        # transliteration varies word endings ("Alexandros" / "Alexander"): a long shared stem counts
        stem = 0
        for cx, cy in zip(x, y, strict=False):
            if cx != cy:
                break
            stem += 1
        if stem >= s.stem_shared_chars and stem >= s.stem_shared_share * min(lx, ly):
            sim = max(sim, s.stem)
    return sim


def _abjad_similarity(s: Similarity, x: str, x_abjad: bool, y: str, y_abjad: bool) -> float:
    """A word read from Arabic/Hebrew script against a Latin spelling: ``transliteration`` when the Latin
    spelling is one the consonants and long vowels allow (a transliteration match is weaker evidence than
    the same spelling), else 0."""
    if x_abjad and y_abjad:
        return 0.0
    abjad, latin = (x, y) if x_abjad else (y, x)
    # cheap screen before building a pattern: consonant skeletons must be roughly alike
    if OSA.normalized_similarity(skeleton(abjad), skeleton(latin)) < s.abjad_skeleton_min:
        return 0.0
    if len(latin) < s.abjad_latin_min_chars:
        return 0.0
    return s.transliteration if is_abjad_spelling(abjad, undouble(latin)) else 0.0


def joined_similarity(left: Sequence[Token], right: Token) -> float:
    """A run of words against one word: "hua wei" / "huawei", "xi jin ping" / "xi jinping"."""
    return joined_text_similarity("".join(t.text for t in left), frozenset(t.script for t in left),
                                  right.text, right.script)


@lru_cache(maxsize=MEMO_SIZE)
def joined_text_similarity(text: str, left_scripts: frozenset[str], right_text: str, right_script: str) -> float:
    """``joined_similarity`` of a run (its words joined, and their scripts) and a word."""
    if text == right_text:
        return 1.0
    s = thresholds().similarity
    scripts = set(left_scripts)
    scripts.add(right_script)
    if scripts == {"Latin"} or "Han" in scripts:
        # plain spellings: a cheap length test first (edit similarity cannot beat the length ratio)
        romanisation = thresholds().token_similarity.romanisation
        la, lb = len(text), len(right_text)
        if min(la, lb) < s.joined_min * max(la, lb):
            return romanisation if "Han" not in scripts and same_chinese_name(text, right_text) else 0.0
        sim = OSA.normalized_similarity(text, right_text, score_cutoff=s.joined_min)
        if "Han" in scripts:
            return sim if sim >= s.joined_han_min else 0.0
        if sim < romanisation and same_chinese_name(text, right_text):
            return romanisation  # "tse tung" / "zedong"
        return sim
    sim = OSA.normalized_similarity(text, right_text)
    if "Hangul" in scripts:
        sim = max(sim, s.korean_fold * OSA.normalized_similarity(korean_fold(text), korean_fold(right_text)))
    left_abjad = not _ABJADS_READ_BY_PATTERN.isdisjoint(left_scripts)
    right_abjad = right_script in _ABJADS_READ_BY_PATTERN
    if left_abjad or right_abjad:
        sim = max(sim, _abjad_similarity(s, text, left_abjad, right_text, right_abjad))
    return sim if sim >= s.joined_min else 0.0
