"""Rows of trade.gov's ``consolidated.csv`` written as its JSON download writes the same records.

trade.gov serves the Consolidated Screening List as CSV and as JSON (``{"results": [{id, source,
entity_number, type, programs, name, alt_names, addresses: [{address, city, state, postal_code, country}],
federal_register_notice, start_date, end_date, license_requirement, license_policy, remarks, ids: [{type,
number, country, issue_date, expiration_date}], ...}]}``). The multi-valued CSV cells become arrays; an
address keeps its text with the country code as its own field. Used by ``bench_import.py`` and by
``tests/sources/test_csl_json.py`` (which checks that both shapes of the same rows read the same).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_LISTS = ("programs", "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth")


def csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _address(text: str) -> dict[str, Any]:
    head, sep, tail = text.rpartition(", ")
    if sep and len(tail) == 2 and tail.isupper():
        return {"address": head, "city": None, "state": None, "postal_code": None, "country": tail}
    return {"address": text, "city": None, "state": None, "postal_code": None, "country": None}


def _ids(cell: str) -> list[dict[str, Any]]:
    out = []
    for part in _split(cell):
        bits = [b.strip() for b in part.split(",")]
        if len(bits) < 2:
            continue
        country = bits[0] if len(bits) >= 3 else None
        out.append({"type": bits[-1], "number": bits[-2], "country": country, "issue_date": None,
                    "expiration_date": None})
    return out


def record(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as a JSON record of the download."""
    out: dict[str, Any] = {k: (v or None) for k, v in row.items() if k != "_id"}
    out["id"] = row.get("_id")
    for key in _LISTS:
        out[key] = _split(row.get(key) or "")
    out["addresses"] = [_address(a) for a in _split(row.get("addresses") or "")]
    out["ids"] = _ids(row.get("ids") or "")
    return out


def write_json(rows: Iterable[dict[str, str]], path: Path) -> int:
    """Write ``{"results": [...]}``, one record per line as the download is pretty-printed; the count."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"total": null, "results": [\n')
        for row in rows:
            fh.write((",\n" if n else "") + json.dumps(record(row), ensure_ascii=False))
            n += 1
        fh.write('\n], "sources_used": []}\n')
    return n
