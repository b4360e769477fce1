"""Place names in organisations' names: where, not who."""

from __future__ import annotations

from chipscreen.names.normalize import normalize_name
from chipscreen.names.places import is_country_word, territory_code


def texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name)[0].tokens]


def roles(name: str) -> dict[str, str]:
    return {t.text: t.role for t in normalize_name(name)[0].tokens}


def test_a_country_in_an_organisation_name_has_one_spelling() -> None:
    # "U.S.", "USA" and "United States" are one country; the ISO code in capitals equals no other word
    assert texts("U.S. Department of State")[0] == texts("United States Department of State")[0] == "US"
    assert texts("Huawei Technologies USA Inc.")[-1] == "US"
    assert texts("Mendez Norge A/S") == texts("Mendez Norway AS") == ["mendez", "NO"]
    # cities keep their names, and "Global" is a word, not rigour's pseudo-territory
    assert texts("Beijing SenseTime Tech Dev")[0] == "beijing"
    assert roles("Bowne Global Solutions Inc")["global"] == "generic"


def test_territory_codes_and_country_words() -> None:
    assert territory_code("mexico") == "mx"
    assert territory_code("global") is None  # rigour's pseudo-territory zz
    assert is_country_word("Mexico") and is_country_word("US")
    assert not is_country_word("beijing")


def test_a_place_in_a_person_name_stays_a_name() -> None:
    assert roles("Jordan Smith")["jordan"] == "distinctive"
    assert roles("Jordan Trading LLC")["JO"] == "place"
