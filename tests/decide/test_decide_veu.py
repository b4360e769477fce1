"""The Data Center VEU (15 CFR 748.15, 89 FR 80080): a note where a receiving party is a listed VEU for the
destination on the date; the shipped list is empty because no listing was found in the texts searched."""

from __future__ import annotations

from pathlib import Path

import pytest
from decide_helpers import end_user, make_tx

from chipscreen.decide import Decider
from chipscreen.decide.veu import VeuList, data_center_veu, veu_notes
from chipscreen.errors import DataError

LISTING = """citation: "89 FR 80080"
verified: true
from: 2024-10-02
entries:
  - {name: "Example Mumbai Data Centre Pvt Ltd", aliases: ["EMDC"], countries: [IN], since: 2025-03-03,
     data_centers: ["Plot 1, Navi Mumbai"], items: ["3A090.a", "4A090.a"], citation: "test listing"}
"""


@pytest.fixture
def listing(tmp_path: Path) -> VeuList:
    path = tmp_path / "veu.yaml"
    path.write_text(LISTING)
    return data_center_veu(path)


def notes(decider: Decider, listing: VeuList, date: str, name: str = "Example Mumbai Data Centre Pvt Ltd") -> list[str]:
    tx = make_tx(date=date, to="IN", item="nvidia-h100-sxm5", parties=[end_user(name, "IN")])
    return [f.detail for f in veu_notes(decider.shipment(tx), listing)]


def test_a_listed_veu_is_noted_from_its_listing_date(decider: Decider, listing: VeuList) -> None:
    assert notes(decider, listing, "2025-03-02") == []
    (note,) = notes(decider, listing, "2025-03-03")
    assert "Data Center VEU (test listing)" in note and "eligible items" in note


def test_an_alias_matches_and_another_party_does_not(decider: Decider, listing: VeuList) -> None:
    assert notes(decider, listing, "2025-06-02", "emdc")
    assert notes(decider, listing, "2025-06-02", "Example Delhi Cloud Pvt Ltd") == []


def test_the_shipped_list_cites_the_rule_and_lists_no_unfound_veu() -> None:
    shipped = data_center_veu()
    assert "89 FR 80080" in shipped.citation and shipped.verified and shipped.entries == ()


def test_an_entry_without_a_date_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "veu.yaml"
    bad.write_text(LISTING.replace("since: 2025-03-03,", ""))
    with pytest.raises(DataError, match=r"veu\.yaml"):
        data_center_veu(bad)
