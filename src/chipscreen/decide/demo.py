"""The decision part of ``chipscreen demo``: the three-routes scenario set decided under the rules of each
date, then replayed under the 2022 rules against the current rulebook and the remote-access proposal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console

from chipscreen.decide.cli import decision_details, decision_table, replay_summary
from chipscreen.decide.engine import Decider
from chipscreen.decide.replay import replay
from chipscreen.decide.report import replay_html
from chipscreen.ownership.load import load as load_ownership
from chipscreen.paths import data_dir
from chipscreen.rules import list_rulebooks, rulebook_for
from chipscreen.store import Store
from chipscreen.transactions import read_transactions

SCENARIOS = "scenarios"


def run_decisions(store: Store, console: Console, out_dir: Path | None = None) -> Path:
    folder = data_dir() / SCENARIOS
    summary = load_ownership(store, folder / "ownership.csv")
    console.rule("[bold]3. Transactions: the three circumvention routes (illustrative scenarios)")
    console.print(f"ownership data: {summary.name} ({summary.edges} edges; illustrative, see data/scenarios/README.md)")
    txs = [r.transaction for r in read_transactions(folder / "three_routes.jsonl") if r.transaction is not None]
    decider = Decider(store)
    decisions = [decider.decide(tx) for tx in txs]
    console.print(decision_table(decisions, title="decisions under the rules in force on each date"))
    console.print("[bold]why[/] (each reason with its citation; each flag):")
    for line in decision_details(decisions):
        console.print(line, highlight=False)
    console.rule("[bold]4. Replay: which gap would each rule close?")
    old = next(rb for rb in list_rulebooks() if rb.id.startswith("2022-10-07"))
    current = rulebook_for(dt.date.today())
    proposals = [rb for rb in list_rulebooks() if rb.is_proposal]
    reports = [replay(txs, old.id, b.id, store=store) for b in [current, *proposals]]
    for r in reports:
        console.print(replay_summary(r))
    out_dir = out_dir or Path("out")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "replay-report.html"
    path.write_text(
        replay_html(reports, title="Three routes replayed: 2022 rules vs later rulebooks"), encoding="utf-8"
    )
    console.print(f"replay report written to [bold]{path}[/]")
    return path
