"""``chipscreen check`` and ``chipscreen replay``: thin shells over ``Decider`` and ``replay``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chipscreen.model import Decision


def decision_table(decisions: list[Decision], title: str = "decisions") -> Table:
    """One row per decision: outcome and the codes of its reasons and flags (details: ``decision_details``)."""
    table = Table(title=title)
    for col in ("tx", "date", "item class", "licence", "review", "reasons", "flags"):
        table.add_column(col, overflow="fold")
    for d in decisions:
        flags = sorted({f.code for f in d.flags if f.code != "rule_note"})
        review = (d.review_policy or "-").replace("presumption_of_", "presumption of ").replace("_", " ")
        if d.license_exceptions:
            review += f" ({', '.join(d.license_exceptions)})"
        table.add_row(
            d.id,
            d.date.isoformat(),
            d.classification.paragraph or d.classification.eccn or "not 3A090",
            "[bold red]required[/]" if d.license_required else "[green]no[/]",
            review,
            "\n".join(sorted({r.code for r in d.reasons})) or "-",
            "\n".join(flags) or "-",
        )
    return table


def decision_details(decisions: list[Decision]) -> list[str]:
    """Each reason and flag as one line a reviewer can read: the why behind the table."""
    lines = []
    for d in decisions:
        for r in d.reasons:
            lines.append(f"[bold]{d.id}[/] [red]{r.code}[/]: {r.detail} [dim]({r.citation})[/]")
        for f in d.flags:
            if f.code != "rule_note":
                lines.append(f"[bold]{d.id}[/] [yellow]{f.code}[/]: {f.detail}")
    return lines


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        source: Annotated[str, typer.Argument(help="TX.json, TXS.jsonl, or - for stdin.")],
        rulebook: Annotated[
            str | None, typer.Option("--rulebook", help="Rulebook id (default: in force on each date).")
        ] = None,
        snapshot: Annotated[str | None, typer.Option(help="List snapshot (default latest).")] = None,
        home: Annotated[Path | None, typer.Option("--home", envvar="CHIPSCREEN_HOME")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One Decision per line (JSON).")] = False,
    ) -> None:
        """Decide transactions: licence, reasons with citations and evidence, flags, rulebook and snapshot."""
        from chipscreen.cli import console, err_console, open_store
        from chipscreen.decide.engine import Decider
        from chipscreen.transactions import read_transactions

        records = list(read_transactions(source))
        with open_store(home) as store:
            decider = Decider(store, rulebook=rulebook, snapshot=snapshot)
            outcomes = list(decider.decide_records(records))
        decisions = [o.decision for o in outcomes if o.decision is not None]
        errors = [o for o in outcomes if o.error]
        for o in errors:
            err_console.print(f"[red]error:[/] {o.error}", highlight=False)
        if as_json:
            if len(records) == 1 and decisions:
                sys.stdout.write(decisions[0].model_dump_json(indent=2) + "\n")
            else:
                for d in decisions:
                    sys.stdout.write(d.model_dump_json() + "\n")
        else:
            console.print(decision_table(decisions))
            for line in decision_details(decisions):
                console.print(line, highlight=False)
            if decisions:
                console.print(
                    f"rulebook(s) {', '.join(sorted({d.rulebook for d in decisions}))}; "
                    f"snapshot {decisions[0].snapshot}"
                )
        if errors:
            raise typer.Exit(2)
        if any(d.license_required for d in decisions):
            raise typer.Exit(1)

    @app.command("replay")
    def replay_cmd(
        source: Annotated[str, typer.Argument(help="Transactions (JSON lines).")],
        rulebook: Annotated[str, typer.Option("--rulebook", help="Rulebook A (id or prefix).")],
        vs: Annotated[list[str], typer.Option("--vs", help="Rulebook B (repeat to compare several).")],
        out: Annotated[
            Path | None, typer.Option("--out", help="Write the report: .html (with chart) or .json.")
        ] = None,
        snapshot: Annotated[str | None, typer.Option(help="List snapshot (default latest).")] = None,
        home: Annotated[Path | None, typer.Option("--home", envvar="CHIPSCREEN_HOME")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Decide the same history under rulebook A and B: which gap would B close, and what would it stop?"""
        from chipscreen.cli import console, err_console, open_store, print_json
        from chipscreen.decide.replay import replay
        from chipscreen.decide.report import replay_html
        from chipscreen.errors import InputError
        from chipscreen.transactions import read_transactions

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
            if out.suffix.lower() == ".json":
                out.write_text(json.dumps([r.to_dict() for r in reports], indent=2, default=str))
            else:
                out.write_text(replay_html(reports, title=f"replay of {source}"), encoding="utf-8")
        if as_json:
            print_json([r.to_dict() for r in reports])
        else:
            for report in reports:
                console.print(replay_summary(report))
            if out is not None:
                console.print(f"report written to {out}")
        if bad:
            raise typer.Exit(2)


def replay_summary(report: object) -> Table:
    from chipscreen.decide.replay import ReplayReport

    assert isinstance(report, ReplayReport)
    t = Table(
        title=f"replay: {report.rulebook_a['id']} vs {report.rulebook_b['id']} "
        f"({report.transactions} transactions; licence A {report.required_a}, B {report.required_b})"
    )
    for col in ("route (flag under A)", "flagged", "closed by B", "units stopped"):
        t.add_column(col)
    for route, row in report.by_route.items():
        t.add_row(route, str(row["flagged_under_a"]), str(row["closed_by_b"]), f"{row['units_stopped']:,}")
    changes = {
        k: sum(1 for c in report.changes if c.change == k)
        for k in ("newly_required", "no_longer_required", "reasons_changed")
    }
    t.caption = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in changes.items())
    return t
