"""OFAC's legacy CSV layout: the SDN files (sdn.csv, add.csv, alt.csv, sdn_comments.csv) and the non-SDN
consolidated files (cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv). No header; ``-0-`` is
empty. Remarks carry structure that screening and ownership need: "a.k.a. 'X'", "Linked To: PARENT.",
"Unified Social Credit Code (USCC) 914403001922038216 (China)", "Legal Entity Number ...".

Remarks longer than the main file's cell continue in the comments file, keyed by ent_num.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from chipscreen.countries import to_iso2
from chipscreen.errors import InputError
from chipscreen.model import Identifier, Relation
from chipscreen.sources.base import Entry, ParsedDataset, RowErrors, build_entry, clean, files_sha256
from chipscreen.sources.identifiers import scheme_for
from chipscreen.sources.lines import numbered_rows

FORMAT: Final = "ofac-csv"

SDN_FILES = ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
CONS_FILES = ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
MAIN_COLUMNS = 12  # ent_num, name, type, program, title, call sign, vessel type, tonnage, GRT, flag, owner, remarks

_KINDS = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
# Non-SDN programmes -> the CSL code of the list that carries them.
_NON_SDN_CODES = (
    ("CMIC", "CMIC"),
    ("NS-PLC", "PLC"),
    ("561", "CAP"),
    ("FSE", "FSE"),
    ("UKRAINE-EO13662", "SSI"),
)
_ID_PART = re.compile(
    r"^(?:alt\.\s+)?(?P<label>[A-Za-z][A-Za-z ()/.'-]*?)\s+(?P<value>[A-Z0-9][A-Z0-9 -]{3,})"
    r"(?:\s+\((?P<country>[^)]+)\))?\.?$"
)
_AKA = re.compile(r"(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'([^']+)'")
_LINKED = re.compile(r"Linked To:\s*([^;]+)")
_ABBREVIATION_END = re.compile(r"\b(?:LTD|INC|CO|CORP|LLC|S\.A|S\.A\.S|B\.V|N\.V|A\.G|C\.V|L\.L\.C|JSC)$", re.I)


def linked_targets(remarks: str) -> list[str]:
    """Names after "Linked To:". OFAC ends every remark with a period, which is also the period of a
    closing "LTD.", so it is dropped only when the name does not end in such an abbreviation."""
    out = []
    for raw in _LINKED.findall(remarks):
        name = raw.strip()
        if name.endswith(".") and not _ABBREVIATION_END.search(name[:-1]):
            name = name[:-1].rstrip()
        out.append(name)
    return out


def party_id(ent_num: str) -> str:
    """OFAC's ent_num is stable across list versions, so it is the party id (the CSL repeats it)."""
    return f"ofac-{ent_num.strip()}"


def looks_like(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    names = {p.name.lower() for p in folder.iterdir()} if folder.is_dir() else set()
    if path.is_dir():
        return "sdn.csv" in names or "cons_prim.csv" in names
    return path.name.lower() in (*SDN_FILES, *CONS_FILES) and ("sdn.csv" in names or "cons_prim.csv" in names)


def _files(path: Path) -> tuple[Path, dict[str, Path], bool]:
    folder = path if path.is_dir() else path.parent
    lower = {p.name.lower(): p for p in folder.iterdir()}
    if "cons_prim.csv" in lower and (path.is_dir() or path.name.lower().startswith("cons_")):
        names, sdn = CONS_FILES, False
    elif "sdn.csv" in lower:
        names, sdn = SDN_FILES, True
    else:
        raise InputError(f"{path}: no sdn.csv or cons_prim.csv beside it")
    found = {n: lower[n] for n in names if n in lower}
    return folder, found, sdn


def _read(path: Path, ncols: int, errors: RowErrors) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")  # OFAC's older files are Windows-1252
    out: list[tuple[int, list[str]]] = []
    reader = csv.reader(text.splitlines(), strict=True)
    for line, cells in numbered_rows(reader, path, lambda: reader.line_num):
        if len(cells) != ncols:
            errors.add(line, "row", f"{len(cells)} cells, expected {ncols}")
            continue
        out.append((line, [c.strip() for c in cells]))
    return out


@dataclass
class _Details:
    """What the side files add to the main file's rows, keyed by ent_num."""

    addresses: dict[str, list[str]] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


def _read_details(files: dict[str, Path], side_names: Sequence[str], errs: dict[str, RowErrors]) -> _Details:
    """The address, alias and comment files (each optional), in that order."""
    add_name, alt_name, com_name = side_names
    out = _Details()
    if add_name in files:
        for _, c in _read(files[add_name], 6, errs[add_name]):
            parts = [x for x in (clean(c[2]), clean(c[3]), clean(c[4])) if x]
            if parts:
                out.addresses.setdefault(c[0], []).append(", ".join(parts))
            if clean(c[4]):
                out.countries.setdefault(c[0], c[4])
    if alt_name in files:
        for _, c in _read(files[alt_name], 5, errs[alt_name]):
            if clean(c[3]):
                out.aliases.setdefault(c[0], []).append((c[2].strip().lower(), c[3]))
    if com_name in files:
        for _, c in _read(files[com_name], 2, errs[com_name]):
            out.comments[c[0]] = c[1]
    return out


def _main_entry(source: str, c: list[str], name: str, details: _Details, is_sdn: bool) -> Entry:
    """A row of sdn.csv / cons_prim.csv with its details; remarks continue in the comments file."""
    ent = c[0]
    program = clean(c[3]) or ""
    remarks = (clean(c[11]) or "") + (details.comments.get(ent) or "")
    return build_entry(
        source=source,
        list_code="SDN" if is_sdn else non_sdn_code(program),
        name=name,
        aliases=[a for _, a in details.aliases.get(ent, [])] + _AKA.findall(remarks),
        country=details.countries.get(ent),
        addresses=details.addresses.get(ent, []),
        identifiers=parse_remark_ids(remarks),
        kind=_KINDS.get((clean(c[2]) or "").lower(), "organization"),
        party_id=party_id(ent),
        programs=[p.strip() for p in program.replace("] [", ";").split(";") if p.strip()],
        remarks=remarks or None,
    )


def _linked_relations(source: str, entry: Entry) -> list[Relation]:
    return [
        Relation(
            owner_name=target,
            owned_id=entry.party.id,
            owned_name=entry.party.name,
            kind="linked",
            source=source,
            evidence=f"Linked To: {target}",
        )
        for target in linked_targets(entry.listing.remarks or "")
    ]


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    folder, files, is_sdn = _files(Path(path))
    layout = SDN_FILES if is_sdn else CONS_FILES
    main_name = layout[0]
    if main_name not in files:
        raise InputError(f"{folder}: {main_name} is missing")
    errs: dict[str, RowErrors] = {n: RowErrors(str(p), skip_bad_rows) for n, p in files.items()}
    main = _read(files[main_name], MAIN_COLUMNS, errs[main_name])
    details = _read_details(files, layout[1:], errs)
    main_errors = errs[main_name]
    source = files[main_name].name
    entries: list[Entry] = []
    relations: list[Relation] = []
    for line, c in main:
        ent, name = c[0], clean(c[1])
        if not ent.isdigit():
            main_errors.add(line, "ent_num", f"not a number: {ent!r}")
            continue
        if not name:
            main_errors.add(line, "SDN_Name", "missing")
            continue
        entry = _main_entry(source, c, name, details, is_sdn)
        entries.append(entry)
        relations.extend(_linked_relations(source, entry))
    skipped = [p for e in errs.values() for p in e.finish()]
    return ParsedDataset(
        name=f"{folder.name}/{main_name}",
        format=FORMAT,
        path=str(folder),
        sha256=files_sha256(files.values()),
        retrieved=retrieved or dt.date.today(),
        entries=entries,
        relations=relations,
        rows_read=len(main) + len(main_errors.problems),
        skipped=skipped,
    )


def non_sdn_code(program: str) -> str:
    """The list a non-SDN entry is on, from its programme (the legacy files do not say it otherwise)."""
    for needle, code in _NON_SDN_CODES:
        if needle in program:
            return code
    return "NS-MBS"


def parse_remark_ids(remarks: str) -> list[Identifier]:
    """Registry identifiers stated in OFAC remarks ("Unified Social Credit Code (USCC) 9144... (China)")."""
    out: list[Identifier] = []
    for part in remarks.split(";"):
        m = _ID_PART.match(part.strip())
        if not m:
            continue
        scheme = scheme_for(m["label"])
        if scheme is None:
            continue
        out.append(Identifier(scheme=scheme, value=m["value"].replace(" ", ""), country=to_iso2(m["country"])))
    return out
