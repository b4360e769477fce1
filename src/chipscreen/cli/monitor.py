"""``chipscreen monitor add|add-transactions|run``: watch the user's own parties and open transactions for
list and rule changes (``chipscreen.monitor``). Exit status 1 when a run finds something newly needing attention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.table import Table

from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt, date_option, engine_is_spark, open_store, wants_queue
from chipscreen.cli.output import FOUND, console, err_console, exit_with, print_json

SHOWN = 20
"""Party findings printed as text; --json and --out give them all."""

if TYPE_CHECKING:
    from chipscreen.monitor import MonitorReport
    from chipscreen.store import Store

monitor_app = typer.Typer(help="Watch your customers and open transactions for list and rule changes.",
                          no_args_is_help=True)
app.add_typer(monitor_app, name="monitor")


@monitor_app.command("add")
def monitor_add(
    file: Annotated[Path, typer.Argument(help="Parties CSV: name,country[,id] with a header.")],
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add customers and lessees to the watch set (a known id is replaced)."""
    from chipscreen.monitor import add_parties

    _add(file, home, as_json, add_parties, "parties")


@monitor_app.command("add-transactions")
def monitor_add_transactions(
    file: Annotated[Path, typer.Argument(help="Open transactions: Transaction JSON lines (or a JSON array).")],
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add open leases and cloud contracts to the watch set (a known id is replaced)."""
    from chipscreen.monitor import add_transactions

    _add(file, home, as_json, add_transactions, "transactions")


def _add(file: Path, home: Path | None, as_json: bool, add: Callable[[Store, Path], int],
         what: Literal["parties", "transactions"]) -> None:
    """Both `monitor add` commands: add the file's rows to the watch set, then say what is watched now."""
    from chipscreen.store import watch

    with open_store(home) as store:
        added = add(store, file)
        parties, txs = watch.counts(store)
    if as_json:
        print_json({"file": str(file), f"{what}_in_file": added,
                    f"watched_{what}": parties if what == "parties" else txs})
        return
    console.print(f"{added:,} {what} from {file}; watching {parties:,} parties and {txs:,} open transactions.",
                  highlight=False)


@monitor_app.command("run")
def monitor_run(
    out: Annotated[Path | None, typer.Option("--out", help="Also write the findings as an HTML page.")] = None,
    on: Annotated[dt.date | None, date_option("Date the lists and rules are read for (default today).")] = None,
    queue: Annotated[bool | None, typer.Option(
        "--queue/--no-queue", help="File the findings as cases in the review desk's queue (default: when the "
        "home has a desk, as `chipscreen serve` makes).")] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
    engine: Annotated[str, typer.Option("--engine", help="local, or spark (docs/scale.md).")] = "local",
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes that work out which watched parties "
                                         "the change reaches and screen them (local engine).")] = 1,
) -> None:
    """What the list and rule changes since the last run mean for the watch set (exit 1: new findings)."""
    from chipscreen.monitor import run_monitor
    from chipscreen.monitor.report import monitor_html

    on_spark = engine_is_spark(engine)
    with open_store(home) as store:
        if on_spark:
            from chipscreen.spark.monitoring import monitor

            report = monitor(store, on=on)
        else:
            report = run_monitor(store, on=on, workers=workers)
        if wants_queue(queue, store.home):
            _file_cases(store, report)
    if out is not None:
        out.write_text(monitor_html(report), encoding="utf-8")
    if as_json:
        print_json(report.to_dict())
    else:
        _print(report)
    if report.needs_attention:
        exit_with(FOUND)


def _file_cases(store: Store, report: MonitorReport) -> None:
    from chipscreen.review import CaseStore, file_monitor_report

    cases = CaseStore(store.home)
    try:
        filed = file_monitor_report(cases, store, report.to_dict())
    finally:
        cases.close()
    err_console.print(f"{filed:,} new case(s) in the review queue", highlight=False)


def _print(report: MonitorReport) -> None:
    s = report.summary()
    console.print(f"Run {report.run}: {report.old_snapshot or '(baseline)'} -> {report.new_snapshot}: "
                  f"{s['added']:,} added, {s['removed']:,} removed, {s['changed']:,} changed; new rulebooks: "
                  f"{', '.join(report.rulebooks_added) or 'none'}", highlight=False)
    for f in report.parties[:SHOWN]:
        if f.kind == "captured affiliate":
            own = f.explanation.get("ownership", {})
            console.print(f"[bold]{f.kind}[/] {f.party_id} {f.party_name!r}: {f.score:.1%} held by {f.entry_name!r} "
                          f"({f.list_code}; {own.get('regime')}, {own.get('citation')}; was {f.before})",
                          highlight=False)
            continue
        console.print(f"[bold]{f.kind}[/] {f.party_id} {f.party_name!r} ~ {f.list_code} {f.entity_id} "
                      f"{f.entry_name!r} (entry {f.change}, score {f.score:.2f})", highlight=False)
    if len(report.parties) > SHOWN:
        console.print(f"... and {len(report.parties) - SHOWN:,} more party findings (--json, --out)")
    if report.transactions:
        table = Table(title="open transactions")
        for col in ("tx", "licence", "rulebook", "new reasons and flags"):
            table.add_column(col)
        for t in report.transactions:
            was = (t.before or {}).get("license_required", "new")
            table.add_row(t.tx_id, f"{was} -> {t.after['license_required']}", t.after["rulebook"],
                          "; ".join(f"{a.get('code')} {a.get('party') or ''}".strip() for a in t.appeared))
        console.print(table)
    if not report.needs_attention:
        console.print("Nothing newly needs attention.")
