"""Federal Register cells -> citations and the listing start date (the earliest citation date)."""

from __future__ import annotations

import datetime as dt

import pytest

from chipscreen.sources.federal_register import earliest_date, parse_citations


def test_iflytek_cell_gives_each_citation_its_date_and_the_earliest_is_the_listing() -> None:
    cites = parse_citations("84 FR 54004, 10/9/19.\n85 FR 44159, 7/22/20.\n87 FR 62202, 10/13/22")
    assert [(c.volume, c.page, c.date) for c in cites] == [
        (84, 54004, dt.date(2019, 10, 9)),
        (85, 44159, dt.date(2020, 7, 22)),
        (87, 62202, dt.date(2022, 10, 13)),
    ]
    assert earliest_date(cites) == dt.date(2019, 10, 9)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("84 FR 54004, 10/9/19", dt.date(2019, 10, 9)),
        ("88 FR 71992 10/19/2023.\n89 FR 25505, 4/11/24", dt.date(2023, 10, 19)),
        ("90 FR 12345,\n1/16/25.", dt.date(2025, 1, 16)),  # citation and date split over two lines
        ("46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81", dt.date(1981, 3, 30)),  # DPL style
        ("91 FR 35189 (June 10, 2026)", dt.date(2026, 6, 10)),
        ("Vol. 86, No. 51, 03/18/21, Federal Register", dt.date(2021, 3, 18)),
        ("85 FR 83799, 12/23/2020", dt.date(2020, 12, 23)),
    ],
)
def test_formats_seen_in_the_2026_lists(cell: str, expected: dt.date) -> None:
    assert earliest_date(parse_citations(cell)) == expected


def test_citation_without_date_is_kept_undated() -> None:
    cites = parse_citations("67 FR 10033")
    assert len(cites) == 1 and cites[0].page == 10033 and cites[0].date is None


def test_empty_and_impossible_dates() -> None:
    assert parse_citations(None) == []
    assert parse_citations("") == []
    assert parse_citations("84 FR 1, 13/45/19")[0].date is None
