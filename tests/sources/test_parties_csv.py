"""The plain parties CSV (name,country[,id]) used for customer files and internal watch lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.sources import parse_file


def test_reads_names_countries_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(
        'name,country,id\n"Shanghai SenseTime Intelligent Technology Co., Ltd.",China,\n'
        "Acme GmbH,DE,529900T8BM49AURSDO55\n"
    )
    ds = parse_file(path)
    assert [e.party.country for e in ds.entries] == ["CN", "DE"]
    assert ds.entries[1].party.identifiers[0].scheme == "lei"


def test_unknown_country_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text("name,country\nAcme,Atlantis\n")
    with pytest.raises(InputError, match=r"parties\.csv:2: country: unknown country 'Atlantis'"):
        parse_file(path)
