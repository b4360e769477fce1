"""``monitor add`` and ``monitor add-transactions``: the user's own parties and open transactions, read with
the project's readers (``sources.parties_csv``, ``transactions``) and kept in the store (``store.watch``).

A file with a bad row changes nothing: every problem is reported with its file, line and field, and the
watch set stays as it was (the parties reader's own checks; every transaction line is validated first).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from chipscreen.errors import InputError, RowProblem
from chipscreen.sources import parse_file
from chipscreen.sources.base import file_sha256
from chipscreen.store import Store, watch
from chipscreen.transactions import read_transactions

PARTIES_FORMAT = "parties-csv"


def add_parties(store: Store, path: Path) -> int:
    """Watch the parties of a ``name,country[,id]`` CSV; returns how many distinct parties it held."""
    parsed = parse_file(path, fmt=PARTIES_FORMAT)
    table = parsed.parties
    if table is None or not table.num_rows:
        raise InputError(f"{path}:1: file: no parties found; nothing was added")
    renamed = pa.table({
        "party_id": table.column("entity_id"), "name": table.column("name"),
        "name_kind": table.column("name_kind"), "country": table.column("country"),
        "id_scheme": table.column("id_scheme"), "id_value": table.column("id_value"),
    })
    return watch.add_parties(store, renamed, str(path), parsed.sha256)


def add_transactions(store: Store, path: Path) -> int:
    """Watch the open transactions of a JSON lines (or JSON) file of the Transaction contract."""
    bodies: dict[str, dict[str, Any]] = {}
    problems: list[RowProblem] = []
    for rec in read_transactions(path):
        if rec.transaction is None:
            text = (rec.error or "not a transaction").removeprefix(f"{rec.source}:{rec.line}").lstrip(": ")
            problems.append(RowProblem(rec.source, rec.line, None, text))
            continue
        bodies[rec.transaction.id] = rec.transaction.model_dump(mode="json", by_alias=True, exclude_none=True)
    if problems:
        raise InputError(f"{path}: {len(problems)} bad transaction(s); nothing was added", problems)
    if not bodies:
        raise InputError(f"{path}:1: file: no transactions found; nothing was added")
    watch.add_transactions(store, bodies, str(path), file_sha256(Path(path)))
    return len(bodies)
