"""Entity List start dates from the effective dates of the Federal Register rules the entries cite
(data/lists/federal_register_rules.yaml; issue 13 item 6), on both sides of each date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml
from chipscreen.sources.federal_register import parse_citations
from chipscreen.sources.fr_effective import basis_of_cited, fr_rules, listing_basis, listing_start, parse_fr_rules
from chipscreen.sources.us_lists import parse

D = dt.date


@pytest.mark.parametrize(
    ("cell", "start"),
    [
        ("84 FR 22963, 5/21/19", D(2019, 5, 16)),  # Huawei: effective 16 May, published 21 May 2019
        ("84 FR 43495, 8/21/19", D(2019, 8, 19)),  # 46 Huawei affiliates
        ("85 FR 83420, 12/22/20", D(2020, 12, 18)),  # SMIC
        ("87 FR 77508, 12/19/22", D(2022, 12, 16)),  # YMTC, Cambricon
        ("88 FR 71992, 10/19/23", D(2023, 10, 17)),  # Biren, Moore Threads
        ("90 FR 14048, 3/28/25", D(2025, 3, 25)),  # Inspur subsidiaries
        ("84 FR 54004, 10/9/19", D(2019, 10, 9)),  # iFlytek, SenseTime: effective on publication
        ("85 FR 34505, 6/5/20", D(2020, 6, 5)),  # checked: the XUAR rule of 5 Jun 2020 took effect on publication
        ("87 FR 38925, 6/30/22", D(2022, 6, 28)),  # 36 entities, 28 Chinese entries
        ("88 FR 70353, 10/11/23", D(2023, 10, 6)),  # 42 Chinese suppliers of ICs to Russia
        ("89 FR 51652, 6/18/24", D(2024, 6, 12)),  # Russia sanctions rule's Entity List addresses
        ("89 FR 68548, 8/27/24", D(2024, 8, 27)),  # checked: effective on publication
        ("90 FR 14035, 3/28/25", D(2025, 3, 25)),  # the 70-entity rule of the same day as Inspur's
        ("85 FR 52901, 8/27/20", D(2020, 8, 26)),  # South China Sea (85 FR 52898; sources differ, unverified)
        ("88 FR 9390, 2/14/23", D(2023, 2, 10)),  # the balloon entities
        ("88 FR 18985, 3/30/23", D(2023, 3, 28)),  # read in the FR text (FR Doc 2023-06663)
        ("88 FR 23334, 4/17/23", D(2023, 4, 12)),
        ("88 FR 38741, 6/14/23", D(2023, 6, 12)),  # read in a copy of the rule's text
        ("88 FR 38741, 6/12/23", D(2023, 6, 12)),  # the same rule cited under its effective day
        ("86 FR 4864, 1/14/21", D(2021, 1, 14)),  # CNOOC: published 15 Jan 2021, cited under 14 Jan
        ("90 FR 561, 1/6/25", D(2025, 1, 3)),
        ("87 FR 51877, 8/24/22", D(2022, 8, 24)),  # read in the FR text: effective on publication
        ("88 FR 13675, 3/6/23", D(2023, 3, 2)),  # Inspur Group
        ("89 FR 14388, 2/27/24", D(2024, 2, 23)),  # the 93 Russia-support entities ...
        ("89 FR 14405, 2/27/24", D(2024, 2, 27)),  # ... and the other rule of that day, from its first page
        ("86 FR 67319, 11/26/21", D(2021, 11, 26)),  # the November 2021 quantum listings: effective on publication
        ("90 FR 48195, 10/9/25", D(2025, 10, 8)),  # the October 2025 Iranian procurement addresses
    ],
)
def test_a_cited_rule_counts_from_its_effective_date(cell: str, start: dt.date) -> None:
    assert listing_start(parse_citations(cell)) == start


def test_a_rule_not_in_the_table_counts_from_publication_and_says_so() -> None:
    cites = parse_citations("88 FR 66273, 9/27/23")
    assert listing_start(cites) == D(2023, 9, 27)
    basis = listing_basis(cites)
    assert "publication date" in basis["listed_since_basis"] and basis["listed_since_verified"] is False


def test_the_earliest_effective_date_among_several_citations_wins() -> None:
    cites = parse_citations("84 FR 22963, 5/21/19.\n84 FR 43495, 8/21/19.\n85 FR 51603, 8/20/20")
    assert listing_start(cites) == D(2019, 5, 16)
    basis = basis_of_cited(["84 FR 22963, 5/21/19", "85 FR 51603, 8/20/20"])
    assert "84 FR 22961" in basis["listed_since_basis"] and basis["listed_since_verified"] is True
    assert "85 FR 51596" in basis["listed_since_source"]  # Huawei's date, read in the later rule's FR text
    later = basis_of_cited(["85 FR 51603, 8/20/20"])
    assert "unverified" in later["listed_since_basis"] and later["listed_since_verified"] is False


def test_a_page_outside_a_closed_range_is_not_that_rule() -> None:
    # 88 FR 71991-71994 is the Biren rule; a page of the same issue outside it is another document
    assert listing_start(parse_citations("88 FR 71999, 10/19/23")) == D(2023, 10, 19)


def test_the_bundled_entity_list_dates_huawei_and_biren_from_the_effective_dates() -> None:
    ds = parse(data_dir() / "lists" / "us_lists_2026-07" / "bis_entity_list.json")
    starts = {e.party.names[0].value: e.listing.start_date for e in ds.entries}
    assert starts["Huawei Technologies Co., Ltd."] == D(2019, 5, 16)
    biren = [day for name, day in starts.items() if "Biren" in name]
    assert biren and all(day == D(2023, 10, 17) for day in biren)


def test_every_row_is_checked_when_the_table_is_read(edited: Callable[[Path, str, str], Path]) -> None:
    bad = edited(data_dir() / "lists" / "federal_register_rules.yaml", "effective: 2019-05-16", "effective: soon")
    with pytest.raises(DataError) as exc:
        parse_fr_rules(read_yaml(bad), str(bad))
    assert exc.value.file == str(bad) and exc.value.key == "rules[3].effective"
    assert len(fr_rules().by_issue) >= 20


def test_two_rules_of_one_day_split_the_issue_at_the_later_rule_s_first_page() -> None:
    """2025-03-28 carries FR Doc 2025-05426 (pages up to 14045) and 2025-05427 (14046-14052)."""
    first = fr_rules().rule_for(parse_citations("90 FR 14035, 3/28/25")[0])
    second = fr_rules().rule_for(parse_citations("90 FR 14048, 3/28/25")[0])
    assert first is not None and first.fr == "90 FR 14034" and not first.verified
    assert second is not None and second.fr == "90 FR 14046" and second.verified


def test_a_rule_is_found_under_another_day_the_list_cites_it_by(tmp_path: Path) -> None:
    """`cited`: 86 FR 4862 was published on 15 Jan 2021 and the list cites it as '1/14/21'; without the
    extra day the citation would fall back to its own date and lose the rule's source."""
    rule = fr_rules().rule_for(parse_citations("86 FR 4864, 1/14/21")[0])
    assert rule is not None and rule.fr == "86 FR 4862" and rule.published == D(2021, 1, 15) and rule.verified
    assert fr_rules().rule_for(parse_citations("86 FR 4864, 1/15/21")[0]) is rule
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "rules:\n  - {fr: 86 FR 4862, pages: [4862, null], published: 2021-01-15, effective: 2021-01-14,\n"
        "     verified: true, cited: [someday], title: t, source: s}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as exc:
        parse_fr_rules(read_yaml(bad), str(bad))
    assert exc.value.key.startswith("rules[0].cited")
