"""Organisations: a hit needs the words that say which organisation a name means paired, on both sides
(chipscreen.names.partners, issue 12)."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

import pytest

from chipscreen.names.partners import longest_common_run, share_core
from chipscreen.names.score import compare_names
from chipscreen.names.screener import Screener
from chipscreen.names.thresholds import thresholds


def _features(query: str, listed: str) -> tuple[float, dict[str, str]]:
    got = compare_names(query, listed)
    return got.score, {a.feature: a.why for a in got.adjustments}


@pytest.mark.parametrize(("query", "listed", "why"), [
    # a listed line of business the query lacks (the vessel company of the SDN list)
    ("Dive Technologies", "DIVE TECHNO SERVICES", "listed words missing from the query: services"),
    # a place inside the query that the one-word listed name lacks: part of another name
    ("Sierra Nevada Corporation", "SIERRA", "nevada is a place inside one name only"),
    # three letters apart: alike, not the same word, though they paired at 0.75
    ("China Railway Constructors Corporation", "China Railway Construction Corporation",
     "constructors and construction are alike, not the same word"),
])
def test_a_word_without_a_real_partner_makes_a_possible_match_not_a_hit(query: str, listed: str, why: str) -> None:
    score, feats = _features(query, listed)
    t = thresholds()
    assert t.review <= score < t.hit
    assert why in feats["unpartnered"].casefold()


def test_the_false_hits_of_the_issue_are_no_hits_on_the_bundled_lists(screener: Screener) -> None:
    for query, listed in (("Dive Technologies", "DIVE TECHNO SERVICES"), ("Sierra Nevada Corporation", "SIERRA")):
        r = screener.screen(query, all_dates=True)
        assert not r.hit, (query, r.matches[0].matched_name)
        (m,) = [m for m in r.matches if m.matched_name == listed]
        assert "unpartnered" in [a["feature"] for a in m.explanation["adjustments"]]


@pytest.mark.parametrize(("query", "listed"), [
    ("Saudi Arabian Gas Company", "Saudi Arabian Oil Company"),  # a line of business each
    ("Bowne Global Solutions (France), S.A.R.L.", "Bowne Global Solutions (Germany), G.m.b.H."),  # a country each
    ("ICBC (Asia) Limited", "ICBC (London) plc"),  # a place each, in brackets
    ("Berliner Motoren Werke Aktiengesellschaft", "Bayerische Motoren Werke Aktiengesellschaft"),  # the STRONG case
    ("BAE Systems, Inc.", "BAE Industries, Inc."),  # a line of business against a boilerplate word
    ("Bowne Global Solutions II (U.K.) Limited", "Bowne Global Solutions II Canada, Inc."),  # a short country
])
def test_words_of_its_own_on_each_side_make_two_organisations(query: str, listed: str) -> None:
    score, feats = _features(query, listed)
    assert score < thresholds().review
    assert "own_words_conflict" in feats and "two organisations" in feats["own_words_conflict"]


@pytest.mark.parametrize(("query", "listed"), [
    ("Mercedes-Benn Group AG", "Mercedes-Benz Group AG"),  # one letter in a short word: a typo
    ("Beta Platforms, Inc.", "Meta Platforms, Inc."),
    ("Huawei Technolgies Co Ltd", "Huawei Technologies Co., Ltd."),  # a typo in a common word
    ("Technologies Huawei", "Huawei Technologies Co., Ltd."),  # word order
    ("Deutsche Bank (Schweiz) AG", "Deutsche Bank AG"),  # a country in brackets qualifies the name
    ("Wuxi National Supercomputing Center", "National Supercomputing Center in Wuxi"),  # the place first
    ("Alsima Middle East General Trading Xi'an Factory", "Alsima Middle East General Trading"),  # a site after
])
def test_true_hits_survive(query: str, listed: str) -> None:
    score, feats = _features(query, listed)
    assert score >= thresholds().hit, feats
    assert "unpartnered" not in feats and "own_words_conflict" not in feats


@pytest.mark.parametrize("query", [
    "Shenzhen Dajiang Chuangxin Keji Youxian Gongsi",  # Hanyu Pinyin of the registered name
    "SZ DJI Technolgy Co",  # a typo
    "SZ DJI Technology Co., Ltd., Building 1, 18 Gaoxin South Road, Nanshan District, Shenzhen 518057",
])
def test_true_hits_survive_on_the_bundled_lists(screener: Screener, query: str) -> None:
    r = screener.screen(query, all_dates=True)
    assert r.hit and "dji" in r.matches[0].name.casefold(), r.matches[:1]


@pytest.mark.parametrize(("query", "listed"), [
    ("Linpo Sigma HK", "Linpo Sigma HK Limited"),  # "HK" (a place only in an organisation's name): too short
    ("Beijing Kei Hongyuan Optoelectronics Co., Ltd.", "Beijing Keyi Hongyuan Optoelectronics Co., Ltd."),  # a typo
    ("AL NOOR ALAILI TRDG CO", "Al Noor Alaili Trading Company"),  # a word written short
])
def test_short_or_alike_unpaired_words_are_no_conflict(query: str, listed: str) -> None:
    score, feats = _features(query, listed)
    assert score >= thresholds().review and "own_words_conflict" not in feats


def test_an_unpaired_word_on_each_side_spelt_alike_stays_a_possible_match() -> None:
    rules = thresholds().kind_rules
    assert share_core("mus", "musab", rules) and share_core("iabd", "abdul", rules)
    assert not share_core("gas", "oil", rules) and not share_core("france", "germany", rules)


def test_the_longest_common_run_is_difflibs_longest_matching_block() -> None:
    rng = random.Random(12)
    words = [("", ""), ("a", ""), ("musab", "mus"), ("iabd", "abdul"), ("rawi", "tikriti"), ("zhōng", "zhong")]
    words += [("".join(rng.choice("abcde") for _ in range(rng.randint(0, 12))),
               "".join(rng.choice("abcde") for _ in range(rng.randint(0, 12)))) for _ in range(2000)]
    for a, b in words:
        block = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        assert longest_common_run(a, b) == block.size, (a, b)


def test_boilerplate_words_on_both_sides_are_no_conflict() -> None:
    score, feats = _features("Huawei Technologies International", "Huawei Technologies Group Co., Ltd.")
    assert score >= thresholds().review and "own_words_conflict" not in feats


def test_a_place_after_a_longer_name_is_a_site_not_part_of_the_name() -> None:
    query = "Huawei Technologies Costa Rica Sociedad Anonima Xi'an Representative Office"
    score, feats = _features(query, "Huawei Technologies Costa Rica SA")
    assert score >= thresholds().hit and "unpartnered" not in feats


def test_a_distinctive_word_only_the_query_has_names_another_organisation() -> None:
    # "Harwell Falcon Engineering" shares the listed name and says which other company it is
    score, feats = _features("Harwell Falcon Engineering Ltd", "Harwell Engineering Ltd")
    assert score < thresholds().review
    assert "falcon" in feats["query_names_more"]


@pytest.mark.parametrize(("query", "listed"), [
    ("Harwell Engineering Group Ltd", "Harwell Engineering Ltd"),     # boilerplate more: the same company
    ("Harwell Systems Ltd", "Harwell Ltd"),                           # a line of business more: review
    ("Harwell Engineering Ltd", "Harwell Falcon Engineering Ltd"),    # the query says less: review
    ("Harbor Loan Trust 2019-XB1", "Harbor Loan Trust 2019-XB2"),     # numbers differ: a sibling, review
    ("Marlow Avionics Trading Lmt", "Marlow Avionics Trading Limited"),  # a legal form written short
    ("Kestrel Institute of Technology Faculty of Geodesy", "Kestrel Institute of Technology"),  # a unit after it
    ("Marlow Avionics Trading LLC LCC", "Marlow Avionics Trading LLC"),  # a legal form typed twice, once wrong
    ("Shen Zhen Shi Da Jiang Chuang Xin Ke Ji Youxian Gongsi", "深圳市大疆创新科技有限公司"),  # a reading's words
])
def test_a_descriptive_word_more_or_a_shorter_query_stays_an_alert(query: str, listed: str) -> None:
    score, feats = _features(query, listed)
    assert score >= thresholds().review and "query_names_more" not in feats


def test_a_match_on_initials_and_a_place_without_the_listed_distinctive_word_is_no_alert() -> None:
    score, feats = _features("P & T Finland, Oy", "P & T Kowalski Finland, Oy")
    assert score < thresholds().review
    assert "kowalski missing" in feats["listed_name_missing"]


def test_a_descriptive_word_in_brackets_is_a_word_of_the_name() -> None:
    # "(Holdings)" is no acronym or former name: against "Capital" each name keeps a word of its own
    score, feats = _features("Orion Star Capital Limited", "Orion Star (Holdings) Limited")
    assert score < thresholds().review and "capital vs holdings" in feats["own_words_conflict"]
    assert _features("Orion Star Limited", "Orion Star (Holdings) Limited")[0] >= thresholds().hit


def test_a_two_letter_legal_form_written_with_a_slash_marks_an_organisation() -> None:
    # "A/S" is no pair of initials: the names are two companies' in two countries
    score, feats = _features("Nordvik Sweden A/S", "Nordvik Finland A/S")
    assert score < thresholds().review and "own_words_conflict" in feats
