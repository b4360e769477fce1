"""``chipscreen check`` and ``chipscreen replay``: thin shells over ``Decider`` and ``replay``.

``check`` exits 1 when any decision is a finding: a licence is required or a flag was raised (a possible
match, a listed relative, a circumvention route: each is something a person must look at). Only the rules
engine's notes (``rule_note``) are not findings. A batch with bad lines exits 2, and its summary still says
what the decided lines found, so neither hides the other.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from chipscreen.cli import render
from chipscreen.cli.app import app
from chipscreen.cli.options import home_option, json_option, open_store, snapshot_option
from chipscreen.cli.output import BAD_INPUT, FOUND, console, err_console, exit_with, print_json
from chipscreen.decide.engine import Decider
from chipscreen.decide.replay import ReplayReport, replay
from chipscreen.decide.report import replay_html
from chipscreen.errors import InputError
from chipscreen.model import Decision
from chipscreen.transactions import read_transactions

# check and replay print no help for --home; their --snapshot help names the default
QuietHomeOpt = Annotated[Path | None, home_option(None)]
LatestSnapshotOpt = Annotated[str | None, snapshot_option("List snapshot (default latest).")]


@app.command("check")
def check(
    source: Annotated[str, typer.Argument(help="TX.json, TXS.jsonl, or - for stdin.")],
    rulebook: Annotated[
        str | None, typer.Option("--rulebook", help="Rulebook id (default: in force on each date).")
    ] = None,
    snapshot: LatestSnapshotOpt = None,
    home: QuietHomeOpt = None,
    as_json: Annotated[bool, json_option("One Decision per line (JSON).")] = False,
    engine: Annotated[str, typer.Option("--engine", help="local, or spark (docs/scale.md; needs --out).")] = "local",
    out: Annotated[Path | None, typer.Option(
        "--out", help="With --engine spark: the decisions as a .parquet or .jsonl dataset directory.")] = None,
) -> None:
    """Decide transactions: licence, reasons with citations and evidence, flags, rulebook and snapshot."""
    if engine != "local" or out is not None:
        check_on_spark(source, engine, out, rulebook, snapshot, home)
        return
    records = list(read_transactions(source))
    with open_store(home) as store:
        decider = Decider(store, rulebook=rulebook, snapshot=snapshot)
        outcomes = list(decider.decide_records(records))
    decisions = [o.decision for o in outcomes if o.decision is not None]
    errors = [o for o in outcomes if o.error]
    for o in errors:
        err_console.print(f"[red]error:[/] {escape(o.error or '')}", highlight=False, soft_wrap=True)
    if as_json:
        write_decisions_json(decisions, one=len(records) == 1)
    else:
        show_decisions(decisions)
    found = [d for d in decisions if is_finding(d)]
    if errors and decisions:
        err_console.print(f"{len(errors):,} bad record(s) of {len(outcomes):,}; of the {len(decisions):,} "
                          f"decided, {len(found):,} with findings{': ' if found else ''}"
                          f"{', '.join(d.id for d in found[:20])}", highlight=False)
    if errors:
        exit_with(BAD_INPUT)
    if found:
        exit_with(FOUND)


def check_on_spark(source: str, engine: str, out: Path | None, rulebook: str | None, snapshot: str | None,
                   home: Path | None) -> None:
    """The run on Spark (``chipscreen.spark.jobs``), its errors, summary and exit status as ``check``'s."""
    if engine != "spark":
        raise InputError(f"--engine: {engine!r} is not local or spark" if engine != "local"
                         else "--out: only with --engine spark (check --json prints the decisions)")
    if out is None or source == "-":
        raise InputError("--engine spark reads a file (not -) and writes --out, a .parquet or .jsonl dataset directory")
    from chipscreen.spark.jobs import check_file

    with open_store(home) as store:
        counts = check_file(store, Path(source), out, not_findings=NOT_FINDINGS, rulebook=rulebook,
                            snapshot=snapshot, restart=True)
    for error in counts.errors:
        err_console.print(f"[red]error:[/] {escape(error)}", highlight=False, soft_wrap=True)
    found = counts.findings
    err_console.print(f"{len(counts.errors):,} bad record(s); of the {counts.decided:,} decided (in {out}), "
                      f"{len(found):,} with findings{': ' if found else ''}{', '.join(found[:20])}", highlight=False)
    if counts.errors:
        exit_with(BAD_INPUT)
    if found:
        exit_with(FOUND)


# what a Decision may carry that is no finding: the rules engine's notes on how it read the rule
NOT_FINDINGS = frozenset({"rule_note"})


def is_finding(decision: Decision) -> bool:
    return decision.license_required or any(f.code not in NOT_FINDINGS for f in decision.flags)


def write_decisions_json(decisions: list[Decision], *, one: bool) -> None:
    """One transaction in: one indented Decision out; several: one Decision per line (JSON lines)."""
    if one and decisions:
        sys.stdout.write(decisions[0].model_dump_json(indent=2) + "\n")
        return
    for d in decisions:
        sys.stdout.write(d.model_dump_json() + "\n")


def show_decisions(decisions: list[Decision]) -> None:
    console.print(render.decision_table(decisions))
    for line in render.decision_details(decisions):
        console.print(line, highlight=False)
    if decisions:
        console.print(
            f"rulebook(s) {', '.join(sorted({d.rulebook for d in decisions}))}; snapshot {decisions[0].snapshot}"
        )


@app.command("replay")
def replay_cmd(
    source: Annotated[str, typer.Argument(help="Transactions (JSON lines).")],
    rulebook: Annotated[str, typer.Option("--rulebook", help="Rulebook A (id or prefix).")],
    vs: Annotated[list[str], typer.Option("--vs", help="Rulebook B (repeat to compare several).")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the report: .html (with chart) or .json.")] = None,
    snapshot: LatestSnapshotOpt = None,
    home: QuietHomeOpt = None,
    as_json: Annotated[bool, json_option(None)] = False,
) -> None:
    """Decide the same history under rulebook A and B: which gap would B close, and what would it stop?"""
    records = list(read_transactions(source))
    bad = [r for r in records if r.transaction is None]
    for r in bad:
        err_console.print(f"[red]error:[/] {r.error}", highlight=False)
    txs = [r.transaction for r in records if r.transaction is not None]
    if not txs:
        raise InputError(f"{source}: no valid transactions to replay")
    with open_store(home) as store:
        reports = [replay(txs, rulebook, b, store=store, snapshot=snapshot) for b in vs]
    if out is not None:
        write_report(out, reports, source)
    if as_json:
        print_json([r.to_dict() for r in reports])
    else:
        for report in reports:
            console.print(render.replay_summary(report))
        if out is not None:
            console.print(f"report written to {out}")
    if bad:
        exit_with(BAD_INPUT)


def write_report(out: Path, reports: list[ReplayReport], source: str) -> None:
    """The replay report as JSON (``.json``) or as an HTML page with its chart (any other name)."""
    if out.suffix.lower() == ".json":
        out.write_text(json.dumps([r.to_dict() for r in reports], indent=2, default=str))
    else:
        out.write_text(replay_html(reports, title=f"replay of {source}"), encoding="utf-8")
