"""The ownership regimes read their rule facts from one home each: the rulebooks and country_groups.yaml."""

from __future__ import annotations

import datetime as dt

import pytest

from chipscreen.ownership.parents import headquarters_country_for_rule
from chipscreen.ownership.regimes import BIS, OFAC, affiliates_on, load_regimes
from chipscreen.ownership.tables import ownership_tables
from chipscreen.store import Store


def test_affiliates_rule_facts_come_from_the_rulebooks() -> None:
    regimes, minority = load_regimes()
    bis = regimes[BIS]
    assert bis.from_rulebooks and not regimes[OFAC].from_rulebooks
    assert (bis.threshold_ppm, bis.op) == (500_000, ">=")
    assert bis.lists == {"EL": None, "MEU": None, "SDN": ["NPWMD", "IFSR", "RUSSIA-EO14024", "BELARUS-EO14038"]}
    assert minority == 250_000
    in_force = affiliates_on(bis, dt.date(2025, 10, 1))
    suspended = affiliates_on(bis, dt.date(2026, 1, 15))
    assert in_force[1] and "2025-09-29-affiliates" in in_force[2]
    assert not suspended[1] and "suspended" in suspended[2]
    assert affiliates_on(bis, dt.date(2026, 11, 10))[1]
    before, on, source = affiliates_on(bis, dt.date(2009, 1, 1))
    assert not on and before.lists == bis.lists and source == "no rulebook in force on this date"


def test_headquarters_country_for_rule_reads_country_groups() -> None:
    assert headquarters_country_for_rule("hk", dt.date(2024, 1, 1)) == "CN"
    assert headquarters_country_for_rule("HK", dt.date(2019, 1, 1)) == "HK"  # before 85 FR 83765
    assert headquarters_country_for_rule("MO", dt.date(2024, 1, 1)) == "MO"
    assert headquarters_country_for_rule("Hong Kong", dt.date(2024, 1, 1)) == "HONG KONG"
    assert headquarters_country_for_rule(None) is None


def test_party_lookups_accept_only_the_indexed_columns(store: Store) -> None:
    tables = ownership_tables(store)
    tables.create()
    assert tables.parties_with("lei", "X") == []
    with pytest.raises(ValueError):
        tables.parties_with("name; DROP TABLE own_parties", "X")
