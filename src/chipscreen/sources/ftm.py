"""FollowTheMoney entities as JSON lines (``{"id", "schema", "properties", "datasets", ...}``) and the
delta format (``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}``).

Parties (Person, Company, Organization, LegalEntity, Vessel...) become entries, one per FtM dataset they
belong to; Sanction entities date them; Ownership and Directorship entities become relations with the
percentage kept as integer ppm. A delta is applied by the store onto the dataset it follows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from chipscreen.dates import DateRange
from chipscreen.errors import InputError
from chipscreen.model import Identifier, Relation
from chipscreen.sources.base import Entry, ParsedDataset, RowErrors, build_entry, parse_date

FORMAT: Final = "ftm"
FORMAT_DELTA: Final = "ftm-delta"

PARTY_SCHEMAS = {
    "Person": "person",
    "Company": "organization",
    "Organization": "organization",
    "LegalEntity": "unknown",
    "PublicBody": "organization",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
# OpenSanctions dataset names of US lists -> CSL list codes; other datasets keep their own name.
DATASET_CODES = {
    "us_ofac_sdn": "SDN",
    "us_ofac_cons": "NS-MBS",
    "us_bis_denied": "DPL",
    "us_trade_csl": "CSL",
    "us_bis_entity_list": "EL",
    "us_bis_meu": "MEU",
}
ID_PROPS = {
    "leiCode": "lei",
    "innCode": "tax",
    "taxNumber": "tax",
    "registrationNumber": "registration",
    "ogrnCode": "registration",
    "uniqueEntityId": "registration",
    "isinCode": "isin",
    "imoNumber": "imo",
    "swiftBic": "swift",
}


def looks_like(path: Path, head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0]
    return first.startswith("{") and ('"schema"' in first or '"op"' in first)


def list_code_for(dataset: str) -> str:
    return DATASET_CODES.get(dataset, dataset.upper())


def _date(values: list[str]) -> dt.date | None:
    for v in values:
        try:
            return parse_date(v[:10])
        except ValueError:
            continue
    return None


def _ppm(values: list[str]) -> int | None:
    """FtM ``percentage`` is free text ("50", "50.5%", "25.00"): exact decimal to ppm without floats."""
    for v in values:
        m = re.fullmatch(r"\s*(\d{1,3})(?:[.,](\d{1,4}))?\s*%?\s*", v)
        if m:
            frac = (m.group(2) or "").ljust(4, "0")
            return int(m.group(1)) * 10_000 + int(frac)
    return None


@dataclass
class _Records:
    """The well-formed lines of a file: entity objects by line, and the ids a delta deletes."""

    objects: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    is_delta: bool = False


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason}); nothing was imported") from None


def _entity_of(lineno: int, obj: dict[str, Any], out: _Records, errors: RowErrors) -> dict[str, Any] | None:
    """The entity a line states: the object itself, or the entity of a delta's ADD/MOD (a DEL is recorded)."""
    if "op" not in obj:
        return obj
    out.is_delta = True
    op, ent = obj.get("op"), obj.get("entity")
    if op not in ("ADD", "MOD", "DEL") or not isinstance(ent, dict) or not ent.get("id"):
        errors.add(lineno, "op", f"expected ADD/MOD/DEL with an entity id, got {op!r}")
        return None
    if op == "DEL":
        out.deleted.append(str(ent["id"]))
        return None
    return ent


def _read_records(lines: list[str], errors: RowErrors) -> _Records:
    out = _Records()
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.add(lineno, "JSON", f"{exc.msg} (column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            errors.add(lineno, "JSON", "expected an object")
            continue
        ent = _entity_of(lineno, obj, out, errors)
        if ent is None:
            continue
        if not ent.get("id") or not ent.get("schema"):
            errors.add(lineno, "id/schema", "missing")
            continue
        if not isinstance(ent.get("properties", {}), dict):
            errors.add(lineno, "properties", "expected an object")
            continue
        out.objects.append((lineno, ent))
    return out


def _sanctions_by_entity(objects: list[tuple[int, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The properties of the Sanction entities that name each party: they date its listing."""
    sanctions: dict[str, list[dict[str, Any]]] = {}
    for _, obj in objects:
        if obj["schema"] == "Sanction":
            for ent in obj.get("properties", {}).get("entity", []):
                sanctions.setdefault(ent, []).append(obj.get("properties", {}))
    return sanctions


def _listing_window(sanctions: list[dict[str, Any]]) -> DateRange:
    start = _date([d for s in sanctions for d in s.get("listingDate", []) + s.get("startDate", [])])
    return DateRange(start, _date([d for s in sanctions for d in s.get("endDate", [])]))


def _party_entries(
    path: Path, lineno: int, obj: dict[str, Any], sanctions: list[dict[str, Any]], errors: RowErrors
) -> list[Entry]:
    """One entry per FtM dataset the party belongs to."""
    props = obj.get("properties", {})
    names = list(props.get("name") or [])
    if obj.get("caption"):  # FtM's caption is the display name it picked among the names
        names = [obj["caption"], *[n for n in names if n != obj["caption"]]]
    if not names:
        errors.add(lineno, "properties.name", "a party needs a name")
        return []
    window = _listing_window(sanctions)
    idents = [Identifier(scheme=scheme, value=v) for prop, scheme in ID_PROPS.items() for v in props.get(prop, [])]
    countries = props.get("country") or props.get("jurisdiction") or props.get("nationality") or []
    return [
        build_entry(
            source=path.name,
            list_code=list_code_for(dataset),
            name=names[0],
            aliases=[*names[1:], *props.get("alias", []), *props.get("previousName", [])],
            country=countries[0] if countries else None,
            addresses=props.get("address", []),
            identifiers=idents,
            kind=PARTY_SCHEMAS[obj["schema"]],
            party_id=str(obj["id"]),
            start_date=window.start,
            end_date=window.end,
            programs=[p for s in sanctions for p in s.get("program", [])],
            remarks="; ".join(props.get("notes", [])) or None,
        )
        for dataset in obj.get("datasets") or ["ftm"]
    ]


def _relation(path: Path, lineno: int, obj: dict[str, Any], errors: RowErrors) -> Relation | None:
    """An Ownership or Directorship entity as a relation, its percentage kept as integer ppm."""
    schema, props = obj["schema"], obj.get("properties", {})
    owner = (props.get("owner") or props.get("director") or [None])[0]
    asset = (props.get("asset") or props.get("organization") or [None])[0]
    if not owner or not asset:
        errors.add(lineno, "owner/asset", f"{schema} without both ends")
        return None
    if owner == asset:
        errors.add(lineno, "owner", "an entity cannot own itself")
        return None
    window = DateRange(_date(props.get("startDate", [])), _date(props.get("endDate", [])))
    return Relation(
        owner_id=owner,
        owned_id=asset,
        kind="ownership" if schema == "Ownership" else "directorship",
        share_ppm=_ppm(props.get("percentage", [])),
        start_date=window.start,
        end_date=window.end,
        source=path.name,
        evidence=obj["id"] + ("; " + "; ".join(props.get("role", [])) if props.get("role") else ""),
    )


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    errors = RowErrors(str(path), skip_bad_rows)
    records = _read_records(_read_lines(path), errors)
    sanctions = _sanctions_by_entity(records.objects)
    entries: list[Entry] = []
    relations: list[Relation] = []
    for lineno, obj in records.objects:
        if obj["schema"] in PARTY_SCHEMAS:
            entries.extend(_party_entries(path, lineno, obj, sanctions.get(obj["id"], []), errors))
        elif obj["schema"] in ("Ownership", "Directorship"):
            relation = _relation(path, lineno, obj, errors)
            if relation is not None:
                relations.append(relation)
    skipped = errors.finish()
    return ParsedDataset.of_file(
        path,
        FORMAT_DELTA if records.is_delta else FORMAT,
        retrieved,
        entries=entries,
        relations=relations,
        rows_read=len(records.objects) + len(records.deleted) + len(errors.problems),
        skipped=skipped,
        deleted_ids=records.deleted,
    )
