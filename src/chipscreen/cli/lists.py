"""``chipscreen lists load|show|diff``: the restricted-party list snapshots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chipscreen.cli import render
from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt, WaitOpt, date_option, open_store
from chipscreen.cli.output import console, err_console, print_json
from chipscreen.errors import ChipscreenError, NotFoundError
from chipscreen.sources import READERS, parse_file
from chipscreen.store import DiffRow, Store, internal_lists

lists_app = typer.Typer(help="Load, show and compare restricted-party list snapshots.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")


AcceptShrinkOpt = Annotated[
    bool, typer.Option("--accept-shrink", help="Load even if a list shrinks past the guard of data/store/safety.yml.")
]


@lists_app.command("load")
def lists_load(
    files: Annotated[list[Path], typer.Argument(help="List files (OFAC: the folder or any of its CSV files).")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help=" | ".join(READERS)),
    ] = None,
    retrieved: Annotated[
        dt.date | None,
        date_option("Date the file was published or downloaded (default today).", flag="--retrieved"),
    ] = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Report bad rows and import the rest.")
    ] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Point the lists at these files even if older.")] = False,
    list_name: Annotated[
        str | None, typer.Option("--list", help="Load a parties CSV as this internal list (kept beside the others).")
    ] = None,
    accept_shrink: AcceptShrinkOpt = False,
    wait: WaitOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import list files as a new immutable snapshot."""
    code = internal_lists.list_name(list_name) if list_name is not None else None
    parsed = [parse_file(f, fmt=fmt, retrieved=retrieved, skip_bad_rows=skip_bad_rows, list_code=code) for f in files]
    with open_store(home, wait) as store:
        if code is not None:
            internal_lists.refuse_government_code(store, code)
        result = store.load(parsed, note="lists load " + " ".join(str(f) for f in files), replace=replace,
                            accept_shrink=accept_shrink)
    for ds in parsed:
        for problem in ds.skipped:
            err_console.print(f"[yellow]skipped[/] {problem}", highlight=False)
    if as_json:
        print_json(
            {
                "snapshot": result.snapshot.id,
                "datasets": [d.__dict__ for d in result.datasets],
                "replaced": result.replaced,
                "kept_newer": result.kept_newer,
                "skipped_rows": result.skipped_rows,
            }
        )
        return
    render.load_result(console, result)


@lists_app.command("show")
def lists_show(
    snapshot: Annotated[str | None, typer.Argument(help="Snapshot id or prefix (default latest).")] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a snapshot: each list, its source dataset and entry count; and the snapshot history."""
    with open_store(home) as store:
        snap = store.snapshot(snapshot)
        counts = store.counts(snap)
        datasets = {did: store.dataset(did) for did in set(snap.lists.values())}
        history = store.snapshots()
    if as_json:
        print_json(
            {
                "snapshot": snap.id,
                "created_at": snap.created_at,
                "note": snap.note,
                "lists": [
                    {
                        "list": code,
                        "entries": counts.get(code, 0),
                        "dataset": did,
                        "file": datasets[did].name,
                        "sha256": datasets[did].sha256,
                        "retrieved": datasets[did].retrieved,
                    }
                    for code, did in snap.lists.items()
                ],
                "datasets": [d.__dict__ for d in datasets.values()],
                "history": [{"id": s.id, "seq": s.seq, "created_at": s.created_at, "note": s.note} for s in history],
            }
        )
        return
    render.snapshot_tables(console, snap, counts, datasets, history)


@lists_app.command("diff")
def lists_diff(
    old: Annotated[str | None, typer.Argument(help="Old snapshot or dataset (default: the one before latest).")] = None,
    new: Annotated[str | None, typer.Argument(help="New snapshot or dataset (default latest).")] = None,
    list_code: Annotated[list[str] | None, typer.Option("--list", help="Only these list codes (EL, SDN...).")] = None,
    datasets: Annotated[bool, typer.Option("--datasets", help="OLD and NEW are dataset ids or file names.")] = False,
    limit: Annotated[int, typer.Option(help="Rows to print per change kind (table output).")] = 20,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Entries added, removed and changed between two snapshots (or two datasets with --datasets)."""
    with open_store(home) as store:
        a, b, rows = _diff(store, old, new, list_code, datasets)
    summary = {k: sum(1 for r in rows if r.change == k) for k in render.CHANGE_KINDS}
    if as_json:
        print_json({"old": a, "new": b, "summary": summary, "changes": [r.__dict__ for r in rows]})
        return
    render.diff_tables(console, a, b, rows, summary, limit)


def _diff(
    store: Store, old: str | None, new: str | None, lists: list[str] | None, datasets: bool
) -> tuple[str, str, list[DiffRow]]:
    """The two ids compared and the changed rows: between datasets, or between snapshots (default: the
    latest against the one before)."""
    if datasets:
        if not old or not new:
            raise ChipscreenError("--datasets needs OLD and NEW dataset ids or file names")
        a, b = store.resolve_dataset(old), store.resolve_dataset(new)
        return a, b, store.diff_datasets(a, b, lists=lists)
    b = store.snapshot(new).id
    try:
        a = store.snapshot(old or "latest~1").id
    except NotFoundError:
        if old:
            raise
        raise NotFoundError(f"the store holds one snapshot ({b}): nothing to compare it with yet. `lists diff` "
                            "compares the latest snapshot with the one before; load a newer list file first, or "
                            "name two datasets with --datasets") from None
    return a, b, store.diff(a, b, lists=lists)


@lists_app.command("update")
def lists_update(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Sources of data/sources.yaml (default: those marked default).")
    ] = None,
    mirror: Annotated[
        str | None, typer.Option("--mirror", metavar="BASE", help="Fetch BASE/<file> instead of the publishers' "
                                 "URLs (closed networks; default $CHIPSCREEN_MIRROR).")
    ] = None,
    accept_shrink: AcceptShrinkOpt = False,
    wait: WaitOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fetch the official lists and load what changed as a new snapshot (nothing, if nothing changed)."""
    from chipscreen.updates import read_catalog, update
    from chipscreen.updates.catalog import mirror_base

    catalog = read_catalog()
    chosen = catalog.select(source)
    base = mirror_base(mirror)
    with open_store(home, wait) as store:
        result = update(store, chosen, catalog.http, mirror=base, accept_shrink=accept_shrink)
    if as_json:
        print_json({"previous": result.previous, "snapshot": result.snapshot,
                    "sources": [o.__dict__ for o in result.outcomes],
                    "replaced": result.load.replaced if result.load else {}})
        return
    table = Table(title="lists update")
    for col in ("source", "status", "bytes", "tries", "url"):
        table.add_column(col)
    for o in result.outcomes:
        table.add_row(o.source, o.status, f"{o.size:,}", str(o.attempts), o.url)
    console.print(table)
    if result.load is not None:
        render.load_result(console, result.load)
    else:
        console.print(f"Nothing changed: the latest snapshot is still {result.previous}.")


@lists_app.command("changes")
def lists_changes(
    since: Annotated[str, typer.Option("--since", metavar="SNAPSHOT|DATE",
                                       help="Changes after this snapshot, or made on or after this date.")],
    limit: Annotated[int, typer.Option(help="Rows to print per change kind and snapshot (table output).")] = 20,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Entries added, removed and changed by each snapshot since SNAPSHOT or DATE, oldest first."""
    from chipscreen.store.changes import changes_since

    with open_store(home) as store:
        steps = changes_since(store, since)
    if as_json:
        print_json({"since": since, "steps": [
            {"old": s.old, "new": s.new.id, "created_at": s.new.created_at, "note": s.new.note,
             "summary": _summary(s.changes), "changes": [r.__dict__ for r in s.changes]} for s in steps]})
        return
    if not steps:
        console.print(f"No snapshot since {since}.")
    for s in steps:
        console.print(f"[bold]{s.new.id[:12]}[/] {s.new.created_at:%Y-%m-%d %H:%M} {s.new.note or ''}",
                      highlight=False)
        render.diff_tables(console, s.old or "(empty)", s.new.id, s.changes, _summary(s.changes), limit)


def _summary(rows: list[DiffRow]) -> dict[str, int]:
    return {k: sum(1 for r in rows if r.change == k) for k in render.CHANGE_KINDS}
