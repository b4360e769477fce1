"""OFAC's older XML schema (``sdnList`` of ``sdnEntry``, http://tempuri.org/sdnList.xsd): the ``sdn.xml`` and
``consolidated.xml`` Treasury published before the enhanced export, and archives still hold.

It says less than the enhanced XML (no scripts, no relationships, no listing dates) but it states an
alias's category: a "weak" a.k.a. is kept as a weak name. Which list an entry is on is not in the file:
``sdn*.xml`` is the SDN list; any other file is the non-SDN consolidated list, placed by programme as the
legacy CSV reader places it.
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element

from chipscreen.countries import to_iso2
from chipscreen.model import Address, Identifier, Name
from chipscreen.sources.base import Entry, RowErrors, build_entry, make_name, parse_date
from chipscreen.sources.identifiers import scheme_for
from chipscreen.sources.ofac import non_sdn_code, party_id
from chipscreen.sources.xml_records import text, texts

ROOT = "sdnList"
RECORDS = frozenset({"publshInformation", "sdnEntry"})  # sic: "publsh" is the schema's spelling
_KINDS = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}
_ADDRESS_PARTS = ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country")


def looks_like(head: str) -> bool:
    return f"<{ROOT}" in head


def publish_date(el: Element) -> dt.date | None:
    """The ``Publish_Date`` of a ``publshInformation`` record (MM/DD/YYYY), None when unreadable."""
    try:
        return parse_date(text(el, "Publish_Date"))
    except ValueError:
        return None


def entries(source: str, errors: RowErrors, line: int, el: Element) -> list[Entry]:
    """The entry of one ``sdnEntry`` record ([] and a bad-row note when it lacks an id or a name)."""
    uid = text(el, "uid") or ""
    if not uid.isdigit():
        errors.add(line, "uid", f"not a number: {uid!r}")
        return []
    name = _full_name(el)
    if not name:
        errors.add(line, "lastName", "missing")
        return []
    programs = texts(el, "programList/program")
    is_sdn = source.lower().startswith("sdn")
    addresses = _addresses(el)
    country = next((a.country for a in addresses if a.country), None)
    return [build_entry(
        source=source, list_code="SDN" if is_sdn else non_sdn_code(" ".join(programs)), name=name,
        more_names=_akas(el), country=country, addresses=addresses, identifiers=_identifiers(el),
        kind=_KINDS.get((text(el, "sdnType") or "").lower(), "organization"), party_id=party_id(uid),
        programs=programs, remarks=text(el, "remarks"),
    )]


def _full_name(el: Element) -> str | None:
    """"LAST, First" as OFAC's other files write a person's name; an entity's name is all in lastName."""
    last, first = text(el, "lastName"), text(el, "firstName")
    if last and first:
        return f"{last}, {first}"
    return last or first


def _akas(el: Element) -> list[Name]:
    out = []
    for aka in el.iterfind("akaList/aka"):
        name = _full_name(aka)
        if not name:
            continue
        kind = "former" if (text(aka, "type") or "").lower() == "f.k.a." else "alias"
        if (text(aka, "category") or "").lower() == "weak":
            kind = "weak"
        out.append(make_name(name, kind))
    return out


def _addresses(el: Element) -> list[Address]:
    out = []
    for addr in el.iterfind("addressList/address"):
        words = [w for w in (text(addr, part) for part in _ADDRESS_PARTS) if w]
        if words:
            out.append(Address(text=", ".join(words), country=to_iso2(text(addr, "country"))))
    return out


def _identifiers(el: Element) -> list[Identifier]:
    out = []
    for item in el.iterfind("idList/id"):
        scheme = scheme_for(text(item, "idType") or "")
        number = (text(item, "idNumber") or "").replace(" ", "")
        if scheme and number:
            out.append(Identifier(scheme=scheme, value=number, country=to_iso2(text(item, "idCountry"))))
    return out
