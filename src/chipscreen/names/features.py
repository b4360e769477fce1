"""The scoring rules that move a name score after its words have paired, each an ``Adjustment``.

Numbers must agree ("11420 CORP" is not "11421 CORP"); a match made of generic words or place names alone
is capped below the review threshold; every part of a shorter name found in a longer one is a strong sign;
persons' and organisations' names follow their own rules (``chipscreen.names.kinds``); words the
other name wrote as its legal form, or typed twice, count once. Each rule returns what it did (or None),
and ``Comparison.explain()`` shows every one. The values are keys of ``data/names/thresholds.yml``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from chipscreen.names.keys import acronym_of, initials
from chipscreen.names.lexicon import alnum
from chipscreen.names.pairing import Pair
from chipscreen.names.similarity import is_nickname_pair
from chipscreen.names.thresholds import KindRules, thresholds
from chipscreen.names.tokens import NormalizedName, Token

PERSON_PARTS = ("distinctive", "patronymic")
NAMED_ROLES = ("distinctive", "number")
"""Roles of the words that say which party a name is (not what kind of party, nor where)."""
_STRONG_ROLES = ("distinctive", "number", "initial")


@dataclass(frozen=True, slots=True)
class Adjustment:
    """What one rule did to a score: ``delta`` is added, or, for a cap or a boost to a computed value,
    the score becomes ``sets`` (``delta`` then records the difference, for the explanation)."""

    feature: str
    delta: float
    why: str
    sets: float | None = None

    def apply(self, score: float) -> float:
        if self.sets is not None:
            return self.sets
        return score + self.delta if self.delta else score


def capped(feature: str, score: float, cap: float, why: str) -> Adjustment:
    return Adjustment(feature, cap - score, why, sets=cap)


@dataclass
class Scoring:
    """A score and the adjustments that made it, in the order they applied."""

    score: float
    adjustments: list[Adjustment] = field(default_factory=list)

    def add(self, adj: Adjustment | None) -> None:
        if adj is not None:
            self.adjustments.append(adj)
            self.score = adj.apply(self.score)


@dataclass
class Dropped:
    """Unpaired words a rule leaves out of the score: the words still free (the list given, when none is
    left out), and the weight taken out. A class, not a ``NamedTuple``: the compiled engine builds one per rule
    per comparison, and a named tuple is built by Python code even there."""

    free: list[int]
    weight: float
    adjustments: tuple[Adjustment, ...]


_NOTHING_DROPPED: tuple[Adjustment, ...] = ()


def _leave_out(tokens: Sequence[Token], free_: list[int], feature: str,
               why: Callable[[int, list[int]], str | None]) -> Dropped:
    """Leave out each free word ``why`` gives a reason for (it sees the words still free, so far). The
    caller's list is never changed: it is copied before the first word is left out."""
    free = free_
    dropped = 0.0
    out: list[Adjustment] = []
    for i in free_:
        reason = why(i, free)
        if reason is None:
            continue
        if free is free_:
            free = list(free_)
        free.remove(i)
        dropped += tokens[i].weight
        out.append(Adjustment(feature, 0.0, reason))
    return Dropped(free, dropped, tuple(out))


# ---------------------------------------------------------------------------------- before the score
def acronym(q: NormalizedName, c: NormalizedName) -> Adjustment | None:
    """One name is a single word that is the acronym of the other ("SMIC", "PLA"): the score it sets.
    Short acronyms are ambiguous, so two or three letters reach the review band only; longer ones can hit."""
    for short, long_ in ((q, c), (c, q)):
        text = short.acronym_word
        if text is None:
            continue
        longs = [t for t in long_.tokens if t.role != "stop"]
        if len(longs) < 2:
            continue
        if text not in (initials(longs), acronym_of(long_)):
            continue
        a = thresholds().acronym
        sim = a.long if len(text) >= a.long_chars else a.short
        return Adjustment("acronym", 0.0, f"{text.upper()} is the acronym of the other name", sets=sim)
    return None


def short_word_differs(q: NormalizedName, c: NormalizedName, pairs: Sequence[Pair], score: float
                       ) -> Adjustment | None:
    """A one-word name of a few letters ("SMIC") that pairs with a word spelt otherwise ("SOMIC"): in an
    acronym-like word one letter more or less is another name, not a typo."""
    limit = thresholds().acronym.differs_max_chars
    for name in (q, c):
        word = name.acronym_word
        if word is None or len(word) > limit or not _acronym_shaped(word, name.original):
            continue
        for p in pairs:
            mine = p.query if name is q else p.listed
            other = p.listed if name is q else p.query
            if ([t.text for t in mine] == [word] and len(other) == 1 and other[0].text != word
                    and other[0].script == "Latin"):
                cap = thresholds().penalties.generic_only_cap
                if score > cap:
                    return capped("short_word_differs", score, cap,
                                  f"{word.upper()} and {other[0].raw.upper()} are different short names")
    return None


_VOWELS = frozenset("aeiouy")


def _acronym_shaped(word: str, original: str) -> bool:
    """Written in capitals and with at most one vowel ("SMIC", "NUDT"): an acronym, not a short word
    ("Apple", "Shell", "Qaeda") whose typos are typos."""
    return sum(ch in _VOWELS for ch in word) <= 1 and word.upper() in original


def repeated_words(q: tuple[Token, ...], free_q: list[int], c: tuple[Token, ...], free_c: list[int]) -> Dropped:
    """A query word typed twice in a row ("Sergey Sergey Shoigu") counts once, unless the listed name has a
    part of its own left over (then the second word may stand for it: "Mohamed Mohamed" / "Osman
    Mohamed")."""
    if any(c[j].role in PERSON_PARTS for j in free_c):
        return Dropped(free_q, 0.0, _NOTHING_DROPPED)

    def why(i: int, free: list[int]) -> str | None:
        tok = q[i]
        if tok.role in PERSON_PARTS and any(0 <= k < len(q) and k not in free and q[k].text == tok.text
                                            for k in (i - 1, i + 1)):
            return f"{tok.raw} appears twice in the query; counted once"
        return None

    return _leave_out(q, free_q, "repeated_word", why)


def legal_form_words(tokens: tuple[Token, ...], free_: list[int], words: frozenset[str]) -> Dropped:
    """Words left over on one side that the other name wrote as (part of) its legal form (``words``: its
    ``legal_words``), which this side's spelling kept from being read as one ("SC Johnson" / "S.C.
    Johnson", "JOYNT STOCK COMPANY" / "Joint Stock Company"): they say what the party is, not which one."""
    if not free_ or not words:
        return Dropped(free_, 0.0, _NOTHING_DROPPED)
    p = thresholds().pairing
    n, floor = p.legal_form_min_chars, p.legal_form_similarity
    long_words = [w for w in words if len(w) >= n]  # only words this long can be misspelt forms

    def why(i: int, _free: list[int]) -> str | None:
        tok = tokens[i]
        if tok.role in ("number", "initial") or tok.script != "Latin":
            return None
        forms = {tok.text, alnum(tok.raw)}
        if forms & words or (long_words and any(OSA.normalized_similarity(f, w) >= floor
                                                for f in forms if len(f) >= n for w in long_words)):
            return f"{tok.raw} is part of the other name's legal form"
        return None

    return _leave_out(tokens, free_, "legal_form_word", why)


def lone_numbers(tokens: tuple[Token, ...], free_: list[int], other: NormalizedName) -> Dropped:
    """A number only this name carries ("IFLYTEK 1", "Sophgo 2", the "VII" of "Carlyle Partners VII" against
    "... VIII") is left out of the pairing: the number rule (``number_missing``, ``number_mismatch``) already
    lowers the score for it, and counted twice it erased the match."""
    if not free_:
        return Dropped(free_, 0.0, _NOTHING_DROPPED)
    rule = "number_mismatch" if other.numbers else "number_missing"

    def why(i: int, _free: list[int]) -> str | None:
        tok = tokens[i]
        return f"{tok.raw} is a number only one name carries (see {rule})" if tok.role == "number" else None

    return _leave_out(tokens, free_, "lone_number", why)


# ---------------------------------------------------------------------------------- both kinds
def numbers(q: NormalizedName, c: NormalizedName, score: float) -> Adjustment | None:
    """Numbers must agree: both names carrying different numbers, or only one carrying any."""
    pen = thresholds().penalties
    if q.numbers and c.numbers and q.numbers != c.numbers:
        # the differing numbers are left out of the pairing (lone_numbers): two names alike but for their
        # numbers are siblings ("Carlyle Partners VII" / "... VIII"), different legal persons to review,
        # never a hit (issue 12's decision)
        got = min(score - pen.number_mismatch, thresholds().kind_rules.org_extra_word_cap)
        return Adjustment("number_mismatch", got - score,
                          f"numbers differ: {sorted(q.numbers)} vs {sorted(c.numbers)} (a sibling: review at most)",
                          sets=got)
    if bool(q.numbers) != bool(c.numbers):
        # the number itself is left out of the pairing (lone_numbers): the score is that of the words, less
        # the penalty, and a sibling ("Fund" / "Fund I") stays a related party to review, never a hit
        got = min(score - pen.number_missing, thresholds().kind_rules.org_extra_word_cap)
        return Adjustment("number_missing", got - score, "only one name carries a number (review at most)",
                          sets=got)
    return None


def has_strong_pair(pairs: Sequence[Pair]) -> bool:
    """A match needs at least one distinctive word (or number, or initial) paired on both sides."""
    floor = thresholds().pairing.strong_pair
    return any(p.similarity >= floor and any(x.role in _STRONG_ROLES for x in p.query)
               and any(x.role in _STRONG_ROLES for x in p.listed) for p in pairs)


def descriptive_full_name(pairs: Sequence[Pair], unpaired: Sequence[Token]) -> Adjustment | None:
    """Two or more descriptive words, all of both names (``unpaired``: stop words only), all agreeing:
    the words together are the name ("Semiconductor Manufacturing International Corp.", "The World Bank")."""
    if (len(pairs) >= 2 and min(p.similarity for p in pairs) >= thresholds().pairing.full_name_pair
            and all(t.role == "stop" for t in unpaired)):
        return Adjustment("generic_full_name", 0.0, "every word of both names agrees")
    return None


def generic_only(score: float) -> Adjustment | None:
    """A score made of generic words or place names only is capped below the review threshold."""
    cap = thresholds().penalties.generic_only_cap
    return capped("generic_only", score, cap, "only generic words or place names agree") if score > cap else None


def contained(q: NormalizedName, c: NormalizedName, pairs: Sequence[Pair], free_q: Sequence[int],
              free_c: Sequence[int], score: float) -> Adjustment | None:
    """Three or more name parts of the shorter name all found, in a longer name: a strong sign even though
    the longer name has more parts ("Jamal Sultan al-Tikriti" / "Jamal Mustafa Abdallah Sultan al-Tikriti").
    Only for a match with a strong pair."""
    t = thresholds()
    shorter_free, shorter = (free_q, q.tokens) if q.total_weight <= c.total_weight else (free_c, c.tokens)
    named = [x for x in shorter if x.role in NAMED_ROLES]
    if (len(named) < t.penalties.contained_min_parts or any(shorter[i].role in NAMED_ROLES for i in shorter_free)
            or min(p.similarity for p in pairs) < t.pairing.contained_pair):
        return None
    side = 0 if shorter is q.tokens else 1
    got = sum((p.similarity * sum((x.weight for x in (p.query if side == 0 else p.listed)), 0.0) for p in pairs), 0.0)
    coverage = got / max(sum((x.weight for x in shorter), 0.0), 1e-9)
    mix = t.pairing.contained_mix
    boosted = (1.0 - mix) * score + mix * coverage
    if boosted > score:
        return Adjustment("contained", boosted - score, "every part of the shorter name is in the longer one",
                          sets=boosted)
    return None


def nickname(pairs: Sequence[Pair], score: float, rules: KindRules) -> Adjustment | None:
    """"Ted Doe" / "Theodore Doe": the same given name, but a nickname is what many other people are
    called too ("Sam" is Samuel and Samantha): a possible match, not a hit."""
    cap = rules.nickname_cap
    if score <= cap:
        return None
    for p in pairs:
        if (len(p.query) == 1 and len(p.listed) == 1 and p.query[0].script == p.listed[0].script == "Latin"
                and is_nickname_pair(p.query[0].text, p.listed[0].text)):
            return capped("nickname", score, cap, f"{p.query[0].raw} is a nickname of "
                          f"{p.listed[0].raw} or the other way round (review)")
    return None


def country_evidence(query_country: str | None, listed_country: str | None) -> Adjustment | None:
    """The query's country against the listed entry's: a qualifier, a mismatch lowers the score a little
    and never removes the match (``query_country`` upper case)."""
    if not (query_country and listed_country):
        return None
    t = thresholds()
    if listed_country.upper() != query_country:
        return Adjustment("country_mismatch", -t.penalties.country_mismatch,
                          f"query country {query_country}, listed {listed_country}")
    return Adjustment("country_match", t.bonuses.country_match, f"both {query_country}")
