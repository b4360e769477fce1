"""``chipscreen demo``: the end-to-end run on the bundled real data, shown stage by stage.

The stages are computed by ``chipscreen.demo``; this module only prints them.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from chipscreen import demo as stages
from chipscreen.cli import render
from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, open_store
from chipscreen.cli.output import console
from chipscreen.store import Store


@app.command("demo")
def demo(home: HomeOpt = None) -> None:
    """The end-to-end run on the bundled real data."""
    run_demo(home, console)


def run_demo(home: Path | None, console: Console) -> None:
    t0 = time.perf_counter()
    with open_store(home) as store:
        show_snapshot(store, console, t0)
        show_screening(store, console)
        show_scenarios(store, console)
    console.print(f"demo finished in {time.perf_counter() - t0:.1f} s")


def show_snapshot(store: Store, console: Console, t0: float) -> None:
    snap, counts = stages.latest_snapshot(store)
    console.rule("[bold]1. List snapshot")
    console.print(
        f"snapshot [bold]{snap.id}[/] with {sum(counts.values()):,} entries on {len(counts)} lists "
        f"(opened in {time.perf_counter() - t0:.1f} s): " + ", ".join(f"{code} {n:,}" for code, n in counts.items())
    )
    table = Table(title="AI-chip firms on the Entity List, with the date the Federal Register listed them")
    for col in ("entry", "country", "listed", "FDP footnotes", "first FR citation"):
        table.add_column(col)
    for f in stages.listed_ai_chip_firms(store, snap):
        table.add_row(f.name, f.country, f.listed, f.footnotes, f.first_citation)
    console.print(table)


def show_screening(store: Store, console: Console) -> None:
    console.rule("[bold]2. Name screening")
    t = Table(title="names as they appear on orders and sign-ups")
    for col in ("query", "hit", "best match", "list", "score"):
        t.add_column(col)
    for s in stages.screen_demo_names(store):
        best = s.best
        t.add_row(
            s.query,
            "HIT" if s.hit else "-",
            best.name if best else "",
            best.list if best else "",
            f"{best.score:.2f}" if best else "",
        )
    console.print(t)


def show_scenarios(store: Store, console: Console) -> None:
    """The three-routes scenarios decided under the rules of each date, then replayed under the 2022 rules
    against the current rulebook and each proposal; the replay report is written as HTML."""
    summary = stages.load_scenario_ownership(store)
    console.rule("[bold]3. Transactions: the three circumvention routes (illustrative scenarios)")
    console.print(f"ownership data: {summary.name} ({summary.edges} edges; illustrative, see data/scenarios/README.md)")
    txs = stages.scenario_transactions()
    decisions = stages.decide_all(store, txs)
    console.print(render.decision_table(decisions, title="decisions under the rules in force on each date"))
    console.print("[bold]why[/] (each reason with its citation; each flag):")
    for line in render.decision_details(decisions):
        console.print(line, highlight=False)
    console.rule("[bold]4. Replay: which gap would each rule close?")
    reports = stages.replay_scenarios(store, txs)
    for r in reports:
        console.print(render.replay_summary(r))
    path = stages.write_replay_report(reports)
    console.print(f"replay report written to [bold]{path}[/]")
