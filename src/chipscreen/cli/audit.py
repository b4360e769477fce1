"""``chipscreen audit verify|export``: check the service's hash-chained audit log, or write it as JSON lines."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt
from chipscreen.cli.output import FOUND, console, err_console, exit_with, print_json
from chipscreen.errors import ChipscreenError
from chipscreen.service.audit import AuditLog, export_line
from chipscreen.store import default_home

audit_app = typer.Typer(help="The service's audit log: verify the hash chain, export records.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _log(home: Path | None) -> AuditLog:
    return AuditLog(Path(home) if home else default_home())


def parse_since(value: str) -> dt.datetime:
    """A date or a date-time (ISO); a date-time without a zone is taken as UTC."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ChipscreenError(f"--since: not an ISO date or date-time: {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@audit_app.command("verify")
def verify(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """Recompute the chain: exit 1 and name the records if one was edited or deleted."""
    v = _log(home).verify()
    if as_json:
        print_json({"ok": v.ok, "records": v.records, "head": v.head, "problems": v.problems})
    elif v.ok:
        console.print(f"audit log intact: {v.records:,} record(s); head {v.head}")
    else:
        for p in v.problems:
            err_console.print(f"[red]tampered:[/] {p}", highlight=False)
    exit_with(0 if v.ok else FOUND)


@audit_app.command("export")
def export(
    since: Annotated[str | None, typer.Option("--since", help="From this date or date-time on (ISO, UTC).")] = None,
    home: HomeOpt = None,
) -> None:
    """Write the records as JSON lines to stdout."""
    for rec in _log(home).records(parse_since(since) if since else None):
        sys.stdout.write(export_line(rec) + "\n")
