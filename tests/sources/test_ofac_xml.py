"""OFAC's enhanced XML (the January 2025 consolidated export, zipped as OFAC serves it) and the older sdnList
XML: every entity, name, identity document and relationship of the file arrives, counted here against the
file itself with ElementTree, and specific real entries keep their scripts, USCC numbers and links."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from chipscreen.errors import InputError
from chipscreen.sources import detect_format, parse_file
from chipscreen.sources.base import ParsedDataset
from chipscreen.sources.identifiers import scheme_for

NS = {"o": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"}


@pytest.fixture(scope="module")
def enhanced_zip(shared_data: Path) -> Path:
    return shared_data / "ofac" / "CONS_ENHANCED_2025-01.ZIP"


@pytest.fixture(scope="module")
def enhanced_xml(enhanced_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ofac") / "CONS_ENHANCED.XML"
    with zipfile.ZipFile(enhanced_zip) as z:
        out.write_bytes(z.read("CONS_ENHANCED.XML"))
    return out


@pytest.fixture(scope="module")
def parsed(enhanced_zip: Path) -> ParsedDataset:
    return parse_file(enhanced_zip)


def test_the_zip_and_the_bare_xml_are_detected_and_read_the_same(
    enhanced_zip: Path, enhanced_xml: Path, parsed: ParsedDataset
) -> None:
    assert detect_format(enhanced_zip) == detect_format(enhanced_xml) == "ofac-xml"
    bare = parse_file(enhanced_xml)
    assert [e.party for e in bare.entries] == [e.party for e in parsed.entries]
    assert [r.model_copy(update={"source": None}) for r in bare.relations] == [
        r.model_copy(update={"source": None}) for r in parsed.relations]
    assert parsed.retrieved == dt.date(2025, 1, 10)  # the file's dataAsOf


def test_every_entity_is_an_entry_on_each_non_sdn_list_it_is_on(enhanced_xml: Path, parsed: ParsedDataset) -> None:
    root = ElementTree.parse(enhanced_xml).getroot()
    entities = root.findall(".//o:entities/o:entity", NS)
    on_lists = [sl for e in entities for sl in e.findall("o:sanctionsLists/o:sanctionsList", NS)
                if sl.text not in ("Consolidated List", "SDN List")]
    assert parsed.rows_read == len(entities) == 443
    assert len(parsed.entries) == len(on_lists) == 446
    assert {f"ofac-{e.get('id')}" for e in entities} == {e.party.id for e in parsed.entries}
    assert parsed.list_codes == ["CAP", "CMIC", "FSE", "NS-MBS", "PLC", "SSI"]


def test_the_consolidated_export_is_no_source_of_the_sdn_list(enhanced_xml: Path, tmp_path: Path) -> None:
    """77 of its entities are on the SDN list too; read as the SDN list they would replace all of it."""
    text = enhanced_xml.read_text(encoding="utf-8")
    assert text.count(">SDN List</sanctionsList>") == 77
    as_sdn_export = tmp_path / "SDN_ENHANCED.XML"
    as_sdn_export.write_text(text.replace('<sanctionsList refId="91512">Consolidated List</sanctionsList>\n      </',
                                          '<sanctionsList refId="91507">SDN List</sanctionsList>\n      </', 1),
                             encoding="utf-8")
    sdn = parse_file(as_sdn_export)
    assert sdn.list_codes == ["SDN"] and len(sdn.entries) == 77


def test_every_name_translation_low_quality_alias_and_relationship_arrives(
    enhanced_xml: Path, parsed: ParsedDataset
) -> None:
    root = ElementTree.parse(enhanced_xml).getroot()
    by_id = {e.party.id: e.party for e in parsed.entries}
    for entity in root.findall(".//o:entities/o:entity", NS):
        party = by_id[f"ofac-{entity.get('id')}"]
        written = {t.findtext("o:formattedFullName", namespaces=NS) for t in entity.iterfind(".//o:translation", NS)}
        assert {n.value for n in party.names} == {w for w in written if w}
        low = {t.findtext("o:formattedFullName", namespaces=NS)
               for n in entity.iterfind("o:names/o:name", NS) if n.findtext("o:isLowQuality", namespaces=NS) == "true"
               for t in n.iterfind(".//o:translation", NS)}
        assert {n.value for n in party.names if n.kind == "weak"} == low
    relationships = root.findall(".//o:relationship", NS)
    assert len(parsed.relations) == len(relationships) == 283
    assert {r.kind for r in parsed.relations} == {"linked"}  # associations, never ownership shares


def test_registry_documents_and_identifier_features_become_identifiers(
    enhanced_xml: Path, parsed: ParsedDataset
) -> None:
    root = ElementTree.parse(enhanced_xml).getroot()
    by_id = {e.party.id: e.party for e in parsed.entries}
    uscc = 0
    for entity in root.findall(".//o:entities/o:entity", NS):
        docs = {(scheme_for(d.findtext("o:type", default="", namespaces=NS)),
                 d.findtext("o:documentNumber", default="", namespaces=NS).replace(" ", ""))
                for d in entity.iterfind("o:identityDocuments/o:identityDocument", NS)}
        features = {(scheme_for(f.findtext("o:type", default="", namespaces=NS)),
                     f.findtext("o:value", default="", namespaces=NS).replace(" ", ""))
                    for f in entity.iterfind("o:features/o:feature", NS)}
        expected = {d for d in docs if d[0] and d[1]} | {f for f in features if f[0] in ("isin", "swift", "lei")}
        assert {(i.scheme, i.value) for i in by_id[f"ofac-{entity.get('id')}"].identifiers} == expected
        uscc += sum(1 for d in expected if d[0] == "uscc")
    assert uscc == 58


def test_a_chinese_entity_keeps_its_chinese_name_its_uscc_and_both_addresses(parsed: ParsedDataset) -> None:
    megvii = next(e for e in parsed.entries if e.party.id == "ofac-33091")
    assert megvii.listing.list_code == "CMIC" and megvii.listing.start_date == dt.date(2021, 12, 16)
    assert megvii.listing.programs == ["CMIC-EO13959"]
    assert ("旷视科技有限公司", "alias", "Han") in {(n.value, n.kind, n.script) for n in megvii.party.names}
    assert {a.country for a in megvii.party.addresses} == {"KY", "CN"}
    zhonghang = next(e for e in parsed.entries if e.party.name.startswith("ZHONGHANG ELECTRONIC"))
    assert ("uscc", "91610000745016111K", "CN") in {(i.scheme, i.value, i.country) for i in zhonghang.party.identifiers}
    assert ("isin", "CNE100000T08") in {(i.scheme, i.value) for i in zhonghang.party.identifiers}


def test_a_relationship_is_a_link_to_the_other_entity_by_id_and_name(parsed: ParsedDataset) -> None:
    link = next(r for r in parsed.relations if r.owned_id == "ofac-9647")
    assert (link.owner_id, link.owner_name, link.kind) == ("ofac-4695", "HAMAS", "linked")
    assert link.evidence == "Acting for or on behalf of: HAMAS"


def test_an_entity_on_two_lists_is_an_entry_on_each(parsed: ParsedDataset) -> None:
    codes: dict[str, set[str]] = {}
    for e in parsed.entries:
        codes.setdefault(e.party.id, set()).add(e.listing.list_code)
    assert [c for c in codes.values() if len(c) > 1] == [{"NS-MBS", "SSI"}] * 3


def test_the_older_sdn_list_schema_is_read_with_its_weak_aliases(shared: Path) -> None:
    folder = shared / "csl" / "govwizely_legacy_fixtures"
    sdn = parse_file(folder / "sdn.xml")
    root = ElementTree.parse(folder / "sdn.xml").getroot()
    ns = {"s": "http://tempuri.org/sdnList.xsd"}
    assert len(sdn.entries) == len(root.findall("s:sdnEntry", ns)) and sdn.list_codes == ["SDN"]
    assert sdn.retrieved == dt.date(2014, 7, 16)
    bnc = next(e for e in sdn.entries if e.party.id == "ofac-306")
    assert ("BNC", "weak") in {(n.value, n.kind) for n in bnc.party.names}
    assert ("NATIONAL BANK OF CUBA", "alias") in {(n.value, n.kind) for n in bnc.party.names}
    cons = parse_file(folder / "treasury_consolidated.xml")
    assert len(cons.entries) == len(ElementTree.parse(folder / "treasury_consolidated.xml").getroot()
                                    .findall("s:sdnEntry", ns))
    vtb = next(e for e in cons.entries if e.party.id == "ofac-17013")
    assert vtb.listing.list_code == "SSI"
    assert ("registration", "1027739609391", "RU") in {(i.scheme, i.value, i.country) for i in vtb.party.identifiers}


def test_a_bad_entity_is_named_by_line_and_skippable(enhanced_xml: Path, tmp_path: Path) -> None:
    text = enhanced_xml.read_text(encoding="utf-8")
    broken = tmp_path / "cons.xml"
    broken.write_text(text.replace('<entity id="33091">', '<entity id="3309x">', 1), encoding="utf-8")
    line = text[: text.index('<entity id="33091">')].count("\n") + 1
    with pytest.raises(InputError, match=rf"cons\.xml:{line}: entity/@id: not a number: '3309x'"):
        parse_file(broken)
    skipped = parse_file(broken, skip_bad_rows=True)
    assert len(skipped.skipped) == 1 and skipped.rows_read == 443 and len(skipped.entries) == 445


def test_an_unknown_list_is_refused_rather_than_guessed(enhanced_xml: Path, tmp_path: Path) -> None:
    text = enhanced_xml.read_text(encoding="utf-8")
    broken = tmp_path / "cons.xml"
    broken.write_text(text.replace(">Non-SDN CMIC List<", ">Non-SDN Something New List<"), encoding="utf-8")
    with pytest.raises(InputError, match=r"sanctionsList: unknown list 'Non-SDN Something New List'"):
        parse_file(broken)


def test_a_truncated_file_or_archive_is_refused_with_its_line(
    enhanced_xml: Path, enhanced_zip: Path, tmp_path: Path
) -> None:
    data = enhanced_xml.read_bytes()
    cut = tmp_path / "cons.xml"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cons\.xml:\d+: XML: (no element found|unclosed token)"):
        parse_file(cut)
    zipped = tmp_path / "cons.zip"
    zipped.write_bytes(enhanced_zip.read_bytes()[:100_000])
    with pytest.raises(InputError, match=r"cons\.zip:1: file: "):
        parse_file(zipped, fmt="ofac-xml")


def test_a_document_type_declaration_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "sdn.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE sdnList [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<sdnList><sdnEntry><uid>1</uid>'
                    "<lastName>&b;</lastName></sdnEntry></sdnList>\n")
    with pytest.raises(InputError, match=r"sdn\.xml:2: XML: a document type declaration"):
        parse_file(bomb, fmt="ofac-xml")
