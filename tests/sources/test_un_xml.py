"""The UN Security Council consolidated list (27 February 2026): every individual and entity, each alias
with the quality the UN gives it (a "Low" alias is a weak name), listing dates, reference numbers and
countries, counted against the file itself with ElementTree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree

import pytest

from chipscreen.errors import InputError
from chipscreen.sources import detect_format, parse_file
from chipscreen.sources.base import ParsedDataset


@pytest.fixture(scope="module")
def un_file(shared_data: Path) -> Path:
    return shared_data / "un" / "UN_consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def parsed(un_file: Path) -> ParsedDataset:
    return parse_file(un_file)


@pytest.fixture(scope="module")
def root(un_file: Path) -> ElementTree.Element:
    return ElementTree.parse(un_file).getroot()


def test_every_individual_and_entity_is_an_entry(
    un_file: Path, parsed: ParsedDataset, root: ElementTree.Element
) -> None:
    people, bodies = root.findall("INDIVIDUALS/INDIVIDUAL"), root.findall("ENTITIES/ENTITY")
    assert detect_format(un_file) == "un-xml"
    assert (len(people), len(bodies)) == (730, 273)
    assert parsed.rows_read == len(parsed.entries) == len(people) + len(bodies)
    kinds = [e.party.kind for e in parsed.entries]
    assert (kinds.count("person"), kinds.count("organization")) == (len(people), len(bodies))
    assert parsed.list_codes == ["UN"] and parsed.retrieved == dt.date(2026, 2, 27)  # dateGenerated


def test_every_alias_arrives_with_its_quality(parsed: ParsedDataset, root: ElementTree.Element) -> None:
    by_id = {e.party.id: e.party for e in parsed.entries}
    weak = 0
    for record in [*root.iter("INDIVIDUAL"), *root.iter("ENTITY")]:
        party = by_id[f"un-{record.findtext('DATAID')}"]
        aliases = [a for a in record.iter(f"{record.tag}_ALIAS") if (a.findtext("ALIAS_NAME") or "").strip()]
        low = {" ".join(a.findtext("ALIAS_NAME", "").split()) for a in aliases if a.findtext("QUALITY") == "Low"}
        assert {n.value for n in party.names if n.kind == "weak"} == low - {party.name}
        names = {" ".join(a.findtext("ALIAS_NAME", "").split()) for a in aliases}
        originals = [" ".join((o.text or "").split()) for o in record.iter("NAME_ORIGINAL_SCRIPT")]
        names |= {o for o in originals if o}
        assert {n.value.casefold() for n in party.names[1:]} == {n.casefold() for n in names} - {party.name.casefold()}
        weak += len(low)
    assert weak > 500


def test_a_listed_person_with_a_low_quality_alias(parsed: ParsedDataset) -> None:
    gaston = next(e for e in parsed.entries if e.party.id == "un-6907995")
    assert gaston.party.name == "GASTON IYAMUREMYE" and gaston.party.kind == "person"
    assert ("Rumuli", "weak") in {(n.value, n.kind) for n in gaston.party.names}
    assert ("Victor Rumuri", "alias") in {(n.value, n.kind) for n in gaston.party.names}
    assert gaston.listing.start_date == dt.date(2010, 12, 1) and gaston.listing.programs == ["DRC"]
    assert ("un_reference", "CDi.003") in {(i.scheme, i.value) for i in gaston.party.identifiers}
    assert gaston.party.country == "CD"


def test_an_entity_keeps_its_former_names_and_an_arabic_name_its_script(parsed: ParsedDataset) -> None:
    adf = next(e for e in parsed.entries if e.party.id == "un-6908402")
    assert ("NALU", "former") in {(n.value, n.kind) for n in adf.party.names}
    assert ("Allied Democratic Forces", "alias") in {(n.value, n.kind) for n in adf.party.names}
    arabic = [n for e in parsed.entries for n in e.party.names if n.script == "Arabic"]
    assert "صدام حسين التكريتي" in {n.value for n in arabic}


def test_a_listing_date_written_with_a_time_zone_is_that_date(parsed: ParsedDataset, root: ElementTree.Element) -> None:
    zoned = [r for r in root.iter("INDIVIDUAL") if len(r.findtext("LISTED_ON", "")) > 10]
    assert zoned, "the sample has xs:date values with a time zone"
    by_id = {e.party.id: e for e in parsed.entries}
    for record in zoned:
        assert by_id[f"un-{record.findtext('DATAID')}"].listing.start_date == dt.date.fromisoformat(
            record.findtext("LISTED_ON", "")[:10])


def test_documents_and_nationality_become_identifiers_and_countries(parsed: ParsedDataset) -> None:
    schemes = {i.scheme for e in parsed.entries for i in e.party.identifiers}
    assert {"passport", "national_id", "un_reference"} <= schemes
    no_address = [e for e in parsed.entries if not e.party.addresses and e.party.country]
    assert no_address, "a person with no address takes the country of nationality"


def test_a_bad_record_is_named_by_line_and_field(un_file: Path, tmp_path: Path) -> None:
    text = un_file.read_text(encoding="utf-8")
    bad = tmp_path / "un.xml"
    bad.write_text(text.replace("<LISTED_ON>2010-12-01</LISTED_ON>", "<LISTED_ON>1 Dec 2010</LISTED_ON>", 1),
                   encoding="utf-8")
    line = text[: text.index("<DATAID>6907995</DATAID>")].count("\n")  # the <INDIVIDUAL> line before it
    with pytest.raises(InputError, match=rf"un\.xml:{line}: LISTED_ON: not a date: '1 Dec 2010'"):
        parse_file(bad)
    assert len(parse_file(bad, skip_bad_rows=True).entries) == 1002


def test_a_truncated_file_is_refused_with_its_line(un_file: Path, tmp_path: Path) -> None:
    data = un_file.read_bytes()
    cut = tmp_path / "un.xml"
    cut.write_bytes(data[: len(data) * 2 // 3])
    lines = data[: len(data) * 2 // 3].count(b"\n") + 1
    with pytest.raises(InputError, match=rf"un\.xml:{lines}: XML: (no element found|unclosed token)"):
        parse_file(cut)


def test_another_xml_file_is_not_taken_for_the_un_list(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?>\n<catalog><INDIVIDUAL><DATAID>1</DATAID></INDIVIDUAL></catalog>\n')
    with pytest.raises(InputError, match=r"other\.xml:1: file: not the UN consolidated list"):
        parse_file(other, fmt="un-xml")
