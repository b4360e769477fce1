"""The review queue: cases deduplicated by party and entry content, dispositions with comments, four-eyes
approval, and a memory that holds until the entry's content changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.review import CaseInput, CaseRefused, CaseStore


def case(entry_hash: str = "h1", name: str = "Huawei Technologies", entry: str = "el-1") -> CaseInput:
    return CaseInput(name, "CN", entry, "EL", "HUAWEI TECHNOLOGIES CO., LTD.", entry_hash, "match", "test", 0.81,
                     "s1", {"why": "test"})


@pytest.fixture
def cases(tmp_path: Path) -> CaseStore:
    return CaseStore(tmp_path)


def test_the_same_party_and_entry_content_is_filed_once(cases: CaseStore) -> None:
    assert len(cases.file([case()])) == 1
    assert cases.file([case(name="HUAWEI  technologies")]) == []  # the same party, spelt as screened
    assert len(cases.file([case(name="Huawei Technologies", entry="el-2")])) == 1
    assert cases.queue()[1] == 2


def test_a_false_positive_closes_the_case_and_is_remembered(cases: CaseStore) -> None:
    (c,) = cases.file([case()])
    done = cases.dispose(c.id, "ana", "false_positive", "different company, Shenzhen vs Dongguan")
    assert done.status == "closed"
    assert cases.queue()[1] == 0
    cleared = cases.cleared("Huawei Technologies", "CN", {"el-1": "h1"})
    assert cleared["el-1"].cleared_note.startswith("cleared by ana on ")
    assert "Dongguan" in cleared["el-1"].cleared_note
    assert cases.file([case()]) == []  # stays out of the queue


def test_a_changed_entry_re_opens_the_case(cases: CaseStore) -> None:
    (c,) = cases.file([case()])
    cases.dispose(c.id, "ana", "false_positive", "not them")
    assert cases.cleared("Huawei Technologies", "CN", {"el-1": "h2"}) == {}
    (again,) = cases.file([case(entry_hash="h2")])
    assert again.status == "open" and again.reopens == c.id


def test_a_true_match_waits_for_another_persons_approval(cases: CaseStore) -> None:
    (c,) = cases.file([case()])
    pending = cases.dispose(c.id, "ana", "true_match", "same USCC")
    assert pending.status == "pending" and cases.queue()[1] == 1
    with pytest.raises(CaseRefused, match="four eyes"):
        cases.approve(c.id, "ana")
    done = cases.approve(c.id, "rev")
    assert (done.status, done.approved_by) == ("closed", "rev")
    assert cases.cleared("Huawei Technologies", "CN", {"el-1": "h1"}) == {}  # a true match is never suppressed
    assert "el-1" in cases.remembered("Huawei Technologies", "CN", {"el-1": "h1"})


def test_a_disposition_needs_a_comment_and_a_known_code(cases: CaseStore) -> None:
    (c,) = cases.file([case()])
    with pytest.raises(InputError, match="comment"):
        cases.dispose(c.id, "ana", "false_positive", "   ")
    with pytest.raises(InputError, match="disposition"):
        cases.dispose(c.id, "ana", "ignore", "x")
    cases.dispose(c.id, "ana", "escalate", "ask legal")
    with pytest.raises(CaseRefused, match="pending, not open"):
        cases.dispose(c.id, "bob", "false_positive", "overrule")


def test_the_queue_is_paginated_oldest_first(cases: CaseStore) -> None:
    cases.file([case(entry=f"el-{i}") for i in range(120)])
    page, total = cases.queue(page=3, size=50)
    assert total == 120 and [c.entry_id for c in page] == [f"el-{i}" for i in range(100, 120)]


def test_a_reviewer_sends_a_pending_disposition_back_with_a_reason(cases: CaseStore) -> None:
    (c,) = cases.file([case()])
    cases.dispose(c.id, "ana", "true_match", "same address")
    with pytest.raises(InputError, match="comment"):
        cases.send_back(c.id, "rev", "  ")
    with pytest.raises(CaseRefused, match="four eyes"):
        cases.send_back(c.id, "ana", "my own")
    again = cases.send_back(c.id, "rev", "the address is the parent's, check the USCC")
    assert (again.status, again.disposition, again.disposed_by, again.comment) == ("open", None, None, None)
    (back,) = cases.returns(c.id)
    assert (back.returned_by, back.disposition, back.disposed_by, back.disposition_comment) == (
        "rev", "true_match", "ana", "same address")
    assert "USCC" in back.comment
    with pytest.raises(CaseRefused, match="is open"):
        cases.send_back(c.id, "rev", "again")  # nothing pending to send back
    assert cases.dispose(c.id, "ana", "escalate", "USCC differs: legal to decide").status == "pending"


def test_a_closed_case_cannot_be_sent_back(cases: CaseStore) -> None:
    (c,) = cases.file([case()])
    cases.dispose(c.id, "ana", "false_positive", "not them")
    with pytest.raises(CaseRefused, match="is closed"):
        cases.send_back(c.id, "rev", "too late")
    assert cases.returns(c.id) == []
