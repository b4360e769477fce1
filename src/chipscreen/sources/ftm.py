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
from pathlib import Path
from typing import Any

from chipscreen.errors import InputError
from chipscreen.model import Identifier, Relation
from chipscreen.sources.base import Entry, ParsedDataset, RowErrors, build_entry, file_sha256, parse_date

FORMAT = "ftm"
FORMAT_DELTA = "ftm-delta"

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


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    errors = RowErrors(str(path), skip_bad_rows)
    records: list[tuple[int, dict[str, Any]]] = []
    deleted: list[str] = []
    is_delta = False
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason}); nothing was imported") from None
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
        if "op" in obj:
            is_delta = True
            op, ent = obj.get("op"), obj.get("entity")
            if op not in ("ADD", "MOD", "DEL") or not isinstance(ent, dict) or not ent.get("id"):
                errors.add(lineno, "op", f"expected ADD/MOD/DEL with an entity id, got {op!r}")
                continue
            if op == "DEL":
                deleted.append(str(ent["id"]))
                continue
            obj = ent
        if not obj.get("id") or not obj.get("schema"):
            errors.add(lineno, "id/schema", "missing")
            continue
        if not isinstance(obj.get("properties", {}), dict):
            errors.add(lineno, "properties", "expected an object")
            continue
        records.append((lineno, obj))

    sanctions: dict[str, list[dict[str, Any]]] = {}
    for _, obj in records:
        if obj["schema"] == "Sanction":
            for ent in obj.get("properties", {}).get("entity", []):
                sanctions.setdefault(ent, []).append(obj.get("properties", {}))
    entries: list[Entry] = []
    relations: list[Relation] = []
    for lineno, obj in records:
        schema, props = obj["schema"], obj.get("properties", {})
        if schema in PARTY_SCHEMAS:
            names = list(props.get("name") or [])
            if obj.get("caption"):  # FtM's caption is the display name it picked among the names
                names = [obj["caption"], *[n for n in names if n != obj["caption"]]]
            if not names:
                errors.add(lineno, "properties.name", "a party needs a name")
                continue
            sanc = sanctions.get(obj["id"], [])
            start = _date([d for s in sanc for d in s.get("listingDate", []) + s.get("startDate", [])])
            end = _date([d for s in sanc for d in s.get("endDate", [])])
            idents = [
                Identifier(scheme=scheme, value=v) for prop, scheme in ID_PROPS.items() for v in props.get(prop, [])
            ]
            countries = props.get("country") or props.get("jurisdiction") or props.get("nationality") or []
            for dataset in obj.get("datasets") or ["ftm"]:
                entries.append(
                    build_entry(
                        source=path.name,
                        list_code=list_code_for(dataset),
                        name=names[0],
                        aliases=[*names[1:], *props.get("alias", []), *props.get("previousName", [])],
                        country=countries[0] if countries else None,
                        addresses=props.get("address", []),
                        identifiers=idents,
                        kind=PARTY_SCHEMAS[schema],
                        party_id=str(obj["id"]),
                        start_date=start,
                        end_date=end,
                        programs=[p for s in sanc for p in s.get("program", [])],
                        remarks="; ".join(props.get("notes", [])) or None,
                    )
                )
        elif schema in ("Ownership", "Directorship"):
            owner = (props.get("owner") or props.get("director") or [None])[0]
            asset = (props.get("asset") or props.get("organization") or [None])[0]
            if not owner or not asset:
                errors.add(lineno, "owner/asset", f"{schema} without both ends")
                continue
            if owner == asset:
                errors.add(lineno, "owner", "an entity cannot own itself")
                continue
            relations.append(
                Relation(
                    owner_id=owner,
                    owned_id=asset,
                    kind="ownership" if schema == "Ownership" else "directorship",
                    share_ppm=_ppm(props.get("percentage", [])),
                    start_date=_date(props.get("startDate", [])),
                    end_date=_date(props.get("endDate", [])),
                    source=path.name,
                    evidence=obj["id"] + ("; " + "; ".join(props.get("role", [])) if props.get("role") else ""),
                )
            )
    skipped = errors.finish()
    return ParsedDataset(
        name=path.name,
        format=FORMAT_DELTA if is_delta else FORMAT,
        path=str(path),
        sha256=file_sha256(path),
        retrieved=retrieved or dt.date.today(),
        entries=entries,
        relations=relations,
        rows_read=len(records) + len(deleted) + len(errors.problems),
        skipped=skipped,
        deleted_ids=deleted,
    )
