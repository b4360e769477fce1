"""A name field that carries an address or a department after the name still finds the party, and says
what it set aside."""

from __future__ import annotations

import pytest

from chipscreen.names.screener import Screener
from chipscreen.names.tails import Tail, normalize_query, split_parent, split_tail
from chipscreen.store import Store


@pytest.mark.parametrize(("field", "head", "kind"), [
    ("China Electronics Technology Group Corporation, 27 Wanshou Rd, Haidian District, Beijing 100846",
     "China Electronics Technology Group Corporation", "address"),
    ("Hikvision #13-01, 10 Anson Road, Singapore 079903", "Hikvision", "address"),
    ("Huawei Technologies P.O. Box 1234, Dubai", "Huawei Technologies", "address"),
    ("Huawei Co, No. 27 Wanshou Road, Beijing", "Huawei Co", "address"),
    ("X Co Ltd, Haidian District, Beijing", "X Co Ltd", "address"),
    ("Huawei Technologies Co., Ltd. Shanghai Representative Office", "Huawei Technologies Co., Ltd.",
     "department or site"),
    ("SenseTime (R&D Center)", "SenseTime", "department or site"),
    ("Inspur Group Overseas Sales Dept", "Inspur Group", "department or site"),
    ("Sugon - Procurement Department", "Sugon", "department or site"),
    # a building or a park written before the district belongs to the address
    ("Hytera Communications Corp Ltd, Hytera Tower, Hi-Tech Industrial Park North, Nanshan District, Shenzhen",
     "Hytera Communications Corp Ltd", "address"),
    ("Sugon Information Industry, 36 Zhongguancun Software Park, Haidian, Beijing", "Sugon Information Industry",
     "address"),
    # a site with its number, a campus, an invoice's finance department
    ("SMIC Beijing Fab 8", "SMIC", "department or site"),
    ("Acme Electronics Plant No. 2", "Acme Electronics", "department or site"),
    ("Harbin Institute of Technology (Shenzhen Campus)", "Harbin Institute of Technology", "department or site"),
    ("Cambricon Technologies Corp Ltd Accounts Payable", "Cambricon Technologies Corp Ltd", "department or site"),
    # a legal form ends the name, whatever site name stands between it and the site word
    ("Huawei Device Co Ltd Songshan Lake Base", "Huawei Device Co Ltd", "department or site"),
    # ... but a group's "Corporation" / "Company" inside a unit's name is not where the name ends
    ("Tactical Missile Corporation, Azov Optical & Mechanical Plant",
     "Tactical Missile Corporation, Azov Optical & Mechanical", "department or site"),
    ("Joint Stock Company RT-Tekhpriemka Manufacturing Base", "Joint Stock Company RT-Tekhpriemka",
     "department or site"),
    # a unit's name before the address is no address part ("of" is rigour's short form of "office")
    ("Academy of Military Medical Sciences, Institute of Bioengineering; No. 194 Tverskaya Dajie, Dubai",
     "Academy of Military Medical Sciences, Institute of Bioengineering", "address"),
    # the office that buys, a university's hospital
    ("Beijing Microelectronics Technology Institute Procurement Office",
     "Beijing Microelectronics Technology Institute", "department or site"),
    ("Sichuan University (West China Hospital)", "Sichuan University", "department or site"),
    # a Russian address: a numbered street with its transliterated street word
    ("PJSC Mikron, 1st Zapadny Proezd 12/1, Zelenograd, Moscow 124460", "PJSC Mikron", "address"),
    ("AO Kaspersky Lab, 39A/2 Leningradskoe Shosse, Moscow", "AO Kaspersky Lab", "address"),
    # an attention line or a "care of"
    ("IFLYTEK CO LTD ATTN PURCHASING", "IFLYTEK CO LTD", "attention line"),
    ("Cambricon Technologies Corp Ltd c/o Accounts Dept", "Cambricon Technologies Corp Ltd", "attention line"),
    ("SMIC Shanghai - Accounts Payable Dept.", "SMIC Shanghai", "department or site"),
    # the city of the site that placed the order, after the name
    ("Pegasus General Trading Abu Dhabi", "Pegasus General Trading", "place"),
    ("Kaspersky Lab Moscow", "Kaspersky Lab", "place"),
    ("NESCOM Islamabad", "NESCOM", "place"),  # one word and a city outside China: a site
])
def test_an_address_or_a_department_after_the_name_is_set_aside(field: str, head: str, kind: str) -> None:
    got = split_tail(field)
    assert got is not None and (got.head, got.kind) == (head, kind)


@pytest.mark.parametrize("name", [
    "Semiconductor Manufacturing International Corporation", "Moscow Plant No. 5",
    "Institute of Automation, Chinese Academy of Sciences", "Goldman Sachs Mortgage Loan Trust 2004-1",
    "Beijing Institute of Technology", "Shanghai Plant 2", "Acme Park Ltd",
    # a place joined to the name by "of" / "in" is part of it; a name of places only is a name
    "National Bank of Pakistan", "National Supercomputing Center in Wuxi", "Beijing Shanghai",
    # a Chinese city names a subsidiary or a sibling unit: there it decides between them
    "SMIC Beijing", "National Supercomputing Center Tianjin", "CETC 38 Hefei",
    "Coalition For A Prosperous America",  # a country closing a name is part of it
])
def test_a_name_without_a_tail_is_left_whole(name: str) -> None:
    assert split_tail(name) is None


def test_the_set_aside_part_is_a_further_reading_and_is_named() -> None:
    readings = normalize_query("Sugon, 8 Dongbeiwang West Rd, Haidian District, Beijing")
    assert readings[0].reading == "default"
    extra = readings[-1]
    assert extra.reading == "without address" and [t.text for t in extra.tokens] == ["sugon"]
    assert "address set aside: 8 Dongbeiwang West Rd, Haidian District, Beijing" in extra.notes


@pytest.mark.parametrize(("field", "listed"), [
    ("China Electronics Technology Group Corporation, 27 Wanshou Rd, Haidian District, Beijing 100846",
     "China Electronics Technology Group Corporation"),
    ("Huawei Technologies Co., Ltd. Shanghai Representative Office", "Huawei Technologies Co., Ltd."),
    ("Inspur Group Overseas Sales Dept", "Inspur Group Co., Ltd."),
    ("Hytera Communications Corp Ltd, Hytera Tower, Hi-Tech Industrial Park North, Nanshan District, Shenzhen",
     "Hytera Communications"),
    ("Huawei Device Co Ltd Songshan Lake Base", "Huawei Device Co., Ltd."),
    ("NESCOM Islamabad", "National Engineering and Scientific Commission"),
])
def test_the_listed_party_is_a_hit_through_its_address_or_department(bundled_store: Store, field: str,
                                                                       listed: str) -> None:
    r = Screener(bundled_store).screen(field, all_dates=True)
    assert r.hit and r.matches[0].matched_name.casefold().startswith(listed.casefold()[:20])
    assert any("set aside" in n for n in r.matches[0].explanation["query_normalised"])


@pytest.mark.parametrize("field", [
    "HIT Harbin Institute of Technology", "Nanjing University of Aeronautics and Astronautics NUAA",
])
def test_an_acronym_written_beside_the_name_it_abbreviates_is_set_aside(field: str) -> None:
    extra = [r for r in normalize_query(field) if r.reading == "without own acronym"]
    assert extra and all(t.text not in ("hit", "nuaa") for t in extra[0].tokens)
    assert any("beside the name it abbreviates set aside" in n for n in extra[0].notes)


@pytest.mark.parametrize("field", ["Hit Entertainment Limited", "ABC Bank of China", "SMIC Beijing"])
def test_a_word_that_is_not_the_acronym_of_the_rest_stays(field: str) -> None:
    assert not [r for r in normalize_query(field) if r.reading == "without own acronym"]


@pytest.mark.parametrize(("field", "head"), [
    # no comma and no street word: the legal form ends the name, the postal code closes the address
    ("Wuhan Raycus Fiber Laser Tech. Co. Ltd. Optics Valley East Lake High-tech Zone Wuhan 430075",
     "Wuhan Raycus Fiber Laser Tech. Co. Ltd."),
    ("Bel Huawei Technologies LLC Dzerzhinsky Minsk 220036", "Bel Huawei Technologies LLC"),
])
def test_a_legal_form_ends_the_name_before_an_address_without_commas(field: str, head: str) -> None:
    got = split_tail(field)
    assert got is not None and (got.head, got.kind) == (head, "address")


@pytest.mark.parametrize("field", ["Acme Ltd 2000", "Carlyle Partners VIII", "Sophgo 2",
                                   "Acme Holdings Ltd Fund 2019"])  # no city before the number
def test_a_number_alone_after_a_name_is_no_address(field: str) -> None:
    assert split_tail(field) is None


@pytest.mark.parametrize(("field", "head", "parent"), [
    ("Boreskov Institute of Catalysis SB RAS", "Boreskov Institute of Catalysis", "SB RAS"),
    ("P.N. Lebedev Physical Inst. RAS", "P.N. Lebedev Physical Inst.", "RAS"),
    ("PLA Academy of Military Medical Sciences", "Academy of Military Medical Sciences", "PLA"),
])
def test_a_parents_acronym_before_or_after_the_units_name_is_set_aside(field: str, head: str, parent: str
                                                                       ) -> None:
    assert split_parent(field) == Tail(head, "parent", parent)


@pytest.mark.parametrize("field", ["RAS Institute", "Rasa Ras", "PLA Group", "Plastic Ras Holdings"])
def test_a_parents_acronym_needs_two_words_of_a_name_beside_it(field: str) -> None:
    assert split_parent(field) is None


def test_the_unit_is_a_hit_without_its_parent_and_says_so(bundled_store: Store) -> None:
    r = Screener(bundled_store).screen("PLA Academy of Military Medical Sciences", all_dates=True)
    assert r.hit and r.matches[0].matched_name == "Academy of Military Medical Sciences"
    assert "parent set aside: PLA" in r.matches[0].explanation["query_normalised"]
