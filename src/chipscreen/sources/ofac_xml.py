"""OFAC's "enhanced" XML (the Sanctions List Service's ENHANCED_XML export of the SDN or the consolidated
non-SDN list; served as ``CONS_ENHANCED.ZIP`` / ``SDN_ENHANCED.ZIP``, read zipped or bare).

Unlike the legacy CSV, the XML states its structure: each name with its alias type, low-quality flag and
translations in other scripts; identity documents with their issuing country; address parts; the lists an
entity is on with the date it was published there; relationships to other entities by id. The entity id
is the legacy files' ent_num, so a party read here is the party the CSV and the CSL name ``ofac-<id>``.
Relationships are stored as "linked", as the CSV's "Linked To:" remarks are: OFAC states an association,
which the ownership engine must not read as a share.

Also read: the older ``sdnList`` schema (``sdn.xml``, ``consolidated.xml``), by ``ofac_sdn_xml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import Element

from chipscreen.countries import to_iso2
from chipscreen.model import Address, Identifier, Name, Relation
from chipscreen.sources import ofac_sdn_xml
from chipscreen.sources.base import Entry, ParsedDataset, RowErrors, build_entry, make_name
from chipscreen.sources.identifiers import scheme_for
from chipscreen.sources.ofac import party_id
from chipscreen.sources.official_codes import official_codes
from chipscreen.sources.xml_records import XmlRecords, open_xml, text, texts

FORMAT: Final = "ofac-xml"

ROOT = "sanctionsData"
_RECORDS = frozenset({"referenceValue", "publicationInfo", "entity"})
_KINDS = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}
_ALIAS_KINDS = {"F.K.A.": "former"}  # A.K.A. and N.K.A. (now known as) are names the party goes by
_ADDRESS_ORDER = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE", "REGION")
_NATIONALITY = ("Nationality Country", "Citizenship Country", "Nationality of Registration")


def looks_like(head: str) -> bool:
    return f"<{ROOT}" in head or ofac_sdn_xml.looks_like(head)


@dataclass
class _Context:
    """What the reader carries from record to record: the file, its countries, what it found."""

    source: str
    errors: RowErrors
    countries: dict[str, str] = field(default_factory=dict)  # COUNTRY reference value refId -> ISO-2
    as_of: dt.date | None = None
    scope: frozenset[str] | None = None  # the list codes the export covers (its publicationInfo filters)
    entries: list[Entry] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    records: int = 0


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    """Stream the file's records: reference values (countries), the publication date, then each entity."""
    path = Path(path)
    with open_xml(path) as (fh, where):
        records = XmlRecords(fh, where, _RECORDS | ofac_sdn_xml.RECORDS)
        ctx = _Context(source=path.name, errors=RowErrors(where, skip_bad_rows))
        for line, el in records:
            _read_record(ctx, line, el)
        if records.root is None:
            ctx.errors.add(1, "file", "no XML root element")
        elif records.root[0] not in (ROOT, ofac_sdn_xml.ROOT):
            ctx.errors.add(1, records.root[0], f"not an OFAC XML list (root <{ROOT}> or <{ofac_sdn_xml.ROOT}>)")
    skipped = ctx.errors.finish()
    return ParsedDataset.of_file(
        path,
        FORMAT,
        retrieved or ctx.as_of,
        entries=ctx.entries,
        relations=ctx.relations,
        rows_read=ctx.records,
        skipped=skipped,
    )


def _read_record(ctx: _Context, line: int, el: Element) -> None:
    if el.tag == "referenceValue":
        iso = text(el, "isoCode")
        if text(el, "type") == "COUNTRY" and iso and el.get("refId"):
            ctx.countries[el.get("refId", "")] = iso
    elif el.tag == "publicationInfo":
        _publication(ctx, line, el)
    elif el.tag == "entity":
        ctx.records += 1
        entries = _entity_entries(ctx, line, el)
        ctx.entries.extend(entries)
        if entries:
            ctx.relations.extend(_relations(ctx.source, entries[0], el))
    elif el.tag == "sdnEntry":  # the older schema
        ctx.records += 1
        ctx.entries.extend(ofac_sdn_xml.entries(ctx.source, ctx.errors, line, el))
    elif el.tag == "publshInformation":
        ctx.as_of = ofac_sdn_xml.publish_date(el)


def _publication(ctx: _Context, line: int, el: Element) -> None:
    """The export's date, and which lists it covers: the consolidated export is not a source of the SDN list."""
    try:
        ctx.as_of = dt.date.fromisoformat((text(el, "dataAsOf") or "")[:10])
    except ValueError:
        ctx.errors.add(line, "dataAsOf", f"not a date: {text(el, 'dataAsOf')!r}")
    codes = official_codes()
    scope: set[str] = set()
    for name in texts(el, "filters/sanctionsLists/sanctionsList"):
        covered = codes.ofac_publications.get(name) or ({codes.ofac_lists[name]} if name in codes.ofac_lists else None)
        if covered is None:
            ctx.errors.add(line, "filters/sanctionsList", f"unknown publication {name!r} (add it to "
                           "data/lists/official_xml_lists.yaml)")
        else:
            scope |= covered
    ctx.scope = frozenset(scope) if scope else None


def _entity_entries(ctx: _Context, line: int, el: Element) -> list[Entry]:
    """One entry per list the entity is on within the export (three are on the NS-MBS and the SSI list)."""
    ent = (el.get("id") or "").strip()
    if not ent.isdigit():
        ctx.errors.add(line, "entity/@id", f"not a number: {ent!r}")
        return []
    names = _names(el)
    if not names or names[0].kind != "primary":
        ctx.errors.add(line, "names", "no primary name")
        return []
    lists = _lists(ctx, line, el)
    if lists is None:
        return []
    addresses = _addresses(ctx, el)
    country = next((a.country for a in addresses if a.country), None) or _nationality(el)
    kind = _KINDS.get((text(el, "generalInfo/entityType") or "").lower(), "organization")
    identifiers = _identifiers(ctx, el)
    out = []
    for code, published in lists:
        out.append(build_entry(
            source=ctx.source, list_code=code, name=names[0].value, more_names=names[1:], country=country,
            addresses=addresses, identifiers=identifiers, kind=kind, party_id=party_id(ent),
            start_date=published, programs=texts(el, "sanctionsPrograms/sanctionsProgram"),
            remarks=text(el, "remarks"),
        ))
    return out


def _names(el: Element) -> list[Name]:
    """The primary name first; each translation (a Chinese or Cyrillic spelling) is a name of its own."""
    out: list[Name] = []
    for name in el.iterfind("names/name"):
        primary = text(name, "isPrimary") == "true"
        kind = "primary" if primary else _ALIAS_KINDS.get(text(name, "aliasType") or "", "alias")
        if text(name, "isLowQuality") == "true":
            kind = "weak"  # OFAC's "low quality" a.k.a.: too short or common to screen on alone
        for tr in name.iterfind("translations/translation"):
            value = text(tr, "formattedFullName")
            if not value:
                continue
            first = kind == "primary" and text(tr, "isPrimary") == "true"
            made = make_name(value, "primary" if first else ("alias" if kind == "primary" else kind))
            if first:
                out.insert(0, made)
            else:
                out.append(made)
    return out


def _lists(ctx: _Context, line: int, el: Element) -> list[tuple[str, dt.date | None]] | None:
    """The lists (codes, publication dates) the entity is on within the export's scope; None if bad."""
    codes = official_codes()
    out: list[tuple[str, dt.date | None]] = []
    outside = False
    for item in el.iterfind("sanctionsLists/sanctionsList"):
        label = " ".join((item.text or "").split())
        code = codes.ofac_lists.get(label)
        if code is None and label in codes.ofac_publications:
            continue
        if code is None:
            ctx.errors.add(line, "sanctionsList", f"unknown list {label!r} (add it to data/lists/"
                           "official_xml_lists.yaml)")
            return None
        if ctx.scope is not None and code not in ctx.scope:
            outside = True
            continue
        try:
            published = dt.date.fromisoformat(item.get("datePublished") or "") if item.get("datePublished") else None
        except ValueError:
            ctx.errors.add(line, "sanctionsList/@datePublished", f"not a date: {item.get('datePublished')!r}")
            return None
        out.append((code, published))
    if not out and not outside:
        ctx.errors.add(line, "sanctionsLists", "on no list")
        return None
    return out


def _addresses(ctx: _Context, el: Element) -> list[Address]:
    out = []
    for addr in el.iterfind("addresses/address"):
        country_el = addr.find("country")
        country_name = " ".join((country_el.text or "").split()) if country_el is not None else ""
        iso = (ctx.countries.get(country_el.get("refId", "")) if country_el is not None else None) or to_iso2(
            country_name)
        for tr in addr.iterfind("translations/translation"):
            parts = {text(p, "type") or "": text(p, "value") for p in tr.iterfind("addressParts/addressPart")}
            words = [parts[k] for k in _ADDRESS_ORDER if parts.get(k)]
            if country_name:
                words.append(country_name)
            if words:
                out.append(Address(text=", ".join(w for w in words if w), country=iso))
        if not any(True for _ in addr.iterfind("translations/translation/addressParts")) and country_name:
            out.append(Address(text=country_name, country=iso))
    return list(dict.fromkeys(out))


def _nationality(el: Element) -> str | None:
    for feature in el.iterfind("features/feature"):
        if text(feature, "type") in _NATIONALITY:
            return text(feature, "value")
    return None


def _identifiers(ctx: _Context, el: Element) -> list[Identifier]:
    """Identity documents (USCC, LEI, registration and tax numbers, passports) and the identifier features
    (ISIN, SWIFT/BIC): the registry numbers screening matches exactly."""
    out: list[Identifier] = []
    for doc in el.iterfind("identityDocuments/identityDocument"):
        scheme = scheme_for(text(doc, "type") or "")
        number = (text(doc, "documentNumber") or "").replace(" ", "")
        if scheme and number:
            issuer = doc.find("issuingCountry")
            iso = None
            if issuer is not None:
                iso = ctx.countries.get(issuer.get("refId", "")) or to_iso2(issuer.text)
            out.append(Identifier(scheme=scheme, value=number, country=iso))
    for feature in el.iterfind("features/feature"):
        scheme = scheme_for(text(feature, "type") or "")
        value = (text(feature, "value") or "").replace(" ", "")
        if scheme in ("isin", "swift", "lei") and value:
            out.append(Identifier(scheme=scheme, value=value))
    return list(dict.fromkeys(out))


def _relations(source: str, entry: Entry, el: Element) -> list[Relation]:
    out = []
    for rel in el.iterfind("relationships/relationship"):
        target = rel.find("relatedEntity")
        if target is None:
            continue
        name = " ".join((target.text or "").split()) or None
        other = (target.get("entityId") or "").strip()
        label = text(rel, "type") or "Linked To"
        out.append(Relation(
            owner_id=party_id(other) if other.isdigit() else None, owner_name=name, owned_id=entry.party.id,
            owned_name=entry.party.name, kind="linked", source=source, evidence=f"{label}: {name or other}",
        ))
    return out
