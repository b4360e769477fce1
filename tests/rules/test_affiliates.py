"""The BIS Affiliates rule on a date (chipscreen.rules.affiliates): what the ownership engine reads."""

from __future__ import annotations

import datetime as dt

import pytest
from rules_helpers import d

from chipscreen.rules import AffiliatesRule, FeedingList, affiliates_rule, load_rulebook


# ------------------------------------------------------------------ window
@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2025-09-28", "absent"),
        ("2025-09-29", "in_force"),
        ("2025-11-09", "in_force"),
        ("2025-11-10", "suspended"),
        ("2026-11-09", "suspended"),
        ("2026-11-10", "in_force"),  # revives unless BIS changes it
    ],
)
def test_affiliates_rule_window(day: str, status: str) -> None:
    a = affiliates_rule(d(day))
    assert a.status == status
    assert a.in_force is (status == "in_force")


def test_affiliates_rule_threshold_and_feeding_lists_are_data() -> None:
    a = affiliates_rule(d("2025-10-01"))
    assert a.threshold_ppm == 500_000 and a.op == ">="
    assert a.lists == ("EL", "MEU", "SDN")
    assert "744.8" in str(a.list_details[2]["title"])
    assert a.captures(500_000) and not a.captures(499_999)
    assert "2025-19001" in a.citation
    assert not affiliates_rule(d("2026-01-01")).captures(900_000)  # suspended


def test_affiliates_rule_for_a_rulebook_uses_its_effective_date_unless_told() -> None:
    assert affiliates_rule("2025-09-29-affiliates").status == "in_force"
    assert affiliates_rule("2025-11-10-affiliates-suspension").status == "suspended"
    assert affiliates_rule("2025-11-10-affiliates-suspension", on=d("2026-12-01")).status == "in_force"


# ------------------------------------------------------------------ typed answer for the ownership engine
def test_the_answer_is_typed_with_feeding_lists_and_programs() -> None:
    a = affiliates_rule(d("2025-10-01"))
    assert isinstance(a, AffiliatesRule)
    assert a.rulebook == "2025-09-29-affiliates" and a.date == d("2025-10-01")
    assert [f.code for f in a.feeds] == list(a.lists) == ["EL", "MEU", "SDN"]
    sdn = a.feeds[2]
    programs = ("NPWMD", "IFSR", "RUSSIA-EO14024", "BELARUS-EO14038")
    assert isinstance(sdn, FeedingList) and sdn.programs == programs and "744.8" in sdn.citation
    assert "89 FR 20107" in sdn.citation
    assert a.programs() == {"EL": None, "MEU": None, "SDN": programs}
    # the programmes added in 2024 are unverified, and the rule as shown with a decision says so
    details = {x["list"]: x for x in a.as_dict()["list_details"]}
    assert details["SDN"]["verified"] is False and "not retrieved" in details["SDN"]["notes"]


def test_suspended_keeps_threshold_and_lists_so_the_review_can_say_what_would_apply() -> None:
    a = affiliates_rule(d("2026-01-01"))
    assert a.status == "suspended" and not a.in_force
    assert a.rulebook == "2025-11-10-affiliates-suspension"
    assert a.threshold_ppm == 500_000 and a.lists == ("EL", "MEU", "SDN")
    assert [(w.start, w.until) for w in a.suspended] == [(d("2025-11-10"), d("2026-11-09"))]


def test_before_the_rule_there_is_nothing_to_apply() -> None:
    a = affiliates_rule(d("2025-01-01"))
    assert (a.status, a.in_force, a.threshold_ppm, a.feeds, a.programs()) == ("absent", False, None, (), {})
    assert not a.captures(1_000_000)


def test_the_windows_come_from_the_rulebooks() -> None:
    data = load_rulebook("2025-11-10-affiliates-suspension").affiliates
    assert data is not None
    for day in (d("2025-09-29"), d("2025-11-09"), d("2026-11-10")):
        assert data.in_force_on(day)
    assert not data.in_force_on(d("2025-11-10")) and not data.in_force_on(d("2026-11-09"))
    assert not data.in_force_on(d("2025-09-28"))
    assert affiliates_rule(d("2026-11-10")).as_dict()["date"] == dt.date(2026, 11, 10)
