"""The inputs the Spark tests screen and decide, built the same way on every run from the bundled lists and
data/scenarios: listed names as written (hits), with a letter dropped (hits and possible matches), names on
no list (clean), bad rows; the scenario transactions with other parties, dates and destinations, and bad
lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chipscreen.paths import data_dir
from chipscreen.store import Store

WORDS = ("Quantum", "Horizon", "Lotus", "Summit", "Cedar", "Aurora", "Pioneer", "Harbor", "Meridian", "Granite",
         "Willow", "Falcon", "Nimbus", "Orchard", "Beacon", "Saffron", "Tundra", "Vertex", "Juniper", "Cobalt")
FORMS = ("Trading Ltd", "GmbH", "Logistics LLC", "Foods Inc.", "Textiles S.A.", "Furniture Co.")
COUNTRIES = ("CN", "", "HK", "DE", "", "US", "SG", "")

Run = Callable[..., tuple[int, str, str]]
"""The ``chipscreen_cli`` fixture: ``run(*args) -> (exit status, stdout, stderr)``."""


def listed_names(store: Store, every: int = 4) -> list[tuple[str, str]]:
    """(name, country) of every ``every``-th name of the bundled snapshot, in the store's order."""
    table = store.names_table(store.snapshot().id).select(["name", "country"]).to_pylist()
    return [(r["name"], r["country"] or "") for r in table[::every]]


def clean_name(i: int) -> str:
    return f"{WORDS[i % 20]} {WORDS[(i // 20) % 20]} {FORMS[(i // 400) % len(FORMS)]}"


def drop_a_letter(name: str, i: int) -> str:
    letters = [k for k, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 8:
        return name
    k = letters[len(letters) // 2 + i % 3]
    return name[:k] + name[k + 1:]


def name_rows(store: Store, count: int) -> list[tuple[str, str]]:
    """``count`` (name, country) rows: a third listed, a third misspelt, a third clean, and bad rows."""
    listed = listed_names(store)
    rows: list[tuple[str, str]] = []
    for i in range(count):
        name, country = listed[(i // 3) % len(listed)]
        kind = i % 3
        if i % 997 == 0:
            rows.append(("", "CN"))
        elif i % 1499 == 0:
            rows.append(("--- ///", ""))
        elif kind == 0:
            rows.append((name, country))
        elif kind == 1:
            rows.append((drop_a_letter(name, i), COUNTRIES[i % len(COUNTRIES)]))
        else:
            rows.append((clean_name(i), COUNTRIES[i % len(COUNTRIES)]))
    return rows


def write_names_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "country"])
        writer.writerows(rows)
    return path


def scenario_transactions() -> list[dict[str, Any]]:
    text = (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def transaction_lines(store: Store, count: int) -> list[str]:
    """``count`` JSON lines: each scenario with its receiving party renamed (listed, misspelt or clean
    names); every fifth a plain export to Germany; a few bad lines and blank lines."""
    scenarios = scenario_transactions()
    listed = listed_names(store, every=40)
    lines: list[str] = []
    for i in range(count):
        if i % 401 == 7:
            lines.append('{"id": "broken", "date": ')
            continue
        if i % 503 == 11:
            lines.append("")
            continue
        tx = json.loads(json.dumps(scenarios[i % len(scenarios)]))
        tx["id"] = f"T{i:05d}"
        party = tx["parties"][-1]
        if i % 4 == 1:
            party["name"] = listed[i % len(listed)][0]
        elif i % 4 == 2:
            party["name"] = drop_a_letter(listed[i % len(listed)][0], i)
        elif i % 4 == 3:
            party["name"] = clean_name(i)
        if i % 5 == 4:
            tx.update({"kind": "export", "from": "US", "to": "DE", "end_use": None})
            tx.pop("acquired", None)
            for p in tx["parties"]:
                p["country"] = "DE" if p is party else "US"
                p.pop("headquarters", None)
            party["name"] = clean_name(i)
        if i % 211 == 5:
            tx["item"] = "no-such-chip"
        lines.append(json.dumps(tx, ensure_ascii=False))
    return lines


def parts(out: Path) -> str:
    """A dataset directory of JSON-lines part files, read in name order (Spark's order of the rows)."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("part-*")))
