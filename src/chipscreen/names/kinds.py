"""Scoring rules that differ between persons' and organisations' names (the kind is read from the names).

Persons: a name part left unpaired on both sides is a different person's part (another father, patronymic
or clan name: "Rustam Ibrahimovich Aselderov" / "Rustam Magomedovich Aselderov"), not an omission; father
and son swapped around "bin" is another person; names written in Chinese characters or Hangul must agree
in their characters; a short name with a very common Chinese or Korean surname, met through its reading
only, is a possible match. Organisations: a different place on each side is a sister company ("Banco
Santander Mexico" / "Banco Santander Chile"), and a country named by one side only a national subsidiary or
branch ("Banco Santander Mexico" / "Banco Santander"); a word of the query that names something more than
the listed name does ("Huawei Cloud Computing Technology" / "Huawei Technologies"), or a distinctive word
of the listed name the query lacks, makes a possible match (review band), never a hit. Both: a word paired
with its nickname only makes a possible match (``features.nickname``).
"""

from __future__ import annotations

from collections.abc import Sequence

from chipscreen.names.features import (
    NAMED_ROLES,
    PERSON_PARTS,
    Adjustment,
    Scoring,
    capped,
    nickname,
)
from chipscreen.names.lexicon import tables
from chipscreen.names.pairing import Pair
from chipscreen.names.partners import organisation_partners, share_core
from chipscreen.names.persons import initials_conflict, own_characters
from chipscreen.names.places import is_country_word
from chipscreen.names.thresholds import KindRules, thresholds
from chipscreen.names.tokens import NormalizedName, Token

_CJK = frozenset({"Han", "Hangul"})
_SON_OF = frozenset({"bin", "ibn", "bint", "binti", "ben"})


def kind_rules(q: NormalizedName, c: NormalizedName, pairs: Sequence[Pair], query_only: Sequence[Token],
               listed_only: Sequence[Token], score: float) -> list[Adjustment]:
    """The adjustments of the kind rules, in the order they apply to ``score``."""
    if score <= 0.0:
        return []
    rules = thresholds().kind_rules
    s = Scoring(score)
    s.add(nickname(pairs, s.score, rules))
    if q.org_like or c.org_like:
        s.add(cjk_person_vs_organisation(q, s.score, rules))
        qp = [t for t in query_only if t.role == "place"]
        cp = [t for t in listed_only if t.role == "place"]
        if qp and cp:
            s.add(place_conflict(qp, cp, rules))
            s.add(country_conflict(qp, cp, s.score, rules))
        else:
            s.add(country_qualifier(query_only, listed_only, s.score, rules))
        s.add(organisation_words(query_only, listed_only, s.score, rules))
        for adj in organisation_partners(pairs, q.tokens, c, query_only, listed_only, s.score):
            s.add(adj)
        return s.adjustments
    s.add(person_part_conflict(query_only, listed_only, rules))
    s.add(initials_conflict(query_only, listed_only, rules))
    s.add(patronymic_reversed(q, c, pairs, rules))
    if q.only_cjk and c.only_cjk:
        s.add(cjk_characters(q, c, s.score))
        s.add(own_characters(q, c, s.score, rules))
    s.add(cjk_common_name(q, c, query_only, s.score, rules))
    return s.adjustments


# ---------------------------------------------------------------------------------- organisations
def cjk_person_vs_organisation(q: NormalizedName, score: float, rules: KindRules) -> Adjustment | None:
    """"红 颜" / "Hangzhou Hongyan Trading Co.": a short personal name in Chinese characters or Hangul,
    written in parts, meets a company's name by its reading only."""
    cap = rules.cjk_common_name_cap
    chars = len(q.cjk_chars)
    if (score > cap and not q.org_like and all(t.script in _CJK for t in q.tokens)
            and 0 < chars <= rules.cjk_short_name_chars and len(q.original.split()) >= 2):
        return capped("cjk_person_vs_organisation", score, cap,
                      f"a {chars}-character personal name, written in parts, meets an organisation's "
                      "name through its Latin reading only (review)")
    return None


def place_conflict(qp: Sequence[Token], cp: Sequence[Token], rules: KindRules) -> Adjustment:
    """Each name has a place the other lacks: sister companies ("Banco Santander Mexico" / "... Chile")."""
    return Adjustment("place_conflict", -rules.place_conflict, "different places: " + ", ".join(t.raw for t in qp)
                      + " vs " + ", ".join(t.raw for t in cp))


def country_conflict(qp: Sequence[Token], cp: Sequence[Token], score: float, rules: KindRules) -> Adjustment | None:
    """Two countries: two national companies of one group ("... (Sweden) AB" / "... (Finland) AB")."""
    cap = rules.org_extra_word_cap
    if score > cap and any(is_country_word(t.text) for t in qp) and any(is_country_word(t.text) for t in cp):
        return capped("country_conflict", score, cap, "each name is in another country (review)")
    return None


def country_qualifier(query_only: Sequence[Token], listed_only: Sequence[Token], score: float, rules: KindRules
                      ) -> Adjustment | None:
    """"Banco Santander Mexico" / "Banco Santander": a national subsidiary or branch of the other. A
    country in brackets only qualifies the name ("Deutsche Bank (Schweiz) AG" is the bank there)."""
    cap = rules.org_extra_word_cap
    place_w = tables().weights["place"]
    qn = [t for t in query_only if t.role == "place" and t.weight >= place_w and is_country_word(t.text)]
    cn = [t for t in listed_only if t.role == "place" and t.weight >= place_w and is_country_word(t.text)]
    if bool(qn) != bool(cn) and score > cap:
        return capped("country_qualifier", score, cap, "a country only one name carries: "
                      + ", ".join(t.raw for t in (qn or cn)) + " (a national subsidiary or branch: review)")
    return None


def organisation_words(query_only: Sequence[Token], listed_only: Sequence[Token], score: float, rules: KindRules
                       ) -> Adjustment | None:
    """A query word that names something more than the listed name ("Huawei Cloud Computing Technology" /
    "Huawei Technologies"), or a distinctive word of the listed name the query lacks: a related or
    different organisation. Boilerplate words and words in brackets (an acronym, a former name) are never
    required; a number only one name carries is a series or a sibling ("Fund IV", "Solutions II")."""
    cap = rules.org_extra_word_cap
    if score <= cap:
        return None
    full = tables().weights
    extra = [t for t in query_only if t.weight >= full.get(t.role, 1.0)
             and (t.role in NAMED_ROLES or (t.role == "generic" and t.text not in rules.boilerplate))]
    missing = [t for t in listed_only if t.role in NAMED_ROLES and t.weight >= full.get(t.role, 1.0)]
    if not (extra or missing):
        return None
    why = []
    if extra:
        why.append("query words not in the listed name: " + ", ".join(t.raw for t in extra))
    if missing:
        why.append("listed words missing from the query: " + ", ".join(t.raw for t in missing))
    return capped("org_words_unpaired", score, cap, "; ".join(why) + " (a related or different organisation: review)")


# ---------------------------------------------------------------------------------- persons
def person_part_conflict(query_only: Sequence[Token], listed_only: Sequence[Token], rules: KindRules
                         ) -> Adjustment | None:
    """Name parts on both sides that pair with nothing: another father's name or patronymic."""
    qx = [t for t in query_only if t.role in PERSON_PARTS]
    cx = [t for t in listed_only if t.role in PERSON_PARTS]
    if not (qx and cx):
        return None
    why = "name parts on both sides pair with nothing: " + ", ".join(t.raw for t in qx) + " vs " + ", ".join(
        t.raw for t in cx)
    if any(share_core(a.text, b.text, rules) for a in qx for b in cx):
        return Adjustment("person_part_conflict", -rules.person_part_alike,
                          why + " (but they share a core of letters: one part spelt apart, lighter penalty)")
    return Adjustment("person_part_conflict", -rules.person_part_conflict, why + " (another person's part)")


def son_of(name: NormalizedName) -> tuple[Token, Token] | None:
    """(own name, father's name) around the first "bin" / "ibn" of an Arabic-style name."""
    toks = name.tokens
    for k in range(1, len(toks) - 1):
        if toks[k].text in _SON_OF and toks[k - 1].role in PERSON_PARTS and toks[k + 1].role in PERSON_PARTS:
            return toks[k - 1], toks[k + 1]
    return None


def patronymic_reversed(q: NormalizedName, c: NormalizedName, pairs: Sequence[Pair], rules: KindRules
                        ) -> Adjustment | None:
    """"A bin B" / "B bin A": father and son swapped."""
    qs, cs = son_of(q), son_of(c)
    if not (qs and cs):
        return None
    partner = {id(a): b for p in pairs for a in p.query for b in p.listed}
    if partner.get(id(qs[0])) is cs[1] or partner.get(id(qs[1])) is cs[0]:
        return Adjustment("patronymic_reversed", -rules.patronymic_reversed,
                          f"{qs[0].raw} son of {qs[1].raw} vs {cs[0].raw} son of {cs[1].raw}: father and son swapped")
    return None


def cjk_characters(q: NormalizedName, c: NormalizedName, score: float) -> Adjustment | None:
    """Both names written in Chinese characters or Hangul: the characters themselves must agree (readings
    lose the difference between 市 and 石, 정 and 종). The score is at most their Dice coefficient."""
    qc, cc = q.cjk_chars, c.cjk_chars
    left = list(cc)
    same = 0
    for ch in qc:
        if ch in left:
            left.remove(ch)
            same += 1
    dice = 2 * same / (len(qc) + len(cc))
    if dice < score:
        return Adjustment("cjk_characters", dice - score,
                          f"{same} of {len(qc)} / {len(cc)} characters are the same characters", sets=dice)
    return None


def cjk_common_name(q: NormalizedName, c: NormalizedName, query_only: Sequence[Token], score: float,
                    rules: KindRules) -> Adjustment | None:
    """A short Chinese or Korean name in its own script, with one of the most common surnames, meets a
    Latin-script listed name through its reading only: very many people share it (review)."""
    cap = rules.cjk_common_name_cap
    if not (score > cap and all(t.script in _CJK for t in q.tokens) and not any(t.script in _CJK for t in c.tokens)):
        return None
    surname = next((t for t in q.tokens if t.text in rules.common_cjk_surnames and t not in query_only), None)
    chars = len(q.cjk_chars)
    if surname is not None and chars <= rules.cjk_short_name_chars:
        return capped("cjk_common_name", score, cap,
                      f"a {chars}-character name with the common surname {surname.raw} ({surname.text}) "
                      "matched through its Latin reading: many people share it (review)")
    return None
