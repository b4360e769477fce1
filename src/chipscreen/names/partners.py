"""Organisations: a hit needs the words that say which organisation a name means paired, on both sides.

False hits came from a word that found no real partner (issue 12): a word that only looks like a listed
word ("Constructors" / "Construction", three letters apart, paired at 0.75 as if it were a typo), a name
that says more than the listed one where the extra word is a place inside the name ("Sierra Nevada
Corporation" / the vessel "SIERRA"), a listed line of business the query lacks ("Dive Technologies" / "DIVE
TECHNO SERVICES"). Such a match is a possible match (review), never a hit. When each name keeps a word of
its own that says which organisation it is ("Saudi Arabian Gas Company" / "Saudi Arabian Oil Company",
"Bowne Global Solutions (France)" / "... (Germany)", "Berliner" / "Bayerische Motoren Werke"), the two
names are two organisations, and the match leaves the review band. The values are ``partners`` in
``data/names/thresholds.yml``; each rule returns an ``Adjustment`` that the explanation prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import OSA

from chipscreen.names.features import Adjustment, capped
from chipscreen.names.lexicon import alnum, tables
from chipscreen.names.pairing import Pair
from chipscreen.names.thresholds import KindRules, Partners, thresholds
from chipscreen.names.tokens import NormalizedName, Token

__all__ = ["listed_name_missing", "organisation_partners", "query_names_more", "share_core"]

NAMED = ("distinctive", "number")
"""Roles of the words that say which organisation a name means."""


def organisation_partners(pairs: Sequence[Pair], query: Sequence[Token], listed_name: NormalizedName,
                          query_only: Sequence[Token], listed_only: Sequence[Token], score: float
                          ) -> list[Adjustment]:
    """The adjustments of the rule for two names of which one reads as an organisation's, in order:
    words of their own on both sides make two organisations; otherwise a word without a real partner
    makes a possible match (``query``: every token of the query, in order)."""
    t = thresholds()
    rules, p = t.kind_rules, t.partners
    listed = listed_name.tokens
    conflict = own_words_conflict(*_but_leading_places(query_only, query, listed_only, listed), score, rules, p)
    if conflict is None and _numbers(query) == _numbers(listed):
        conflict = query_names_more(_before_the_last_pair(query, pairs, query_only), listed_only, listed_name,
                                    score, rules, p)
    if conflict is None:
        conflict = listed_name_missing(pairs, listed_only, score, rules, p)
    if conflict is not None:
        return [conflict]
    out: list[Adjustment] = []
    cap = rules.org_extra_word_cap
    if score > cap:
        why = [*_loose_pairs(pairs, p), *_inner_places(query, query_only, listed, listed_only),
               *_inner_places(listed, listed_only, query, query_only), *_listed_business(listed_only, query, rules)]
        if why:
            out.append(capped("unpartnered", score, cap, "; ".join(why) + " (a hit needs every word that says "
                              "which organisation a name means paired on both sides: review)"))
    return out


def _before_the_last_pair(query: Sequence[Token], pairs: Sequence[Pair], query_only: Sequence[Token]
                          ) -> list[Token]:
    """The query's own words that come before its last paired word: words after the whole listed name are a
    unit of that organisation ("... University School of Aeronautics"), a branch or a site, not another
    organisation of the name."""
    paired = {id(t) for pair in pairs for t in pair.query}
    last = max((i for i, t in enumerate(query) if id(t) in paired), default=-1)
    before = {id(t) for t in query[:last]}
    return [t for t in query_only if id(t) in before]


def _numbers(tokens: Sequence[Token]) -> set[str]:
    return {t.text for t in tokens if t.role == "number"}


def _but_leading_places(query_only: Sequence[Token], query: Sequence[Token], listed_only: Sequence[Token],
                        listed: Sequence[Token]) -> tuple[list[Token], list[Token]]:
    """Each side's words of its own, without the places both names start with: Chinese companies put their
    city first, and two such names are sister companies to review ("Shanghai Biren Technology" / "Beijing
    Biren Technology"). A leading city against another word ("Nanjing Asset Management" / "Lead Asset
    Management") still says which organisation."""
    q_lead, c_lead = query[0], listed[0]
    if not (q_lead.role == c_lead.role == "place" and q_lead in query_only and c_lead in listed_only):
        return list(query_only), list(listed_only)
    return [t for t in query_only if t is not q_lead], [t for t in listed_only if t is not c_lead]


def _own(tok: Token, rules: KindRules) -> int:
    """2 for a word that says which organisation a name means, or where: a distinctive word, a place, or a
    line of business (a generic word that is not boilerplate); 1 for a boilerplate word ("Industries",
    "Enterprises": against a word of the first kind it still names another company); 0 for an initial, a
    stop word or a number (a number only one name carries is a series or a sibling: ``features.numbers``).
    A word in brackets (an acronym, a former name) counts only when it is a place ("(France)") or a descriptive
    word ("(Holdings)")."""
    if tok.role == "place":
        return 2
    if len(alnum(tok.raw)) < rules.part_core_min_chars:
        return 0  # "SZ": an abbreviation or initials as often as a name
    if tok.role == "generic":  # in brackets too: "(Holdings)" is a word of the name, not another name for it
        return 1 if tok.text in rules.boilerplate else 2
    if tok.weight < tables().weights.get(tok.role, 1.0):
        return 0
    return 2 if tok.role == "distinctive" else 0


def own_words_conflict(query_only: Sequence[Token], listed_only: Sequence[Token], score: float, rules: KindRules,
                       p: Partners) -> Adjustment | None:
    """Each name keeps a word of its own that says which organisation it is (on one side at least, a word
    that is not boilerplate), and no two of these words are one word spelt apart (``share_core``, one
    edit): two organisations, below review."""
    if score <= p.conflict_cap:
        return None
    qx = [(t, _own(t, rules)) for t in query_only]
    cx = [(t, _own(t, rules)) for t in listed_only]
    qw = [t for t, k in qx if k]
    cw = [t for t, k in cx if k]
    if (not (qw and cw) or max(k for _, k in (*qx, *cx)) < 2
            or any(_alike(a, b, rules) for a in qw for b in cw)):
        return None
    return capped("own_words_conflict", score, p.conflict_cap,
                  "each name keeps words of its own: " + ", ".join(t.raw for t in qw) + " vs "
                  + ", ".join(t.raw for t in cw) + " (two organisations)")


def query_names_more(query_only: Sequence[Token], listed_only: Sequence[Token], listed: NormalizedName,
                     score: float, rules: KindRules, p: Partners) -> Adjustment | None:
    """The query keeps a distinctive word of its own, written in full and outside brackets, and the listed
    name keeps no word of its own that says which organisation ("Bowne Litigation Solutions" / "Bowne
    Solutions"; ``query_only``: the query's own words before its last paired word): the query names another
    organisation that shares the listed one's name, below review. A descriptive or place word more is a
    branch or a subsidiary (review: ``kinds.organisation_words``, ``kinds.country_qualifier``); names whose
    numbers differ are siblings (``features.numbers``), and are left to that rule ("Trust 2007-AHL1" /
    "Trust 2007-AHL2"). A piece of a listed word split off by a space ("Inf ormation", "LIMI TED"), a word
    a typo or two from one of the listed name's words or legal forms ("CMOPjNY", "LDT") or one of them
    written short ("Lmt") is no word of its own. A listed name read from another script is left out: its
    words are a reading's segmentation, which may hold the query's word inside another ("Shenzhen Shi" /
    深圳市)."""
    if (score <= p.conflict_cap or any(_own(t, rules) for t in listed_only)
            or any(t.script != "Latin" for t in listed.tokens)):
        return None
    full = tables().weights["distinctive"]
    written = alnum(listed.original.casefold())
    words = [*(t.text for t in listed.tokens), *listed.legal_words]
    own = [t for t in query_only if t.role == "distinctive" and t.weight >= full and alnum(t.raw).isalpha()
           and len(t.text) >= rules.part_core_min_chars and t.text not in written
           and not any(_typo_of(t.text, w, p) or _shortened(t.text, w, rules) for w in words)]
    if not own:
        return None
    return capped("query_names_more", score, p.conflict_cap,
                  "the query keeps a distinctive word the listed name lacks: " + ", ".join(t.raw for t in own)
                  + " (another organisation of that name)")


def listed_name_missing(pairs: Sequence[Pair], listed_only: Sequence[Token], score: float, rules: KindRules,
                        p: Partners) -> Adjustment | None:
    """No distinctive word of the listed name pairs, and it has one ("L & H Sweden" / "L & H Mendez Sweden"):
    initials, places and descriptive words are shared by many organisations, and the word that says which
    one the listed name means is missing. Below review."""
    if score <= p.conflict_cap or any(t.role in NAMED for pair in pairs for t in pair.listed):
        return None
    full = tables().weights["distinctive"]
    missing = [t for t in listed_only if t.role == "distinctive" and t.weight >= full
               and len(alnum(t.raw)) >= rules.part_core_min_chars]
    if not missing:
        return None
    return capped("listed_name_missing", score, p.conflict_cap,
                  "no distinctive word of the listed name pairs: " + ", ".join(t.raw for t in missing)
                  + " missing (only initials, places or descriptive words are shared)")


def _typo_of(x: str, y: str, p: Partners) -> bool:
    """``x`` is ``y`` with a typo or two (``_typo_edits`` of the shorter length; one in any case)."""
    return OSA.distance(x, y, score_cutoff=2) <= max(1, _typo_edits(min(len(x), len(y)), p))


def _alike(a: Token, b: Token, rules: KindRules) -> bool:
    """One word spelt apart: a common core of letters, one edit ("Kei" / "Keyi"), in any case, or one
    written short, with letters left out ("TRDG" / "Trading", "Mgmt" / "Management")."""
    x, y = alnum(a.raw), alnum(b.raw)
    return (share_core(x, y, rules) or OSA.distance(x, y, score_cutoff=1) <= 1
            or _shortened(x, y, rules) or _shortened(y, x, rules))


def _shortened(short: str, long_: str, rules: KindRules) -> bool:
    """``short`` is ``long_`` with letters left out, starting alike."""
    if len(short) < rules.part_core_min_chars or len(short) >= len(long_) or short[0] != long_[0]:
        return False
    rest = iter(long_)
    return all(ch in rest for ch in short)


def share_core(a: str, b: str, rules: KindRules) -> bool:
    """Whether two words share a run of letters long enough to be one word spelt apart ("mus" / "musab",
    "iabd" / "abdul"): another name shares at most a few letters ("rawi" / "tikriti")."""
    shorter = min(len(a), len(b))
    if shorter < rules.part_core_min_chars:
        return False
    core = longest_common_run(a, b)
    return core >= rules.part_core_min_chars and core >= rules.part_core_share * shorter


def longest_common_run(a: str, b: str) -> int:
    """The length of the longest run of letters ``a`` and ``b`` both hold (difflib's longest matching block,
    without junk: the same number, found here in compiled code instead of difflib's Python)."""
    best = 0
    above = [0] * (len(b) + 1)  # above[j + 1]: the run ending at the previous letter of a and at b[j]
    for ch in a:
        here = [0] * (len(b) + 1)
        for j in range(len(b)):
            if b[j] == ch:
                run = above[j] + 1
                here[j + 1] = run
                if run > best:
                    best = run
        above = here
    return best


def _loose_pairs(pairs: Sequence[Pair], p: Partners) -> list[str]:
    """Distinctive Latin words paired at less than ``paired_min`` that are no typo of each other (more
    edits apart than ``typo_edits`` allows their length): alike, not the same word."""
    out = []
    for pair in pairs:
        if len(pair.query) != 1 or len(pair.listed) != 1 or pair.similarity >= p.paired_min:
            continue
        a, b = pair.query[0], pair.listed[0]
        if (a.script != "Latin" or b.script != "Latin" or "distinctive" not in (a.role, b.role)
                or a.role in ("initial", "stop") or b.role in ("initial", "stop")):
            continue
        if all(_loose(x, y, p) for x, y in ((a.text, b.text), (alnum(a.raw), alnum(b.raw)))):
            out.append(f"{a.raw} and {b.raw} are alike, not the same word")
    return out


def _loose(x: str, y: str, p: Partners) -> bool:
    """Neither a typo of the other (as compared or as written) nor a word holding the other (an initial, a
    word cut short: ``pairing``'s truncated pair; words written together: "CentralAerohydrodynamics")."""
    if min(len(x), len(y)) < 2 or x in y or y in x:
        return False
    return OSA.distance(x, y) > _typo_edits(min(len(x), len(y)), p)


def _typo_edits(length: int, p: Partners) -> int:
    if length >= p.two_typos_min_chars:
        return 2
    return 1 if length >= p.one_typo_min_chars else 0


def _inner_places(tokens: Sequence[Token], own: Sequence[Token], other: Sequence[Token],
                  other_only: Sequence[Token]) -> list[str]:
    """A place inside a name the other lacks, neither its first word (where a Chinese company's city goes:
    "Shenzhen DJI") nor in brackets nor its last word (a site: "... General Trading Xi'an"), unless the
    other name is one word: then the place is part of a longer name ("Sierra Nevada" / "SIERRA")."""
    if any(t.role == "place" for t in other_only):
        return []  # a place on each side is a conflict (``own_words_conflict``) or a place qualifier
    place_w = tables().weights["place"]
    one_word = sum(1 for t in other if t.role != "stop") == 1
    out = []
    for tok in own:
        if (tok.role == "place" and tok.weight >= place_w and tok is not tokens[0]
                and (tok is not tokens[-1] or one_word)):
            out.append(f"{tok.raw} is a place inside one name only")
    return out


def _listed_business(listed_only: Sequence[Token], query: Sequence[Token], rules: KindRules) -> list[str]:
    """A line of business the listed name names and the query lacks ("DIVE TECHNO SERVICES" for "Dive
    Technologies"): the same rule as for an extra query word (``kinds.organisation_words``). A word the
    query wrote inside another ("CentralAerohydrodynamics") is there."""
    words = [t.raw for t in listed_only if t.role == "generic" and t.text not in rules.boilerplate
             and t.weight >= tables().weights["generic"] and not any(t.text in x.text for x in query)]
    return ["listed words missing from the query: " + ", ".join(words)] if words else []
