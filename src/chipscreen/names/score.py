"""Name-vs-name scoring: weighted token pairing with rapidfuzz metrics, every feature explainable.

The score of two normalised names is the weight-averaged similarity of their paired tokens (a weighted
Dice coefficient), so it is order independent ("Olaf Scholz" / "Scholz, Olaf") and unpaired words lower it
in proportion to how much they identify a party: an extra "Technology" costs little, an extra "Device"
costs a lot. Then named features adjust it (``chipscreen.names.features``, ``chipscreen.names.kinds``),
and the screener adds country and identifier evidence. ``Comparison.explain()`` returns every pairing and
adjustment. Word similarity is ``chipscreen.names.similarity``, the pairing ``chipscreen.names.pairing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chipscreen.names import features
from chipscreen.names.features import Adjustment, Scoring
from chipscreen.names.kinds import kind_rules
from chipscreen.names.normalize import normalize_name
from chipscreen.names.pairing import Pair, pair_tokens
from chipscreen.names.stems import shares_only_a_stem
from chipscreen.names.tails import normalize_query
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName, Token

__all__ = ["Comparison", "compare", "compare_above", "compare_names"]


@dataclass
class Comparison:
    """The outcome of comparing a query name with a listed name, with everything needed to explain it."""

    score: float
    base: float
    pairs: list[Pair]
    query_only: list[Token]
    listed_only: list[Token]
    adjustments: list[Adjustment] = field(default_factory=list)
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
            "adjustments": [{"feature": a.feature, "delta": round(a.delta, 4), "why": a.why}
                            for a in self.adjustments],
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


def compare_names(a: str, b: str) -> Comparison:
    """Convenience: best comparison over the readings of two raw names (used by tests and benchmarks)."""
    best: Comparison | None = None
    for x in normalize_query(a):
        for y in normalize_name(b):
            cmp_ = compare(x, y)
            if best is None or cmp_.score > best.score:
                best = cmp_
    assert best is not None
    return best


def _ceiling(q: NormalizedName, c: NormalizedName, pairs: list[Pair], score: float) -> float:
    """The highest score ``compare`` can still give once ``score`` is the base with the number
    adjustments applied: the generic cap and the kind rules only lower a score (caps apply above the
    cap, penalties are subtracted: if the tables ever made a penalty negative, there is no ceiling),
    and the "contained" boost, possible only when the shorter name has enough named parts, gives at most
    the weighted mean of the score and 1 (its mean of the score and a weighted mean of pair similarities)."""
    t = thresholds()
    rules = t.kind_rules
    if min(rules.place_conflict, rules.person_part_conflict, rules.patronymic_reversed) < 0:
        return float("inf")
    shorter = q.tokens if q.total_weight <= c.total_weight else c.tokens
    if pairs and sum(1 for x in shorter if x.role in features.NAMED_ROLES) >= t.penalties.contained_min_parts:
        mix = t.pairing.contained_mix
        score = max(score, (1.0 - mix) * score + mix)
    return min(1.0, max(0.0, score))


def _compare(q: NormalizedName, c: NormalizedName, floor: float | None) -> Comparison | None:
    """``compare``, stopping with None once the score cannot reach ``floor`` (when one is given)."""
    if not q.tokens or not c.tokens:
        return Comparison(0.0, 0.0, [], list(q.tokens), list(c.tokens), [], q, c)
    acro = features.acronym(q, c)
    if acro is not None:
        sim = acro.apply(0.0)
        return Comparison(sim, sim, [Pair(list(q.tokens), list(c.tokens), sim)], [], [], [acro], q, c)
    pairs, free_q, free_c = pair_tokens(q.tokens, c.tokens)
    refused = _refuse_stems(q, c, pairs, free_q, free_c) if q.org_like and c.org_like else []
    base, free_q, free_c, dropped = _base_score(q, c, pairs, free_q, free_c)
    s = Scoring(base, [*refused, *dropped])
    if q.numbers or c.numbers:
        s.add(features.numbers(q, c, s.score))
    if q.acronym_word is not None or c.acronym_word is not None:
        s.add(features.short_word_differs(q, c, pairs, s.score))
    if floor is not None and _ceiling(q, c, pairs, s.score) < floor:
        return None
    strong = features.has_strong_pair(pairs)
    if not strong:
        full = features.descriptive_full_name(pairs, [*(q.tokens[i] for i in free_q), *(c.tokens[j] for j in free_c)])
        s.add(full)
        strong = full is not None
    if not strong:
        s.add(features.generic_only(s.score))
    elif q.numbers == c.numbers:
        # names whose numbers differ are siblings, reviewed at most (features.numbers): however much of one
        # the other contains, the boost is not for them
        s.add(features.contained(q, c, pairs, free_q, free_c, s.score))
    query_only = [q.tokens[i] for i in free_q]
    listed_only = [c.tokens[j] for j in free_c]
    for adj in kind_rules(q, c, pairs, query_only, listed_only, s.score):
        s.add(adj)
    score = min(1.0, max(0.0, s.score))
    return Comparison(score, base, pairs, query_only, listed_only, s.adjustments, q, c)


def _refuse_stems(q: NormalizedName, c: NormalizedName, pairs: list[Pair], free_q: list[int], free_c: list[int]
                  ) -> list[Adjustment]:
    """Undo the pairs of two organisations' words that share only a stem (``chipscreen.names.stems``): their
    words go back to the unpaired ones, in place; one note each for the explanation."""
    notes: list[Adjustment] = []
    for p in [p for p in pairs if shares_only_a_stem(p)]:
        pairs.remove(p)
        free_q.extend(i for i, t in enumerate(q.tokens) if any(t is x for x in p.query))
        free_c.extend(j for j, t in enumerate(c.tokens) if any(t is x for x in p.listed))
        notes.append(Adjustment("stem_only", 0.0, f"'{' '.join(t.raw for t in p.query)}' and "
                                f"'{' '.join(t.raw for t in p.listed)}' share only a stem: not paired"))
    if notes:
        free_q.sort()
        free_c.sort()
    return notes


def _base_score(q: NormalizedName, c: NormalizedName, pairs: list[Pair], free_q: list[int], free_c: list[int]
                ) -> tuple[float, list[int], list[int], list[Adjustment]]:
    """The weighted Dice coefficient of the pairs, after leaving out the unpaired words that do not count
    (a query word typed twice, words of the other name's legal form); the words still free on each side."""
    notes: list[Adjustment] = []
    total = q.total_weight + c.total_weight
    if free_q:
        d = features.repeated_words(q.tokens, free_q, c.tokens, free_c)
        free_q = d.free
        total -= d.weight
        notes.extend(d.adjustments)
    if q.numbers != c.numbers:
        for side, free in ((q, free_q), (c, free_c)):
            d = features.lone_numbers(side.tokens, free, c if side is q else q)
            total -= d.weight
            notes.extend(d.adjustments)
            if side is q:
                free_q = d.free
            else:
                free_c = d.free
    if (free_q and c.legal_forms) or (free_c and q.legal_forms):
        dq = features.legal_form_words(q.tokens, free_q, c.legal_words)
        dc = features.legal_form_words(c.tokens, free_c, q.legal_words)
        free_q, free_c = dq.free, dc.free
        total -= dq.weight
        total -= dc.weight
        notes.extend(dq.adjustments)
        notes.extend(dc.adjustments)
    matched = sum((p.similarity * p.weight for p in pairs), 0.0)
    return (matched / total if total > 0 else 0.0), free_q, free_c, notes
