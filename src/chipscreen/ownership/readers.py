"""Readers for the small ownership formats: our CSV, FollowTheMoney Ownership entities, BODS, GLEIF API JSON.

Each returns a ``ParsedOwnership``. Hard errors (a row a user must fix) are collected with ``file:line`` and
raised together as one ``InputError``; doubtful but usable source data (real registries overlap in time and
exceed 100%) becomes a warning that is stored with the dataset and surfaces as a data-quality flag.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from chipscreen.countries import to_iso2
from chipscreen.errors import InputError, RowProblem
from chipscreen.ownership.csv_columns import csv_header, csv_share
from chipscreen.ownership.parsed import (
    ParsedOwnership,
    Rows,
    file_sha256,
    iso_date,
    over_100_problems,
    partial_date,
    percent_to_ppm,
)
from chipscreen.ownership.tables import (
    BRANCH,
    CONTROL,
    OWNERSHIP,
    PARENT_DIRECT,
    PARENT_ULTIMATE,
)
from chipscreen.text import fold_words


def _simple_key(name: str) -> str:
    """Within-file identity of a name-only party (the store resolves it properly with ``own_norm``)."""
    return fold_words(name)


def _raise(path: str, problems: list[RowProblem]) -> None:
    if problems:
        raise InputError(f"{path}: {len(problems)} problem(s); nothing was loaded", problems)


def _country(value: str | None, path: str, line: int, fieldname: str, problems: list[RowProblem]) -> str | None:
    if not value or not value.strip():
        return None
    code = to_iso2(value)
    if code is None:
        problems.append(RowProblem(path, line, fieldname, f"unknown country {value!r}"))
    return code


def _date_or_warn(text: Any, *, end: bool, warnings: list[RowProblem], path: str, line: int | None,
                  fieldname: str) -> dt.date | None:
    """A partial/ISO date from FtM, BODS or GLEIF; an unreadable one is a warning (treated as open)."""
    value = partial_date(text, end=end)
    if value is None and text not in (None, ""):
        warnings.append(RowProblem(path, line, fieldname, f"unknown date format {text!r}; treated as open"))
    return value


# ------------------------------------------------------------------------------------------------ CSV
def read_csv(path: Path) -> ParsedOwnership:
    """``owner,owned,percent,start,end`` (+ optional countries, HQs and ids); percent is 0..100."""
    p = str(path)
    rows = Rows()
    problems: list[RowProblem] = []
    count = 0
    seen: dict[tuple[Any, ...], int] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        share_column, warnings = csv_header(p, header)
        reader.fieldnames = header
        for line_no, raw in enumerate(reader, start=2):
            count += 1
            r = {k: (v or "").strip() for k, v in raw.items() if k}
            line = reader.line_num if reader.line_num else line_no
            keys: dict[str, str] = {}
            for side in ("owner", "owned"):
                name, pid = r.get(side, ""), r.get(f"{side}_id", "")
                if not name and not pid:
                    problems.append(RowProblem(p, line, side, "empty"))
                    continue
                key = f"id:{pid}" if pid else f"name:{_simple_key(name)}"
                country = _country(r.get(f"{side}_country"), p, line, f"{side}_country", problems)
                hq = _country(r.get(f"{side}_hq"), p, line, f"{side}_hq", problems)
                keys[side] = rows.party(key, id=pid or None, name=name or None, country=country, hq=hq)
            share, problem = csv_share(r, share_column)
            if problem:
                problems.append(RowProblem(p, line, share_column, problem))
            start, problem = iso_date(r.get("start"))
            if problem:
                problems.append(RowProblem(p, line, "start", problem))
            end, problem = iso_date(r.get("end"))
            if problem:
                problems.append(RowProblem(p, line, "end", problem))
            if start and end and end < start:
                problems.append(RowProblem(p, line, "end", f"ends ({end}) before it starts ({start})"))
            if len(keys) < 2:
                continue
            if keys["owner"] == keys["owned"]:
                problems.append(RowProblem(p, line, "owned", "self-ownership: owner and owned are the same party"))
                continue
            first = seen.setdefault((keys["owner"], keys["owned"], share, start, end), line)
            if first != line:
                warnings.append(RowProblem(p, line, "owned", f"repeats line {first}; counted once"))
                continue
            rows.edge(owner_key=keys["owner"], owned_key=keys["owned"], kind=OWNERSHIP, share_ppm=share,
                      share_min_ppm=share, share_max_ppm=share, start_date=start, end_date=end, line=line,
                      evidence=f"{path.name}:{line}")
    names = {k: v.get("name") or v.get("id") or k for k, v in rows.parties.items()}
    problems += over_100_problems(p, rows.edges, names)
    _raise(p, problems)
    parties, edges = rows.tables()
    return ParsedOwnership(path.name, "csv", p, file_sha256(path), parties, edges, rows_read=count,
                           warnings=warnings)


# ------------------------------------------------------------------------------------------------ FtM
_FTM_ORGS = {"Company", "Organization", "LegalEntity", "PublicBody"}


def _ftm_edges(rows: Rows, ownerships: list[tuple[int, dict[str, Any]]], p: str, warnings: list[RowProblem]
               ) -> None:
    """FtM ``Ownership`` entities as ownership edges (after every party has been read)."""
    for line, ent in ownerships:
        props = ent.get("properties") or {}
        owner, asset = (props.get("owner") or [None])[0], (props.get("asset") or [None])[0]
        if not owner or not asset:
            warnings.append(RowProblem(p, line, "owner" if not owner else "asset", "Ownership without both ends"))
            continue
        if owner == asset:
            warnings.append(RowProblem(p, line, "asset", "self-ownership; ignored"))
            continue
        rows.party(owner, id=owner)
        rows.party(asset, id=asset)
        share, problem = percent_to_ppm((props.get("percentage") or [None])[0])
        if problem:
            warnings.append(RowProblem(p, line, "percentage", problem + "; share treated as unknown"))
        role = ", ".join(props.get("role") or [])
        start = _date_or_warn((props.get("startDate") or [None])[0], end=False, warnings=warnings, path=p,
                              line=line, fieldname="startDate")
        end = _date_or_warn((props.get("endDate") or [None])[0], end=True, warnings=warnings, path=p,
                            line=line, fieldname="endDate")
        rows.edge(owner_key=owner, owned_key=asset, kind=OWNERSHIP, share_ppm=share, share_min_ppm=share,
                  share_max_ppm=share, start_date=start, end_date=end, line=line,
                  evidence=f"FtM Ownership {ent.get('id')}" + (f" ({role})" if role else ""))


def read_ftm(path: Path) -> ParsedOwnership:
    """FollowTheMoney JSON lines: entities give names and countries, ``Ownership`` entities give edges."""
    p = str(path)
    rows = Rows()
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    count = 0
    ownerships: list[tuple[int, dict[str, Any]]] = []
    with path.open(encoding="utf-8") as fh:
        for line, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            count += 1
            try:
                ent = json.loads(text)
            except json.JSONDecodeError as exc:
                problems.append(RowProblem(p, line, None, f"not JSON: {exc.msg}"))
                continue
            if isinstance(ent, dict) and ent.get("op") and isinstance(ent.get("entity"), dict):
                ent = ent["entity"]  # FtM delta lines
            if not isinstance(ent, dict) or "schema" not in ent:
                problems.append(RowProblem(p, line, "schema", "not a FollowTheMoney entity"))
                continue
            props = ent.get("properties") or {}
            schema = ent["schema"]
            if schema == "Ownership":
                ownerships.append((line, ent))
            elif schema in _FTM_ORGS or schema == "Person":
                eid = str(ent.get("id"))
                name = ent.get("caption") or (props.get("name") or [None])[0]
                country = (props.get("country") or props.get("jurisdiction") or [None])[0]
                leis = props.get("leiCode") or []
                rows.party(eid, id=eid, name=name, kind="person" if schema == "Person" else "organization",
                           country=country.upper() if country else None, lei=leis[0] if leis else None)
    _ftm_edges(rows, ownerships, p, warnings)
    _raise(p, problems)
    names = {k: v.get("name") or k for k, v in rows.parties.items()}
    warnings += over_100_problems(p, rows.edges, names)
    parties, edges = rows.tables()
    return ParsedOwnership(path.name, "ftm", p, file_sha256(path), parties, edges, rows_read=count, warnings=warnings)


# ----------------------------------------------------------------------------------------------- BODS
_BODS_OWNERSHIP_TYPES = {"shareholding", None}


def _load_json_records(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        if stripped.startswith("{"):
            out: list[Any] = []
            for line, chunk in enumerate(text.splitlines(), start=1):
                if chunk.strip():
                    try:
                        out.append(json.loads(chunk))
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}:{line}: not JSON: {exc.msg}") from None
            return out
        raise InputError(f"{path}: not JSON") from None
    return data if isinstance(data, list) else [data]


def _bods_share(share: dict[str, Any] | None) -> tuple[int | None, int | None, int | None, str | None]:
    """BODS share object -> (exact, min, max) in ppm; exclusive bounds move one ppm inwards."""
    if not share:
        return None, None, None, None
    exact, problem = percent_to_ppm(share.get("exact"))
    if problem:
        return None, None, None, problem
    lo, problem = percent_to_ppm(share.get("minimum"))
    if problem:
        return None, None, None, problem
    hi, problem = percent_to_ppm(share.get("maximum"))
    if problem:
        return None, None, None, problem
    if exact is not None:
        return exact, exact, exact, None
    if lo is not None and share.get("exclusiveMinimum"):
        lo += 1
    if hi is not None and share.get("exclusiveMaximum"):
        hi -= 1
    return None, lo, hi, None


_BodsRel = tuple[int, dict[str, Any], str | None]  # (statement index, details, statement date)


def _bods_statements(records: list[Any], p: str
                     ) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[tuple[str, int], Any, _BodsRel]]]:
    """Entities and persons by record id, and the latest statement of each relationship record."""
    entities: dict[str, dict[str, Any]] = {}
    latest: dict[str, tuple[tuple[str, int], Any, _BodsRel]] = {}
    for idx, st in enumerate(records, start=1):
        if not isinstance(st, dict):
            raise InputError(f"{p}: statement {idx}: not a JSON object")
        rtype = st.get("recordType")
        details = st.get("recordDetails") or {}
        if rtype is None:  # BODS 0.2/0.3
            stype = st.get("statementType")
            rtype = {"entityStatement": "entity", "personStatement": "person",
                     "ownershipOrControlStatement": "relationship"}.get(stype or "")
            details = dict(st)
            rid = st.get("statementID") or st.get("statementId")
            if rtype == "relationship":
                subj = st.get("subject") or {}
                party = st.get("interestedParty") or {}
                details["subject"] = subj.get("describedByEntityStatement")
                details["interestedParty"] = (party.get("describedByEntityStatement")
                                              or party.get("describedByPersonStatement") or party)
            if rtype == "person" and st.get("names"):
                details["names"] = st["names"]
        else:
            rid = st.get("recordId")
        if rtype in ("entity", "person"):
            entities[str(rid)] = {"type": rtype, "details": details}
        elif rtype == "relationship":
            # A record can be restated (updated, closed): the latest statement about it wins.
            prev = latest.get(str(rid))
            stamp = (str(st.get("statementDate") or ""), idx)
            if prev is None or stamp >= prev[0]:
                latest[str(rid)] = (stamp, st.get("recordStatus"), (idx, details, st.get("statementDate")))
    return entities, latest


def _bods_parties(rows: Rows, entities: dict[str, dict[str, Any]]) -> None:
    """Persons and entities with names, jurisdiction, business-address country and LEI."""
    for rid, ent in entities.items():
        d = ent["details"]
        if ent["type"] == "person":
            names = d.get("names") or [{}]
            name = names[0].get("fullName")
            country = ((d.get("nationalities") or [{}])[0] or {}).get("code")
            rows.party(rid, id=f"bods-{rid}", name=name, kind="person", country=country)
            continue
        lei = next((i.get("id") for i in d.get("identifiers") or [] if i.get("scheme") == "XI-LEI"), None)
        juris = (d.get("jurisdiction") or d.get("incorporatedInJurisdiction") or {}).get("code")
        hq = next(((a.get("country") or {}).get("code") if isinstance(a.get("country"), dict) else a.get("country")
                   for a in d.get("addresses") or [] if a.get("type") == "business"), None)
        rows.party(rid, id=f"bods-{rid}", name=d.get("name"), kind="organization",
                   country=juris.upper() if juris else None, hq=hq, lei=lei)


def _bods_edges(rows: Rows, rels: list[_BodsRel], entities: dict[str, dict[str, Any]], p: str,
                warnings: list[RowProblem]) -> None:
    """Direct interests as edges: shareholdings carry shares, other interests are control."""
    indirect = 0
    for idx, d, _date in rels:
        owned, owner = d.get("subject"), d.get("interestedParty")
        if not isinstance(owner, str) or not isinstance(owned, str):
            warnings.append(RowProblem(p, idx, "interestedParty", "unknown or unspecified interested party"))
            continue
        if owner == owned:
            warnings.append(RowProblem(p, idx, "subject", "self-ownership; ignored"))
            continue
        for who in (owner, owned):
            if who not in entities:
                rows.party(who, id=f"bods-{who}")
        for interest in d.get("interests") or [{}]:
            direct = interest.get("directOrIndirect")
            if direct == "indirect":
                indirect += 1
                continue
            itype = interest.get("type")
            exact, lo, hi, problem = _bods_share(interest.get("share"))
            if problem:
                warnings.append(RowProblem(p, idx, "share", problem + "; share treated as unknown"))
            kind = OWNERSHIP if itype in _BODS_OWNERSHIP_TYPES else CONTROL
            rows.edge(owner_key=owner, owned_key=owned, kind=kind, share_ppm=exact if kind == OWNERSHIP else None,
                      share_min_ppm=lo if kind == OWNERSHIP else None,
                      share_max_ppm=hi if kind == OWNERSHIP else None,
                      start_date=_date_or_warn(interest.get("startDate"), end=False, warnings=warnings, path=p,
                                               line=idx, fieldname="startDate"),
                      end_date=_date_or_warn(interest.get("endDate"), end=True, warnings=warnings, path=p,
                                             line=idx, fieldname="endDate"), line=idx,
                      evidence=f"BODS statement {idx}: {itype or 'interest'} ({direct or 'unknown'})")
    if indirect:
        warnings.append(RowProblem(p, None, "interests", f"{indirect} indirect interest(s) not used as edges "
                                   "(the fixpoint derives indirect ownership from the direct links)"))


def read_bods(path: Path) -> ParsedOwnership:
    """BODS 0.4 (recordType/recordDetails), with a fallback for 0.2/0.3 statement types.

    Only *direct* shareholdings become ownership edges: indirect interests are derived from component
    records that BODS publishes separately, and adding them would count the same shares twice.
    """
    p = str(path)
    rows = Rows()
    warnings: list[RowProblem] = []
    records = _load_json_records(path)
    entities, latest = _bods_statements(records, p)
    rels: list[_BodsRel] = []
    closed = 0
    for _stamp, status, rel in latest.values():
        if status == "closed":
            closed += 1
        else:
            rels.append(rel)
    if closed:
        warnings.append(RowProblem(p, None, "recordStatus", f"{closed} closed relationship record(s) not used"))
    _bods_parties(rows, entities)
    _bods_edges(rows, rels, entities, p, warnings)
    names = {k: v.get("name") or k for k, v in rows.parties.items()}
    warnings += over_100_problems(p, rows.edges, names)
    parties, edges = rows.tables()
    return ParsedOwnership(path.name, "bods", p, file_sha256(path), parties, edges, rows_read=len(records),
                           warnings=warnings)


# -------------------------------------------------------------------------------------- GLEIF API JSON
_GLEIF_KINDS = {
    "IS_DIRECTLY_CONSOLIDATED_BY": PARENT_DIRECT,
    "IS_ULTIMATELY_CONSOLIDATED_BY": PARENT_ULTIMATE,
    "IS_INTERNATIONAL_BRANCH_OF": BRANCH,
}


def _gleif_period(periods: list[dict[str, Any]], warnings: list[RowProblem], path: str, idx: int
                  ) -> tuple[dt.date | None, dt.date | None]:
    for per in periods or []:
        if per.get("type", per.get("periodType")) == "RELATIONSHIP_PERIOD":
            return (_date_or_warn(per.get("startDate"), end=False, warnings=warnings, path=path, line=idx,
                                  fieldname="periods.startDate"),
                    _date_or_warn(per.get("endDate"), end=True, warnings=warnings, path=path, line=idx,
                                  fieldname="periods.endDate"))
    return None, None


def read_gleif_json(path: Path) -> ParsedOwnership:
    """GLEIF API responses: lei-records (names, HQ country), relationship-records, reporting-exceptions."""
    p = str(path)
    rows = Rows()
    warnings: list[RowProblem] = []
    data: list[Any] = []
    for doc in _load_json_records(path):
        d = doc.get("data", doc) if isinstance(doc, dict) else doc
        data += d if isinstance(d, list) else [d]
    for idx, rec in enumerate(data, start=1):
        if not isinstance(rec, dict):
            continue
        attrs = rec.get("attributes") or {}
        rtype = rec.get("type")
        if rtype == "lei-records":
            ent = attrs.get("entity") or {}
            lei = str(attrs.get("lei") or rec.get("id") or "")
            if not lei:
                continue
            rows.party(lei, id=lei, lei=lei, name=(ent.get("legalName") or {}).get("name"),
                       country=(ent.get("legalAddress") or {}).get("country"),
                       hq=(ent.get("headquartersAddress") or {}).get("country"))
        elif rtype == "relationship-records":
            rel = attrs.get("relationship") or {}
            child, parent = (rel.get("startNode") or {}).get("id"), (rel.get("endNode") or {}).get("id")
            kind = _GLEIF_KINDS.get(rel.get("type", ""))
            if not child or not parent or kind is None:
                continue
            start, end = _gleif_period(rel.get("periods") or [], warnings, p, idx)
            if rel.get("status") == "INACTIVE" and end is None:
                end = partial_date((attrs.get("registration") or {}).get("lastUpdateDate"), end=True)
            rows.party(child, id=child, lei=child)
            rows.party(parent, id=parent, lei=parent)
            rows.edge(owner_key=parent, owned_key=child, kind=kind, start_date=start, end_date=end, line=idx,
                      evidence=f"GLEIF {rel.get('type')} ({rel.get('status')})")
        elif rtype == "reporting-exceptions":
            lei = str(attrs.get("lei") or "")
            if lei:
                rows.party(lei, id=lei, lei=lei,
                           parent_exception=f"{attrs.get('category')}:{attrs.get('reason')}")
    parties, edges = rows.tables()
    return ParsedOwnership(path.name, "gleif", p, file_sha256(path), parties, edges, rows_read=len(data),
                           warnings=warnings)
