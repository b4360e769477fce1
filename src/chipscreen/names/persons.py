"""Persons: an initial and a Chinese or Korean character say who a person is as much as a name part.

``kinds.person_part_conflict`` reads two full name parts left unpaired on both sides as two people. The
same holds for what stands in for a part: an initial that is not the first letter of the other name's part
("Hans O. Friedrich" / "Hans Joachim Friedrich", "William G. Frost" / "William W. Frost": another middle
name) names another person, where an initial that is ("Hans J. Friedrich") may abbreviate the same one. A
Korean name written in Hangul has one syllable per character, and each syllable of a given name is a name
part: "김종은" / "김정은" differ in one of three parts, as "Kim Jong Un" / "Kim Jung Un" would not (the two
romanisations are one reading); so does a Chinese character read differently. Both rules take the penalty
of two different parts, ``kind_rules.person_part_conflict``, and say which letters or characters differ.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from chipscreen.names.features import PERSON_PARTS, Adjustment
from chipscreen.names.thresholds import KindRules, thresholds
from chipscreen.names.tokens import NormalizedName, Token

__all__ = ["initials_conflict", "own_characters"]

_HANGUL_SYLLABLES = (0xAC00, 0xD7A3)


def _initial(tok: Token) -> bool:
    """A one-letter word of a person's name: an initial ("G."), even where the lexicon reads the letter as a
    particle ("A. Nazarbayev")."""
    return tok.role == "initial" or (tok.role == "stop" and len(tok.text) == 1 and tok.text.isalpha())


def initials_conflict(query_only: Sequence[Token], listed_only: Sequence[Token], rules: KindRules
                      ) -> Adjustment | None:
    """An unpaired initial on one side against an unpaired initial or name part on the other that it cannot
    stand for (another first letter): another person. Two unpaired full parts are
    ``kinds.person_part_conflict``'s case, not this one."""
    qi = [t for t in query_only if _initial(t)]
    ci = [t for t in listed_only if _initial(t)]
    qp = [t for t in query_only if t.role in PERSON_PARTS]
    cp = [t for t in listed_only if t.role in PERSON_PARTS]
    if not (qi or ci) or (qp and cp) or not ((qi or qp) and (ci or cp)):
        return None
    for mine, theirs in ((qi, [*ci, *cp]), (ci, [*qi, *qp])):
        if any(t.text[:1] == o.text[:1] for t in mine for o in theirs):
            return None  # "J." may be the "Joachim" of the other name, left unpaired by the pairing
    return Adjustment("initial_conflict", -rules.person_part_conflict,
                      "initials on one side stand for no unpaired part of the other: "
                      + ", ".join(t.raw for t in (*qi, *qp)) + " vs " + ", ".join(t.raw for t in (*ci, *cp))
                      + " (another person's initial)")


def _hangul(chars: Sequence[str]) -> bool:
    return bool(chars) and all(_HANGUL_SYLLABLES[0] <= ord(ch) <= _HANGUL_SYLLABLES[1] for ch in chars)


@lru_cache(maxsize=4096)
def _toned(ch: str) -> str:
    """A Chinese character's Mandarin reading with its tone ("石" shi2, "市" shi4): the variant forms of one
    character (習 / 习) share it. pypinyin is imported on first use only (it takes most of a second)."""
    from pypinyin import Style, pinyin

    return "".join(x for row in pinyin(ch, style=Style.TONE3, heteronym=False) for x in row)


def own_characters(q: NormalizedName, c: NormalizedName, score: float, rules: KindRules) -> Adjustment | None:
    """Two persons' names written in Hangul or Chinese characters only, each keeping a character of its own:
    another name part on each side. Hangul has no variant forms of a syllable ("김종은" / "김정은"); Chinese
    characters do (習 / 习, one character in two forms, one reading), so two of them count as two parts only
    when their toned readings differ too ("高石早苗" / "高市早苗": shi2 / shi4). Checked only where the score
    still alerts."""
    if score < thresholds().review:
        return None
    qc, cc = q.cjk_chars, c.cjk_chars
    q_own = Counter(qc) - Counter(cc)
    c_own = Counter(cc) - Counter(qc)
    if not (q_own and c_own):
        return None
    if not (_hangul(qc) and _hangul(cc)) and {_toned(ch) for ch in q_own} & {_toned(ch) for ch in c_own}:
        return None
    return Adjustment("own_characters", -rules.person_part_conflict,
                      "each name keeps a character of its own: " + "".join(sorted(q_own.elements())) + " vs "
                      + "".join(sorted(c_own.elements())) + " (another name part)")
