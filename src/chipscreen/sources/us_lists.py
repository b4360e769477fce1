"""The 2026-07 US list snapshots (``us_lists_2026-07/*.json``): BIS Entity List (eCFR Supp. 4 to part 744),
MEU, DPL, OFAC NS-CMIC and the E.O. 14032 annex, DoD 1260H/1286, FCC, UFLPA, CBP WRO, State lists.

All share one record shape: ``name, aliases[], country, address, status, effective_date,
federal_register, notes``. For the Entity List the notes column is the licence requirement with the
eCFR footnote digits left at its end ("...744.11 of the EAR) 4"): we keep those FDP footnote numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Final

from chipscreen.errors import InputError
from chipscreen.model import Identifier, PartyKind
from chipscreen.sources.base import (
    Entry,
    ParsedDataset,
    RowErrors,
    build_entry,
    clean,
    parse_date,
)
from chipscreen.sources.federal_register import earliest_date, parse_citations
from chipscreen.sources.fr_effective import listing_start
from chipscreen.sources.lines import read_text

FORMAT: Final = "us-lists-json"

# list_id in the file -> (list code, party kind). Codes follow the CSL's where the CSL has the list.
LIST_CODES: dict[str, tuple[str, PartyKind]] = {
    "bis-entity-list": ("EL", "organization"),
    "bis-meu": ("MEU", "organization"),
    "bis-dpl": ("DPL", "unknown"),
    "ofac-nscmic": ("CMIC", "organization"),
    "ofac-eo14032": ("EO14032", "organization"),
    "dow-1260h": ("1260H", "organization"),
    "dow-1286": ("1286", "organization"),
    "fcc-covered": ("FCC", "organization"),
    "dhs-uflpa": ("UFLPA", "organization"),
    "cbp-wro": ("WRO", "organization"),
    "state-debarred-statutory": ("DTC", "unknown"),
    "state-debarred-admin": ("DTC-ADMIN", "unknown"),
    "state-nonproliferation": ("ISN", "unknown"),
}

_SECTION_REF = re.compile(r"\d{3}\.\d+[a-z]?\s*(?:\([a-z0-9]+\))*")
_FOOTNOTE = re.compile(r"(?<![\w.§(])([1-5])(?![\w.(])")
_USCC = re.compile(r"USCC:\s*([0-9A-Z]{18})")


def entity_list_footnotes(notes: str | None) -> list[int]:
    """FDP footnote numbers the eCFR leaves in the licence-requirement text: 1 (Huawei FDP), 3 (Russia/
    Belarus MEU FDP), 4 (advanced-computing FDP), 5 (SME FDP). Section numbers are removed first so that
    "734.9(e)(2)" is not read as footnote 2."""
    if not notes:
        return []
    text = _SECTION_REF.sub(" ", notes)
    text = re.sub(r"(?i)supplement no\. \d+|part \d+", " ", text)
    return sorted({int(m) for m in _FOOTNOTE.findall(text)})


def _distinct_ids(entries: list[Entry]) -> list[Entry]:
    """Each record of these files is its own entry (the Entity List repeats a name with other addresses),
    so a repeated content id gets an ordinal suffix in file order instead of being merged."""
    seen: dict[str, int] = {}
    out = []
    for e in entries:
        n = seen.get(e.party.id, 0) + 1
        seen[e.party.id] = n
        if n > 1:
            pid = f"{e.party.id}-{n}"
            e = Entry(
                party=e.party.model_copy(update={"id": pid}), listing=e.listing.model_copy(update={"party_id": pid})
            )
        out.append(e)
    return out


def looks_like(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and '"entities"' in head and '"list_id"' in head


def _read_document(path: Path) -> tuple[dict[str, Any], str, PartyKind]:
    """The file's object, its list code and the kind of party it lists."""
    try:
        doc = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: JSON: {exc.msg} (column {exc.colno}); nothing was imported") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason}); nothing was imported") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("entities"), list):
        raise InputError(f'{path}: entities: expected an object with an "entities" array')
    list_id = doc.get("list_id")
    if list_id not in LIST_CODES:
        raise InputError(f"{path}: list_id: unknown list {list_id!r}; known: {', '.join(sorted(LIST_CODES))}")
    code, kind = LIST_CODES[list_id]
    return doc, code, kind


def _extracted(doc: dict[str, Any], errors: RowErrors) -> dt.date | None:
    """The day the file was extracted, which is when its lists were retrieved."""
    if not doc.get("extracted"):
        return None
    try:
        return dt.date.fromisoformat(doc["extracted"])
    except ValueError:
        errors.add(None, "extracted", f"not an ISO date: {doc['extracted']!r}")
        return None


def _record_entry(path: Path, where: str, rec: Any, code: str, kind: PartyKind, errors: RowErrors) -> Entry | None:
    """One record of ``entities``; ``where`` locates it for the error report."""
    if not isinstance(rec, dict):
        errors.add(None, where, "expected an object")
        return None
    name = clean(rec.get("name"))
    if not name:
        errors.add(None, f"{where}.name", "missing or empty")
        return None
    aliases = rec.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        errors.add(None, f"{where}.aliases", "expected a list of strings")
        return None
    cites = parse_citations(rec.get("federal_register"))
    try:
        effective = parse_date(rec.get("effective_date"))
    except ValueError as exc:
        errors.add(None, f"{where}.effective_date", str(exc))
        return None
    notes = clean(rec.get("notes"))
    address = clean(rec.get("address"))
    identifiers = [Identifier(scheme="uscc", value=m, country="CN") for m in _USCC.findall(notes)] if notes else []
    return build_entry(
        source=path.name,
        list_code=code,
        name=name,
        aliases=aliases,
        country=clean(rec.get("country")),
        addresses=[a for a in re.split(r";\s*and\s+", address)] if address else [],
        identifiers=identifiers,
        kind="person" if code in ("DTC", "DTC-ADMIN") and "," in name and kind == "unknown" else kind,
        start_date=(listing_start(cites) if code == "EL" else earliest_date(cites)) or effective,
        end_date=None,
        license_requirement=notes if code in ("EL", "MEU") else None,
        federal_register=cites,
        footnotes=entity_list_footnotes(notes) if code == "EL" else [],
        remarks=notes if code not in ("EL", "MEU") else None,
    )


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    doc, code, kind = _read_document(path)
    errors = RowErrors(str(path), skip_bad_rows)
    if retrieved is None:
        retrieved = _extracted(doc, errors)
    entries: list[Entry] = []
    for i, rec in enumerate(doc["entities"]):
        entry = _record_entry(path, f"entities[{i}]", rec, code, kind, errors)
        if entry is not None:
            entries.append(entry)
    skipped = errors.finish()
    return ParsedDataset.of_file(
        path,
        FORMAT,
        retrieved,
        entries=_distinct_ids(entries),
        rows_read=len(doc["entities"]),
        skipped=skipped,
    )
