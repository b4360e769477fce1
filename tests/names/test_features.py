"""Scoring rules as typed adjustments: what each did, and how it moved the score."""

from __future__ import annotations

import pytest

from chipscreen.names.features import Adjustment, Scoring, country_evidence, numbers
from chipscreen.names.kinds import kind_rules
from chipscreen.names.normalize import normalize_name
from chipscreen.names.pairing import pair_tokens
from chipscreen.names.score import compare_names
from chipscreen.names.thresholds import thresholds


def test_a_cap_sets_the_score_and_a_penalty_adds_its_delta() -> None:
    s = Scoring(0.9)
    s.add(Adjustment("penalty", -0.1, "why"))
    assert s.score == 0.9 - 0.1
    s.add(Adjustment("cap", 0.5 - s.score, "why", sets=0.5))
    assert s.score == 0.5
    s.add(None)
    assert [a.feature for a in s.adjustments] == ["penalty", "cap"]


def test_numbers_must_agree() -> None:
    (a,) = normalize_name("11420 CORP")
    (b,) = normalize_name("11421 CORP")
    got = numbers(a, b, 1.0)
    t = thresholds()
    assert got is not None and got.feature == "number_mismatch"
    assert got.delta == min(1.0 - t.penalties.number_mismatch, t.kind_rules.org_extra_word_cap) - 1.0


@pytest.mark.parametrize(("query", "listed"), [
    ("Carlyle Partners VII L.P.", "Carlyle Partners VIII L.P."),
    ("Goldman Sachs Mortgage Loan Trust 2004-1", "Goldman Sachs Mortgage Loan Trust 2005-1"),
    ("Bear Stearns Asset Backed Securities Trust 2006-2", "Bear Stearns Asset Backed Securities Trust 2007-2"),
])
def test_names_alike_but_for_their_numbers_are_siblings_to_review_never_a_hit(query: str, listed: str) -> None:
    # issue 12's decision: numbers must agree for a hit, and a sibling is a review case
    t = thresholds()
    got = compare_names(query, listed)
    assert t.review <= got.score < t.hit
    assert {"lone_number", "number_mismatch"} <= {a.feature for a in got.adjustments}
    assert not any(a.feature == "contained" for a in got.adjustments)


@pytest.mark.parametrize(("query", "listed"), [("IFLYTEK 1", "IFLYTEK Co., Ltd."), ("Sophgo 2", "Sophgo"),
                                               ("Carlyle Partners VII", "Carlyle Partners")])
def test_a_number_only_one_name_carries_lowers_the_score_to_review_and_keeps_the_match(query: str,
                                                                                         listed: str) -> None:
    t = thresholds()
    got = compare_names(query, listed)
    assert t.review <= got.score < t.hit
    assert {"lone_number", "number_missing"} <= {a.feature for a in got.adjustments}


def test_country_evidence() -> None:
    t = thresholds()
    match = country_evidence("CN", "cn")
    assert match is not None and match.feature == "country_match" and match.delta == t.bonuses.country_match
    mismatch = country_evidence("CN", "RU")
    assert mismatch is not None and mismatch.delta == -t.penalties.country_mismatch
    assert country_evidence(None, "RU") is None and country_evidence("CN", None) is None


def test_kind_rules_cap_a_sister_company_in_another_country() -> None:
    (q,) = normalize_name("Banco Santander Mexico")
    (c,) = normalize_name("Banco Santander Chile")
    pairs, free_q, free_c = pair_tokens(q.tokens, c.tokens)
    adjs = kind_rules(q, c, pairs, [q.tokens[i] for i in free_q], [c.tokens[j] for j in free_c], 0.9)
    assert [a.feature for a in adjs] == ["place_conflict", "country_conflict", "own_words_conflict"]
    assert adjs[1].sets == thresholds().kind_rules.org_extra_word_cap
    assert adjs[-1].sets == thresholds().partners.conflict_cap < thresholds().review  # two organisations
