"""``chipscreen store verify|restore``: check the store file and its backups; put back a verified backup.

Exit status: ``verify`` 0 when the live store reads in full, 1 when it does not (a finding: restore it);
``restore`` 0 when a verified backup is back in place, 2 when none verifies.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt, WaitOpt
from chipscreen.cli.output import FOUND, console, err_console, exit_with, print_json
from chipscreen.store import default_home
from chipscreen.store.backup import FileCheck, backups, check, restore_backup
from chipscreen.store.files import STORE_FILE
from chipscreen.store.settings import safety

store_app = typer.Typer(help="Check the store file and its backups; put back a verified backup.", no_args_is_help=True)
app.add_typer(store_app, name="store")


def _row(kind: str, c: FileCheck) -> dict[str, object]:
    return {"file": str(c.path), "kind": kind, "ok": c.ok, "problem": c.problem, "sha256": c.sha256,
            "snapshot": c.snapshot, "snapshots": c.snapshots}


def _table(rows: list[dict[str, object]]) -> Table:
    table = Table(title="store files")
    for col in ("file", "state", "latest snapshot", "sha256"):
        table.add_column(col, overflow="fold")
    for r in rows:
        state = "[green]good[/]" if r["ok"] else f"[red]damaged[/]: {r['problem']}"
        sha = str(r["sha256"] or "")[:12]
        table.add_row(f"{r['kind']}: {r['file']}", state, str(r["snapshot"] or ""), sha)
    return table


@store_app.command("verify")
def verify(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """Read the live store and every backup in full (DuckDB checks each block); a backup must hash to its name."""
    where = home or default_home()
    live = check(where / STORE_FILE)
    rows = [_row("live", live)] + [_row("backup", check(p)) for p in backups(where)]
    good = next((r for r in rows[1:] if r["ok"]), None)
    if as_json:
        print_json({"ok": live.ok, "files": rows})
    else:
        console.print(_table(rows))
        if not live.ok:
            advice = (f"restore it with `chipscreen store restore` (puts back {good['file']}, "
                      f"snapshot {good['snapshot']})" if good else
                      "no backup verifies either: reload your lists into a new home")
            err_console.print(f"[red]the live store is damaged[/]: {advice}", highlight=False)
    if not live.ok:
        exit_with(FOUND)


@store_app.command("restore")
def restore(
    backup: Annotated[str | None, typer.Argument(help="Backup file name (default: the newest that verifies).")] = None,
    wait: WaitOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Put a verified backup back as the live store; the file it replaces is kept beside it, never deleted."""
    where = home or default_home()
    done = restore_backup(where, backup, wait=safety().wait_seconds if wait is None else wait)
    if as_json:
        print_json({**_row("backup", done.backup), "kept": str(done.kept) if done.kept else None})
        return
    console.print(f"restored {done.backup.path.name} (latest snapshot {done.backup.snapshot}, "
                  f"{done.backup.snapshots} snapshot(s))", highlight=False)
    if done.kept:
        console.print(f"the replaced store file is kept as {done.kept}", highlight=False)
