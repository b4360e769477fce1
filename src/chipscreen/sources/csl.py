"""trade.gov Consolidated Screening List: the ``consolidated.csv`` export (all 13 sources) and its JSON shape
(the CSL API's ``results`` array, or a JSON array of the same records).

Multi-valued cells are "; "-separated. The Entity List rows carry structure inside the name text:
"Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd." is a
listed affiliate of a named parent, and "X (a.k.a. Y; Z)" carries aliases; both are split out here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from chipscreen.countries import to_iso2
from chipscreen.dates import DateRange
from chipscreen.errors import InputError
from chipscreen.model import Identifier, Relation
from chipscreen.sources.base import (
    Entry,
    Format,
    ParsedDataset,
    RowErrors,
    build_entry,
    clean,
    entity_id,
    merge_entries,
    parse_date,
)
from chipscreen.sources.federal_register import parse_citations
from chipscreen.sources.identifiers import scheme_for
from chipscreen.sources.json_records import JsonRecords
from chipscreen.sources.lines import numbered_rows
from chipscreen.sources.ofac import party_id as ofac_party_id

FORMAT_CSV: Final = "csl-csv"
FORMAT_JSON: Final = "csl-json"

REQUIRED = ("source", "name")
_SOURCE_CODE = re.compile(r"\(([A-Z][A-Z\- ]*?)(?: List)?\)")
_AFFILIATE = re.compile(r"^(?P<parent>.+?)\.?\s+(?:Affiliated Entity|Subordinate Institution)\s*[:\-]\s*(?P<child>.+)$")
_AKA = re.compile(r"\s*[,(]?\s*\b(?:a\.k\.a\.|f\.k\.a\.|d\.b\.a\.)\s*(?P<aliases>[^)]*)\)?\s*$", re.I)
_PARENT_ALIAS = re.compile(r"^(?P<name>.+?)\s*\((?P<alias>[^()]{2,40})\)\s*$")

_KINDS = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}


def list_code(source: str) -> str:
    """ "Entity List (EL) - Bureau of Industry and Security" -> "EL"."""
    m = _SOURCE_CODE.search(source)
    if not m:
        raise ValueError(f"unknown source {source!r}")
    return m.group(1).strip().replace(" ", "-")


def split_multi(cell: str | None) -> list[str]:
    """Split a "; "-separated cell, and the ", and " the Entity List uses before its last alias."""
    if not cell:
        return []
    out: list[str] = []
    for part in re.split(r";\s*", cell):
        part = re.sub(r"^and\s+", "", part.strip())
        out.extend(p.strip() for p in re.split(r",\s+and\s+", part))
    return [p for p in (clean(x) for x in out) if p]


def split_name(raw: str) -> tuple[str, list[str], str | None, list[str]]:
    """(name, aliases in the name text, parent name, parent aliases) from an Entity List name cell."""
    parent: str | None = None
    parent_aliases: list[str] = []
    text = re.sub(r"\s+", " ", raw).strip()
    m = _AFFILIATE.match(text)
    if m:
        parent, text = m["parent"].strip(), m["child"].strip()
        pm = _PARENT_ALIAS.match(parent)
        if pm:
            parent, parent_aliases = pm["name"].strip(" ,"), [pm["alias"].strip()]
    aliases: list[str] = []
    am = _AKA.search(text)
    if am and am.start() > 0:
        aliases = split_multi(am["aliases"])
        text = text[: am.start()].strip(" ,(")
    return text, aliases, parent, parent_aliases


def parse_ids(cell: Any) -> list[Identifier]:
    """The CSL ``ids`` cell: "CC, value, Type; ..." in the CSV, ``[{"type", "number", "country"}]`` in the
    API's JSON (dates of listing are not identifiers and are dropped)."""
    out: list[Identifier] = []
    if isinstance(cell, list):
        for obj in cell:
            if not isinstance(obj, dict):
                continue
            scheme = scheme_for(str(obj.get("type") or ""))
            value = str(obj.get("number") or "").replace(" ", "")
            if scheme and value:
                out.append(Identifier(scheme=scheme, value=value, country=to_iso2(_text(obj.get("country")))))
        return out
    for part in split_multi(_text(cell)):
        bits = [b.strip() for b in part.split(",")]
        if len(bits) < 2:
            continue
        kind, value = bits[-1], bits[-2]
        scheme = scheme_for(kind)
        if scheme is None or not value:
            continue
        country = bits[0] if len(bits) >= 3 and re.fullmatch(r"[A-Z]{2}", bits[0]) else None
        out.append(Identifier(scheme=scheme, value=value.replace(" ", ""), country=country))
    return out


@dataclass(frozen=True)
class _Row:
    """What a CSL record must carry to become an entry, checked."""

    line: int
    cells: dict[str, Any]
    source: str
    raw_name: str
    list_code: str
    window: DateRange


def _checked_row(line: int, row: dict[str, Any], errors: RowErrors) -> _Row | None:
    if "__bad__" in row:
        errors.add(line, "record", str(row["__bad__"]))
        return None
    source = clean(_text(row.get("source")))
    raw_name = clean(_text(row.get("name")))
    if not source:
        errors.add(line, "source", "missing")
        return None
    if not raw_name:
        errors.add(line, "name", "missing")
        return None
    try:
        code = list_code(source)
    except ValueError as exc:
        errors.add(line, "source", str(exc))
        return None
    try:
        window = DateRange(parse_date(_text(row.get("start_date"))), parse_date(_text(row.get("end_date"))))
    except ValueError as exc:
        errors.add(line, "start_date/end_date", str(exc))
        return None
    return _Row(line, row, source, raw_name, code, window)


def _row_entry(path: Path, r: _Row, name: str, name_aliases: list[str]) -> Entry:
    row = r.cells
    addresses = _multi(row.get("addresses"))
    number = clean(_text(row.get("entity_number")))
    # Treasury's sources number their rows with OFAC's ent_num, the id the OFAC files use too
    pid = ofac_party_id(number) if number and r.source.endswith("Treasury Department") else None
    return build_entry(
        source=path.name,
        list_code=r.list_code,
        name=name,
        aliases=[*name_aliases, *_multi(row.get("alt_names"))],
        country=_country_of(addresses) or _json_country(row.get("addresses")),
        addresses=addresses,
        identifiers=parse_ids(row.get("ids")),
        kind=_KINDS.get((clean(_text(row.get("type"))) or "").lower(), "organization"),
        party_id=pid,
        start_date=r.window.start,
        end_date=r.window.end,
        license_requirement=clean(_text(row.get("license_requirement"))),
        review_policy=clean(_text(row.get("license_policy"))),
        federal_register=parse_citations(_text(row.get("federal_register_notice"))),
        programs=_multi(row.get("programs")),
        remarks=clean(_text(row.get("remarks"))),
    )


def _records_to_dataset(
    path: Path, fmt: Format, rows: Iterable[tuple[int, dict[str, Any]]], retrieved: dt.date | None, skip_bad_rows: bool
) -> ParsedDataset:
    errors = RowErrors(str(path), skip_bad_rows)
    entries: list[Entry] = []
    relations: list[Relation] = []
    n = 0
    newest: dt.date | None = None
    for line, cells in rows:
        n += 1
        row = _checked_row(line, cells, errors)
        if row is None:
            continue
        start = row.window.start
        if start and (newest is None or start > newest):
            newest = start
        name, name_aliases, parent, _parent_aliases = split_name(row.raw_name)
        entry = _row_entry(path, row, name, name_aliases)
        entries.append(entry)
        if parent:  # an "Affiliated Entity" of a named parent, as the name text states it
            relations.append(
                Relation(
                    owner_id=entity_id(row.list_code, parent, entry.party.country),
                    owner_name=parent,
                    owned_id=entry.party.id,
                    owned_name=name,
                    kind="affiliate",
                    source=path.name,
                    evidence=row.raw_name,
                )
            )
    skipped = errors.finish()
    return ParsedDataset.of_file(
        path,
        fmt,
        retrieved or newest,
        entries=merge_entries(entries),
        relations=list({(r.owner_id, r.owned_id): r for r in relations}.values()),
        rows_read=n,
        skipped=skipped,
    )


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, list):
        return "; ".join(str(x) for x in v if x is not None)
    return str(v)


def _multi(v: Any) -> list[str]:
    if isinstance(v, list):  # the JSON shape has real arrays (of strings or address objects)
        out = []
        for x in v:
            if isinstance(x, dict):
                x = ", ".join(str(x[k]) for k in ("address", "city", "state", "postal_code", "country") if x.get(k))
                if x:
                    out.append(re.sub(r"^and\s+", "", x))  # the Entity List's "...; and <last address>"
            elif x:  # the download splits the CSV's cells at ";" only: "and X" and "A, and B" are still there
                out.extend(split_multi(str(x)))
        return out
    return split_multi(_text(v))


def _country_of(addresses: list[str]) -> str | None:
    """The CSL ends each address with an ISO-2 country code ("..., Shenzhen, 518129, CN")."""
    for a in addresses:
        m = re.search(r",\s*([A-Z]{2})\s*$", a) or re.fullmatch(r"\s*([A-Z]{2})\s*", a)
        if m:
            return m.group(1)
    return None


def _json_country(cell: Any) -> str | None:
    """The first country of the JSON shape's address objects (``{"country": "CN"}``, or a country name)."""
    if isinstance(cell, list):
        for obj in cell:
            if isinstance(obj, dict) and (iso := to_iso2(_text(obj.get("country")))):
                return iso
    return None


def looks_like_csv(path: Path, head: str) -> bool:
    first = head.split("\n", 1)[0].lower()
    return (
        path.suffix.lower() != ".json"
        and "source" in first
        and "name" in first
        and ("alt_names" in first or "entity_number" in first)
    )


def looks_like_json(path: Path, head: str) -> bool:
    return (
        path.suffix.lower() == ".json" and '"source"' in head and ('"results"' in head or head.lstrip().startswith("["))
    )


def parse_csv(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason}); nothing was imported") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InputError(f"{path}:1: header: missing or unreadable") from None
    header = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{path}:1: header: missing column(s) {', '.join(missing)}")

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for line, cells in numbered_rows(reader, path, lambda: reader.line_num):
            if len(cells) != len(header):
                yield line, {"__bad__": f"{len(cells)} cells, header has {len(header)}"}
                continue
            yield line, dict(zip(header, cells, strict=True))

    def checked() -> Iterator[tuple[int, dict[str, Any]]]:
        for line, row in rows():
            if "__bad__" in row:
                bad.add(line, "row", row["__bad__"])
                continue
            yield line, row

    bad = RowErrors(str(path), skip_bad_rows)
    ds = _records_to_dataset(path, FORMAT_CSV, checked(), retrieved, skip_bad_rows)
    ds.skipped = bad.finish() + ds.skipped
    ds.rows_read += len(bad.problems)
    return ds


def parse_json(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    """trade.gov's JSON (``{"results": [...]}``, or a bare array of the records), streamed: the records are
    decoded one at a time with the line each starts on, so a bad one is reported as ``file:line``."""
    with path.open("rb") as fh:
        stream = JsonRecords(fh, str(path))
        rows = ((n, r if isinstance(r, dict) else {"__bad__": f"not a JSON object: {r!r:.60}"}) for n, r in stream)
        ds = _records_to_dataset(path, FORMAT_JSON, rows, retrieved, skip_bad_rows)
        if not stream.found:
            raise InputError(f"{path}:1: results: expected a JSON array of CSL records (or an object with "
                             "\"results\"); nothing was imported")
    return ds

