"""The screener on the bundled lists: real names as customers write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.names.screener import Kept, Screener
from chipscreen.names.tails import normalize_query
from chipscreen.sources.base import ParsedDataset, build_entry
from chipscreen.store import Store


def best(screener: Screener, name: str, **kw: object) -> tuple[str, str, float, bool]:
    r = screener.screen(name, **kw)  # type: ignore[arg-type]
    assert r.matches, f"no match for {name!r}"
    m = r.matches[0]
    return m.list, m.name, m.score, m.hit


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("HUAWEI TECH CO LTD", "huawei technologies co"),
        ("Huawei Device Co Ltd", "huawei device co"),
        ("Beijing SenseTime Tech Dev", "beijing sensetime technology development"),
        ("IFLYTEK CO LTD", "iflytek"),
        ("科大讯飞股份有限公司", "iflytek"),
        ("SUGON", "dawning information industry"),
        ("Dawning Information Industry Co", "dawning information industry"),
        ("中科曙光", "dawning information industry"),
        ("Beijing Biren Tech Dev", "beijing biren technology development"),
        ("Moore Threads", "moore thread intelligent technology (beijing)"),
        ("摩尔线程智能科技(北京)有限责任公司", "moore thread intelligent technology (beijing)"),
        ("Zhipu AI", "beijing zhipu huazhang technology"),
        ("Semiconductor Manufacturing International Corp", "semiconductor manufacturing international"),
        ("SMIC", "semiconductor manufacturing international"),
        ("华为技术有限公司", "huawei technologies co"),
    ],
)
def test_real_list_names_hit(screener: Screener, query: str, expected: str) -> None:
    r = screener.screen(query, country="CN")
    assert r.hit, query
    top = [m for m in r.matches if m.hit]
    assert any(m.name.lower().startswith(expected) for m in top), [m.name for m in top]


def test_unrelated_names_do_not_hit(screener: Screener) -> None:
    for name in ("Maria Garcia", "Acme Widgets GmbH", "Technology Co., Ltd.", "Beijing Technology Co", "CORP"):
        assert not screener.screen(name).hit, name


def test_matches_carry_the_contract_fields(screener: Screener) -> None:
    d = screener.screen("HUAWEI TECH CO LTD", country="CN").to_dict()
    assert set(d) == {"row", "query", "hit", "matches"}
    m = d["matches"][0]
    assert set(m) == {"entity_id", "name", "matched_name", "list", "score", "hit", "explanation"}
    assert 0.0 <= m["score"] <= 1.0
    assert m["explanation"]["pairs"]
    scores = [x["score"] for x in d["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_kept_comparisons_give_the_same_answer_and_are_read_back(screener: Screener) -> None:
    """A caller screening one query twice (two snapshots) keeps the comparisons: the second screen reads them."""
    day = dt.date(2026, 1, 1)
    plain = screener.screen("Huawei Technologies", country="CN", date=day)
    memo: Kept = {}
    screener.comparisons = memo
    try:
        first = screener.screen("Huawei Technologies", country="CN", date=day)
        second = screener.screen("Huawei Technologies", country="CN", date=day)  # from the kept comparisons
        assert first == second == plain and plain.matches and len(memo) >= len(plain.matches)
        assert any(a["feature"] == "country_match" for a in plain.matches[0].explanation["adjustments"])
        for key, kept in memo.items():
            memo[key] = [(name, None) for name, _ in kept]  # as if every name had scored under the floor
        again = screener.screen("Huawei Technologies", country="CN", date=day)
    finally:
        screener.comparisons = None
    assert again.matches == [] and screener.screen("Huawei Technologies", country="CN", date=day) == plain


@pytest.mark.parametrize("name", ["Huawei Technologies", "科大讯飞股份有限公司", "Sugon Information Industry", "!! ??"])
def test_a_name_screened_from_its_readings_gets_the_answer_of_its_text(screener: Screener, name: str) -> None:
    """A caller that has read the name (a watch set's index, a screen against two snapshots) passes its readings;
    those without words match nothing and may be left out."""
    day = dt.date(2026, 1, 1)
    readings = normalize_query(name)
    got = screener.screen("Huawei Technologies" if name == "!! ??" else name, country="CN", date=day,
                          readings=[r for r in readings if r.tokens])
    if name == "!! ??":  # the readings decide, not the text: a name without words reads as nothing
        assert not readings or not any(r.tokens for r in readings)
        assert got.matches == []
    else:
        assert got == screener.screen(name, country="CN", date=day) and got.matches


def test_review_band_is_returned_without_hit(screener: Screener) -> None:
    r = screener.screen("Huawei Cloud Services Beijing Branch Office")
    assert r.matches
    assert all(m.score >= screener.review_threshold for m in r.matches)
    assert screener.review_threshold < screener.hit_threshold


def test_country_mismatch_lowers_but_never_hides(screener: Screener) -> None:
    cn = screener.screen("Beijing Sensetime Technology Development Co., Ltd.", country="CN").matches[0]
    us = screener.screen("Beijing Sensetime Technology Development Co., Ltd.", country="US").matches[0]
    assert us.entity_id == cn.entity_id
    assert us.score < cn.score
    assert us.hit
    assert any(a["feature"] == "country_mismatch" for a in us.explanation["adjustments"])


def test_identifier_matches_exactly_and_decisively(screener: Screener) -> None:
    r = screener.screen("Some Shell Name Ltd", identifiers=["914403001922038216"])
    assert r.hit
    m = r.matches[0]
    assert m.score == 1.0 and "HUAWEI" in m.name.upper()
    assert m.explanation["identifier"]["match"] == "exact"
    assert not screener.screen("Some Shell Name Ltd", identifiers=["914403001922038217"]).hit


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02", "x" * 10_001, None])
def test_bad_names_are_refused_with_a_message(screener: Screener, bad: str | None) -> None:
    with pytest.raises(InputError):
        screener.screen(bad)  # type: ignore[arg-type]


def test_long_control_and_mixed_script_names_are_screened(screener: Screener) -> None:
    assert screener.screen("Huawei " + "x" * 9_000).matches is not None
    assert screener.screen("HUAWEI\x00 TECH\x07 CO LTD").hit
    assert screener.screen("华为 Huawei Technologies").hit


def test_screen_many_reports_bad_rows_and_keeps_going(screener: Screener) -> None:
    items = ["SUGON", "", {"name": "Moore Threads", "country": "CN", "row": 7}, ("Maria Garcia", "ES")]
    out = list(screener.screen_many(items))
    assert [r.row for r in out] == [1, 2, 7, 4]
    assert out[0].hit and out[2].hit and not out[3].hit
    assert out[1].error == "empty name" and out[1].to_dict()["hit"] is None


def test_screen_many_with_workers_keeps_order(screener: Screener) -> None:
    names = ["SUGON", "Maria Garcia", "Moore Threads"] * 50
    serial = [r.hit for r in screener.screen_many(names)]
    forked = [r.hit for r in screener.screen_many(names, workers=2, chunk=20)]
    assert serial == forked


@pytest.fixture
def dated_listing(tmp_path: Path) -> Iterator[Screener]:
    """A screener over one entry listed from 2023-10-17 until 2025-01-01."""
    entry = build_entry(source="test", list_code="EL", name="Biren Dated Technology Co., Ltd.", country="China",
                        start_date=dt.date(2023, 10, 17), end_date=dt.date(2025, 1, 1))
    ds = ParsedDataset(name="t.json", format="test", path="t.json", sha256="0" * 64,
                       retrieved=dt.date(2025, 1, 1), entries=[entry])
    with Store(tmp_path / "home") as store:
        store.load([ds])
        yield Screener(store)


def test_only_entries_listed_on_the_date_count(dated_listing: Screener) -> None:
    s = dated_listing
    assert s.screen("Biren Dated Technology", date=dt.date(2024, 1, 1)).hit
    assert not s.screen("Biren Dated Technology", date=dt.date(2023, 1, 1)).matches
    assert not s.screen("Biren Dated Technology", date=dt.date(2025, 6, 1)).matches


def test_all_dates_screens_every_listing_and_reports_its_period(dated_listing: Screener) -> None:
    s = dated_listing
    for on in (None, dt.date(2023, 1, 1), dt.date(2025, 6, 1)):  # the date is ignored
        res = s.screen("Biren Dated Technology", date=on, all_dates=True)
        assert res.hit
        m = res.matches[0]
        assert (m.start_date, m.end_date) == (dt.date(2023, 10, 17), dt.date(2025, 1, 1))
        d = m.to_dict()
        assert {"entity_id", "name", "matched_name", "list", "score", "hit", "explanation"} <= set(d)
        assert (d["start_date"], d["end_date"]) == ("2023-10-17", "2025-01-01")
    # default behaviour unchanged: dated screening leaves the period off the match and its dict
    dated = s.screen("Biren Dated Technology", date=dt.date(2024, 1, 1)).matches[0]
    assert dated.start_date is None and "start_date" not in dated.to_dict()
    for workers in (1, 2):
        many = list(s.screen_many(["Biren Dated Technology", "zzzz qqqq"], date=dt.date(2023, 1, 1),
                                  all_dates=True, workers=workers, chunk=1))
        assert [r.row for r in many] == [1, 2]
        assert many[0].hit and many[0].matches[0].end_date == dt.date(2025, 1, 1)
        assert not many[1].matches


@pytest.fixture
def people(tmp_path: Path) -> Iterator[Screener]:
    """A screener over five persons as the lists spell them."""
    entries = [build_entry(source="test", list_code="SDN", name=n, kind="person", country=None)
               for n in ("Theodore Doe", "ABD AL-RAHMAN MUSTAFA", "William Gates", "Xi Jinping", "Chiang Ching-kuo")]
    ds = ParsedDataset(name="p.json", format="test", path="p.json", sha256="1" * 64,
                       retrieved=dt.date(2025, 1, 1), entries=entries)
    with Store(tmp_path / "home") as store:
        store.load([ds])
        yield Screener(store)


@pytest.mark.parametrize(("query", "listed"), [
    ("Ted Doe", "Theodore Doe"),  # a nickname: no word of the name is spelt alike, the index still finds it
    ("Bill Gates", "William Gates"),
    ("Abdul Rahman Mustafa", "ABD AL-RAHMAN MUSTAFA"),
    ("Abdurrahman Mustafa", "ABD AL-RAHMAN MUSTAFA"),
    ("Hsi Chin-ping", "Xi Jinping"),  # Wade-Giles: no word is spelt alike
    ("Jiang Jingguo", "Chiang Ching-kuo"),  # and the other way round
])
def test_the_index_finds_nicknames_arabic_compounds_and_wade_giles(people: Screener, query: str, listed: str) -> None:
    r = people.screen(query)
    assert r.matches and r.matches[0].matched_name == listed
    assert r.hit == (query.split()[0] not in ("Ted", "Bill"))  # a nickname is a possible match (review)
