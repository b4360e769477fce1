"""What every list importer produces, and helpers they share (file hashing, dates, countries, scripts).

Importers parse a whole file into a ``ParsedDataset`` before anything touches the store, so that a
malformed row can fail the import without leaving half a snapshot behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeGuard, get_args

import pyarrow as pa

from chipscreen.countries import to_iso2
from chipscreen.errors import InputError, RowProblem
from chipscreen.model import Address, Identifier, Listing, Name, Party, Relation

Format = Literal[
    "us-lists-json", "csl-csv", "csl-json", "ofac-csv", "ftm", "ftm-delta", "parties-csv", "ofac-xml", "un-xml"
]
"""The file formats a reader exists for (``--format``); stored with each dataset."""


def is_format(name: str) -> TypeGuard[Format]:
    return name in get_args(Format)


@dataclass
class Entry:
    """One listed party as one list states it."""

    party: Party
    listing: Listing


PARTY_COLUMNS = ("entity_id", "list_code", "kind", "name", "name_kind", "script", "country", "id_scheme", "id_value")
"""The columns of ``ParsedDataset.parties``: a party (kind, country, identifier on its primary row) and a name."""


@dataclass
class ParsedDataset:
    """A parsed input file: entries, the relations its text states, and the rows it had to skip."""

    name: str
    format: Format
    path: str
    sha256: str
    retrieved: dt.date
    entries: list[Entry] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    rows_read: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    deleted_ids: list[str] = field(default_factory=list)  # a delta's DEL operations
    # a list too large for an Entry per party (a private list of millions) comes as one flat table of plain
    # parties instead, columns PARTY_COLUMNS, one row per name (the first of a party "primary")
    parties: pa.Table | None = None
    party_count: int = 0

    @classmethod
    def of_file(cls, path: Path, fmt: Format, retrieved: dt.date | None, **parts: Any) -> ParsedDataset:
        """What ``path`` held, named and hashed as every reader names and hashes its file; ``retrieved`` is the
        date the user gave, else the file's own, else today (a list is as new as the day it was read)."""
        return cls(name=path.name, format=fmt, path=str(path), sha256=file_sha256(path),
                   retrieved=retrieved or dt.date.today(), **parts)

    @property
    def is_delta(self) -> bool:
        return self.format.endswith("-delta")

    @property
    def list_codes(self) -> list[str]:
        if self.parties is not None:
            return sorted(set(self.parties.column("list_code").unique().to_pylist()))
        return sorted({e.listing.list_code for e in self.entries})

    @property
    def entry_count(self) -> int:
        """Listed parties in the file (``entries`` or the flat ``parties`` table)."""
        return len(self.entries) + self.party_count


class RowErrors:
    """Collects bad rows; raises at the end unless the user asked to skip them (``--skip-bad-rows``)."""

    def __init__(self, path: str, skip_bad_rows: bool) -> None:
        self.path = path
        self.skip = skip_bad_rows
        self.problems: list[RowProblem] = []

    def add(self, line: int | None, fieldname: str | None, problem: str) -> None:
        self.problems.append(RowProblem(self.path, line, fieldname, problem))

    def finish(self) -> list[RowProblem]:
        if self.problems and not self.skip:
            raise InputError(
                f"{self.path}: {len(self.problems)} bad row(s); nothing was imported "
                "(fix them, or pass --skip-bad-rows to import the rest)",
                self.problems,
            )
        return self.problems


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def files_sha256(paths: Iterable[Path]) -> str:
    """Hash of several files read as one dataset (OFAC's four-file layout)."""
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: p.name):
        h.update(p.name.encode())
        h.update(file_sha256(p).encode())
    return h.hexdigest()


_SCRIPT_CACHE: dict[str, str] = {}
_ASCII_LETTER = re.compile("[A-Za-z]")


def script_of(text: str) -> str | None:
    """The dominant script of a name ("Latin", "Han", "Cyrillic", "Arabic", ...), from Unicode names."""
    if text.isascii():  # most names, and the answer the loop below gives them, without it
        return "Latin" if _ASCII_LETTER.search(text) else None
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        script = _SCRIPT_CACHE.get(ch)
        if script is None:
            uname = unicodedata.name(ch, "")
            script = "Han" if uname.startswith("CJK") else uname.split(" ")[0].title() if uname else "Unknown"
            _SCRIPT_CACHE[ch] = script
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: kv[1])[0]


def make_name(value: str, kind: str = "primary") -> Name:
    return Name.model_validate({"value": value, "kind": kind, "script": script_of(value)})


_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str | None:
    """Collapse whitespace; turn the sources' placeholders for "nothing" into None."""
    if not text:
        return None
    text = _SPACES.sub(" ", text).strip()
    if text in ("", "-0-", "-0- "):
        return None
    return text


def entity_id(list_code: str, name: str, country: str | None) -> str:
    """A content-derived id for lists without official ids (EL, MEU, DPL...): stable across snapshots,
    so ``lists diff`` and audits can follow an entry from one list update to the next."""
    key = re.sub(r"[^0-9a-z]+", " ", unicodedata.normalize("NFKD", name).lower()).strip()
    digest = hashlib.sha1(f"{list_code}|{key}|{country or ''}".encode()).hexdigest()[:12]
    return f"{list_code.lower()}-{digest}"


_DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%B %d, %Y")


def parse_date(text: str | None) -> dt.date | None:
    """Dates as the US lists write them. Raises ValueError on text that is not a date."""
    text = clean(text)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def build_entry(
    *,
    source: str,
    list_code: str,
    name: str,
    aliases: Iterable[str] = (),
    country: str | None = None,
    addresses: Iterable[str | Address] = (),
    identifiers: Iterable[Identifier] = (),
    more_names: Iterable[Name] = (),
    kind: str = "organization",
    party_id: str | None = None,
    **listing: object,
) -> Entry:
    """Assemble an Entry; country names are mapped to ISO-2 here so every importer agrees. ``more_names``
    are names whose kind the list states (a former name, a weak alias); an address given as an
    ``Address`` keeps its own country."""
    iso = to_iso2(country) if country else None
    pid = party_id or entity_id(list_code, name, iso)
    names = [make_name(name, "primary")]
    seen = {name.casefold()}
    for alias in aliases:
        alias = clean(alias) or ""
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            names.append(make_name(alias, "alias"))
    for extra in more_names:
        if extra.value.casefold() not in seen:
            seen.add(extra.value.casefold())
            names.append(extra)
    addr = [a if isinstance(a, Address) else Address(text=a, country=iso) for a in _addresses(addresses)]
    party = Party.model_validate(
        {"id": pid, "kind": kind, "names": names, "country": iso, "addresses": addr, "identifiers": list(identifiers)}
    )
    listing_fields = {"party_id": pid, "list_code": list_code, "source": source, **listing}
    return Entry(party=party, listing=Listing.model_validate(listing_fields))


def _addresses(addresses: Iterable[str | Address]) -> Iterator[str | Address]:
    for a in addresses:
        if isinstance(a, Address):
            yield a
        elif text := clean(a):
            yield text


def merge_entries(entries: list[Entry]) -> list[Entry]:
    """Entries with the same id are one party split over rows (the CSL repeats a party per address)."""
    merged: dict[str, Entry] = {}
    for e in entries:
        prev = merged.get(e.party.id)
        if prev is None:
            merged[e.party.id] = e
            continue
        names = list(prev.party.names)
        known = {n.value.casefold() for n in names}
        for n in e.party.names:
            if n.value.casefold() not in known:
                known.add(n.value.casefold())
                names.append(n if n.kind != "primary" else make_name(n.value, "alias"))
        addresses = list(dict.fromkeys([*prev.party.addresses, *e.party.addresses]))
        idents = list(dict.fromkeys([*prev.party.identifiers, *e.party.identifiers]))
        cites = list(dict.fromkeys([*prev.listing.federal_register, *e.listing.federal_register]))
        starts = [d for d in (prev.listing.start_date, e.listing.start_date) if d]
        merged[e.party.id] = Entry(
            party=prev.party.model_copy(update={"names": names, "addresses": addresses, "identifiers": idents}),
            listing=prev.listing.model_copy(
                update={
                    "federal_register": cites,
                    "start_date": min(starts) if starts else None,
                    "footnotes": sorted(set(prev.listing.footnotes) | set(e.listing.footnotes)),
                }
            ),
        )
    return list(merged.values())
