"""``chipscreen demo``: the end-to-end run on the bundled real data.

Each stage runs when its engine is installed in this checkout, so the demo grows as the engines land:
list snapshot -> name screening -> chip classification -> ownership -> transaction decisions.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from chipscreen.bundled import open_store

DEMO_NAMES = (
    ("HUAWEI TECH CO LTD", "CN"),
    ("Beijing SenseTime Tech Dev", "CN"),
    ("科大讯飞股份有限公司", "CN"),
    ("Moore Threads", "CN"),
    ("SUGON", "CN"),
    ("Shanghai Biren Technology", None),
    ("Acme Robotics GmbH", "DE"),
)


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def run_demo(home: Path | None, console: Console) -> None:
    t0 = time.perf_counter()
    store = open_store(home)
    snap = store.latest_snapshot()
    assert snap is not None
    counts = store.counts(snap)
    console.rule("[bold]1. List snapshot")
    console.print(
        f"snapshot [bold]{snap.id}[/] with {sum(counts.values()):,} entries on {len(counts)} lists "
        f"(opened in {time.perf_counter() - t0:.1f} s): " + ", ".join(f"{code} {n:,}" for code, n in counts.items())
    )
    el = store.entries(snap, lists=["EL"])
    table = Table(title="AI-chip firms on the Entity List, with the date the Federal Register listed them")
    for col in ("entry", "country", "listed", "FDP footnotes", "first FR citation"):
        table.add_column(col)
    wanted = (
        "IFLYTEK",
        "Beijing Sensetime",
        "Sugon",
        "Shanghai Biren Intelligent",
        "Moore Thread Intelligent Technology (Beijing)",
        "Huawei Technologies Co., Ltd.",
        "Beijing Zhipu Huazhang",
    )
    for e in el:
        if any(e.party.name.startswith(w) for w in wanted):
            dated = sorted((c.date, c.text) for c in e.listing.federal_register if c.date)
            first_text = dated[0][1] if dated else ""
            table.add_row(
                e.party.name,
                e.party.country or "",
                str(e.listing.start_date or "?"),
                ",".join(map(str, e.listing.footnotes)) or "-",
                first_text,
            )
    console.print(table)

    if _has("chipscreen.names.screener"):
        from chipscreen.decide.overlays import overlays
        from chipscreen.names.screener import Screener

        console.rule("[bold]2. Name screening")
        screener = Screener(store)
        t = Table(title="names as they appear on orders and sign-ups")
        for col in ("query", "hit", "best match", "list", "score"):
            t.add_column(col)
        # among equal scores show the list that carries a licence requirement (Entity List, MEU)
        licence_lists = {code for code, spec in overlays().lists.items() if spec.reason}
        for name, country in DEMO_NAMES:
            res = screener.screen(name, country=country)
            best = max(res.matches, key=lambda m: (m.score, m.list in licence_lists), default=None)
            t.add_row(
                name,
                "HIT" if res.hit else "-",
                best.name if best else "",
                best.list if best else "",
                f"{best.score:.2f}" if best else "",
            )
        console.print(t)

    if _has("chipscreen.decide"):
        from chipscreen.decide.demo import run_decisions

        run_decisions(store, console)
    store.close()
    console.print(f"demo finished in {time.perf_counter() - t0:.1f} s")
