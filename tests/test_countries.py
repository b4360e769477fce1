"""Country names and codes as the lists write them (``chipscreen.countries``)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rigour.territories import get_territories, lookup_territory

from chipscreen.countries import country_named, territory_named, to_iso2


def test_every_territory_name_and_full_name_gets_rigours_own_answer() -> None:
    for territory in get_territories():
        for name in (territory.name, territory.full_name):
            assert territory_named(name) is lookup_territory(name), name


@pytest.mark.parametrize("text", ["CN", "cn", "CHN", "China", "CHINA", "People's Republic of China", "Hong Kong",
                                  "Korea, North", "Beijing", "Shenzhen", "Guangdong", "Moskva", "Côte d'Ivoire",
                                  "Nowhere-on-earth", "中国"])
def test_any_text_gets_rigours_answer(text: str) -> None:
    assert territory_named(text) is lookup_territory(text)


def test_a_country_is_named_by_its_name_or_code_and_a_region_is_not() -> None:
    assert [country_named(t) for t in ("China", "CN", "Russia", "Hong Kong", "Beijing", "")] == \
        ["CN", "CN", "RU", "HK", None, None]
    assert to_iso2("Beijing") == "CN"


def test_addresses_read_in_a_fresh_process_leave_rigours_name_table_unbuilt() -> None:
    """rigour's table of every name it knows costs a second and a half to build; the shipped copy answers."""
    code = ("from chipscreen.countries import country_named, is_iso2, to_iso2\n"
            "from rigour.territories import lookup\n"
            "assert country_named('China') == 'CN' and country_named('United States') == 'US'\n"
            "assert country_named('Ramallah II 970') is None and to_iso2('Beijing') == 'CN'\n"
            "assert not is_iso2('JJ')\n"
            "print(lookup._get_territory_names.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
