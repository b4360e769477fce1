"""Helpers for ownership tests: list entries made in code, CSV files written in code, one-call status."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

from chipscreen.model import Relation
from chipscreen.ownership.control import Control, ControlStatus
from chipscreen.ownership.load import load
from chipscreen.sources.base import ParsedDataset, build_entry
from chipscreen.store import Store

IN_FORCE = dt.date(2025, 10, 1)  # BIS Affiliates rule in force (before the suspension)


def add_lists(
    store: Store,
    rows: Sequence[tuple[str, str] | tuple[str, str, dict[str, object]]],
    relations: Sequence[Relation] = (),
    retrieved: dt.date = dt.date(2026, 1, 1),
) -> None:
    """List entries (list code, name[, listing fields]) as one test dataset per list code."""
    by_code: dict[str, list[object]] = {}
    for row in rows:
        code, name = row[0], row[1]
        extra: dict[str, object] = dict(row[2]) if len(row) > 2 else {}  # type: ignore[misc]
        by_code.setdefault(code, []).append(build_entry(source="test", list_code=code, name=name, **extra))
    parsed = []
    for i, (code, entries) in enumerate(sorted(by_code.items())):
        digest = hashlib.sha256(repr((code, [e.party.id for e in entries], len(relations))).encode()).hexdigest()  # type: ignore[attr-defined]
        parsed.append(ParsedDataset(
            name=f"test-{code}", format="test", path="test", sha256=digest, retrieved=retrieved,
            entries=entries, relations=list(relations) if i == 0 else [],  # type: ignore[arg-type]
        ))
    store.load(parsed)


def write_csv(path: Path, rows: Sequence[str], header: str = "owner,owned,percent,start,end") -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def load_edges(store: Store, tmp_path: Path, edges: Sequence[tuple[str, str, str]], name: str = "own.csv") -> None:
    load(store, write_csv(tmp_path / name, [f"{a},{b},{p},," for a, b, p in edges]))


def status(store: Store, party: str, date: dt.date = IN_FORCE) -> ControlStatus:
    return Control(store).as_of(date).status(party)
