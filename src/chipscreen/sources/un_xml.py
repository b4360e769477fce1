"""The UN Security Council Consolidated List XML (``consolidated.xml``: ``INDIVIDUALS`` and ``ENTITIES``).

Every entry is one list, "UN" (``data/lists/official_xml_lists.yaml``); the sanctions committee that listed
it (Al-Qaida, DPRK, Iran, ...) is its programme. The party id is the record's DATAID, which the UN keeps
across versions of an entry (VERSIONNUM counts them); the reference number (``QDi.001``) is kept as an
identifier so an answer can cite it. An alias the UN marks "Low" quality is stored as a weak name: the UN
itself says such a name is too imprecise to identify anyone by it alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import Element

from chipscreen.countries import to_iso2
from chipscreen.model import Address, Identifier, Name
from chipscreen.sources.base import Entry, ParsedDataset, RowErrors, build_entry, make_name
from chipscreen.sources.identifiers import scheme_for
from chipscreen.sources.official_codes import official_codes
from chipscreen.sources.xml_records import XmlRecords, open_xml, text, texts

FORMAT: Final = "un-xml"

ROOT = "CONSOLIDATED_LIST"
REFERENCE_SCHEME = "un_reference"
_RECORDS = {"INDIVIDUAL": "person", "ENTITY": "organization"}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ALIAS_KINDS = {"good": "alias", "a.k.a.": "alias", "low": "weak", "f.k.a.": "former"}
_XS_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")


def looks_like(head: str) -> bool:
    return f"<{ROOT}" in head


@dataclass
class _Read:
    source: str
    errors: RowErrors
    code: str
    entries: list[Entry] = field(default_factory=list)
    records: int = 0


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    path = Path(path)
    with open_xml(path) as (fh, where):
        records = XmlRecords(fh, where, frozenset(_RECORDS))
        read = _Read(source=path.name, errors=RowErrors(where, skip_bad_rows), code=official_codes().un_code)
        for line, el in records:
            read.records += 1
            entry = _entry(read, line, el)
            if entry is not None:
                read.entries.append(entry)
        if records.root is None or records.root[0] != ROOT:
            found = f"<{records.root[0]}>" if records.root else "no root element"
            read.errors.add(1, "file", f"not the UN consolidated list (root <{ROOT}>, found {found})")
    skipped = read.errors.finish()
    generated = (records.root[1].get("dateGenerated") or "")[:10] if records.root else ""
    return ParsedDataset.of_file(
        path,
        FORMAT,
        retrieved or _date_or_none(generated),
        entries=read.entries,
        rows_read=read.records,
        skipped=skipped,
    )


def _date_or_none(value: str) -> dt.date | None:
    """An ``xs:date``: the UN writes some with a time zone ("2015-04-07-04:00"); the date is as written."""
    m = _XS_DATE.fullmatch(value.strip())
    try:
        return dt.date.fromisoformat(m.group(1)) if m else None
    except ValueError:
        return None


def _entry(read: _Read, line: int, el: Element) -> Entry | None:
    data_id = text(el, "DATAID") or ""
    if not data_id.isdigit():
        read.errors.add(line, "DATAID", f"not a number: {data_id!r}")
        return None
    name = " ".join(p for p in (text(el, part) for part in _NAME_PARTS) if p)
    if not name:
        read.errors.add(line, "FIRST_NAME", "missing")
        return None
    listed = text(el, "LISTED_ON")
    listed_on = _date_or_none(listed or "")
    if listed and listed_on is None:
        read.errors.add(line, "LISTED_ON", f"not a date: {listed!r}")
        return None
    addresses = _addresses(el)
    nationality = next((c for c in map(to_iso2, texts(el, "NATIONALITY/VALUE")) if c), None)
    reference = text(el, "REFERENCE_NUMBER")
    ids = [Identifier(scheme=REFERENCE_SCHEME, value=reference)] if reference else []
    return build_entry(
        source=read.source, list_code=read.code, name=name, more_names=_aliases(el),
        country=next((a.country for a in addresses if a.country), None) or nationality, addresses=addresses,
        identifiers=ids + _documents(el), kind=_RECORDS[el.tag], party_id=f"un-{data_id}", start_date=listed_on,
        programs=texts(el, "UN_LIST_TYPE"), remarks=text(el, "COMMENTS1"),
    )


def _aliases(el: Element) -> list[Name]:
    out = [make_name(v, "alias") for v in texts(el, "NAME_ORIGINAL_SCRIPT")]
    for alias in el.iterfind(f"{el.tag}_ALIAS"):
        value = text(alias, "ALIAS_NAME")
        if value:
            out.append(make_name(value, _ALIAS_KINDS.get((text(alias, "QUALITY") or "").lower(), "alias")))
    return out


def _addresses(el: Element) -> list[Address]:
    out = []
    for addr in el.iterfind(f"{el.tag}_ADDRESS"):
        words = [w for w in (text(addr, part) for part in _ADDRESS_PARTS) if w]
        if words:
            out.append(Address(text=", ".join(words), country=to_iso2(text(addr, "COUNTRY"))))
    return list(dict.fromkeys(out))


def _documents(el: Element) -> list[Identifier]:
    out = []
    for doc in el.iterfind(f"{el.tag}_DOCUMENT"):
        scheme = scheme_for(text(doc, "TYPE_OF_DOCUMENT") or "")
        number = (text(doc, "NUMBER") or "").replace(" ", "")
        if scheme and number:
            country = to_iso2(text(doc, "ISSUING_COUNTRY") or text(doc, "COUNTRY_OF_ISSUE"))
            out.append(Identifier(scheme=scheme, value=number, country=country))
    return out
