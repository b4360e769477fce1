"""The overlays file: every code it names is one the contract knows, and a bad edit names its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipscreen.decide.overlays import overlays, read_overlays
from chipscreen.errors import DataError
from chipscreen.model import FLAG_CODES, REASON_CODES
from chipscreen.names.screener import Match
from chipscreen.paths import data_dir

SHIPPED = data_dir() / "decide" / "overlays.yaml"


def test_the_shipped_overlays_use_only_contract_codes() -> None:
    ov = overlays()
    assert {s.reason for s in ov.lists.values() if s.reason} == {"entity_list", "meu"}
    assert all(s.reason in REASON_CODES for s in ov.lists.values() if s.reason)
    assert all(s.flag in FLAG_CODES for s in ov.lists.values() if s.flag)
    assert ov.receiving_roles["cloud_service"] == ("customer", "end_user")
    assert ov.exporter_roles == ("exporter", "lessor", "provider")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("exporter_roles: [exporter, lessor, provider]", "exporter_roles: [exporter, shipper]", "exporter_roles[1]"),
        ("    reason: meu\n", "    reason: military\n", "lists.MEU.reason"),
        ("    flag: denied_party\n", "    flag: denied\n", "lists.DPL.flag"),
        ("      - from: 2020-06-29\n", "      - from: June 2020\n", "end_uses.military.phases[0].from"),
        ("affiliates_regime: bis_affiliates\n", "", "affiliates_regime"),
    ],
)
def test_a_malformed_overlay_names_the_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "overlays.yaml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_overlays(bad)
    assert err.value.file == str(bad) and err.value.key == key


def test_a_party_on_a_licence_list_is_listed_itself() -> None:
    def match(code: str) -> Match:
        return Match(entity_id="x", name="X", matched_name="X", list=code, score=1.0, hit=True, explanation={})

    ov = overlays()
    assert ov.licence_listed([match("SDN"), match("EL")])
    assert not ov.licence_listed([match("SDN"), match("CMIC")])
    assert not ov.licence_listed([])
