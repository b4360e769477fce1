"""The ``chipscreen`` command: a thin Typer shell over the library.

Exit status: 0 = ran, nothing found; 1 = findings (a hit, a licence required); 2 = bad input.
Every command that returns data takes ``--json``. Engines add their commands through ``register(app)``
in their own ``cli`` module, so this file only holds the list commands and the wiring.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from chipscreen.bundled import open_store as open_bundled
from chipscreen.errors import ChipscreenError
from chipscreen.store import Store

app = typer.Typer(
    name="chipscreen",
    help="Export-control screening for advanced AI compute: may this compute go to this party, on this date?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
lists_app = typer.Typer(help="Load, show and compare restricted-party list snapshots.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")

console = Console()
err_console = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
HomeOpt = Annotated[
    Path | None,
    typer.Option("--home", envvar="CHIPSCREEN_HOME", help="Data directory (default ~/.local/share/chipscreen)."),
]


def open_store(home: Path | None, *, autoload: bool = True) -> Store:
    """The store every command uses; the first command on an empty home loads the bundled lists."""
    return open_bundled(home) if autoload else Store(home)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _json_default(o: Any) -> Any:
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    if hasattr(o, "model_dump"):
        return o.model_dump(mode="json", by_alias=True)
    if isinstance(o, set | tuple):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def parse_date_option(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ChipscreenError(f"--date: not an ISO date (YYYY-MM-DD): {value!r}") from None


# ---------------------------------------------------------------------------------------------- lists
@lists_app.command("load")
def lists_load(
    files: Annotated[list[Path], typer.Argument(help="List files (OFAC: the folder or any of its CSV files).")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="us-lists-json | csl-csv | csl-json | ofac-csv | ftm | ftm-delta | parties-csv"),
    ] = None,
    retrieved: Annotated[
        str | None, typer.Option(help="Date the file was published or downloaded (default today).")
    ] = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Report bad rows and import the rest.")
    ] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Point the lists at these files even if older.")] = False,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import list files as a new immutable snapshot."""
    from chipscreen.sources import parse_file

    retrieved_date = parse_date_option(retrieved)
    parsed = [parse_file(f, fmt=fmt, retrieved=retrieved_date, skip_bad_rows=skip_bad_rows) for f in files]
    with open_store(home) as store:
        result = store.load(parsed, note="lists load " + " ".join(str(f) for f in files), replace=replace)
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
    for d in result.datasets:
        console.print(
            f"[bold]{d.name}[/] ({d.format}): {d.entries:,} entries from {d.rows_read:,} rows, "
            f"{d.relations:,} links, lists {', '.join(d.list_codes)}; dataset {d.id}"
        )
    for code, old in result.kept_newer.items():
        console.print(f"[yellow]{code}[/]: kept the newer dataset {old} (use --replace to override)")
    console.print(f"snapshot [bold]{result.snapshot.id}[/]")


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
    table = Table(title=f"snapshot {snap.id} ({snap.created_at:%Y-%m-%d %H:%M} UTC)")
    for col in ("list", "entries", "file", "retrieved", "dataset", "sha256"):
        table.add_column(col, justify="right" if col == "entries" else "left")
    for code, did in snap.lists.items():
        d = datasets[did]
        table.add_row(code, f"{counts.get(code, 0):,}", d.name, str(d.retrieved), did, d.sha256[:12])
    console.print(table)
    files = Table(title="datasets in this snapshot")
    for col in ("file", "format", "rows read", "entries", "links", "skipped"):
        files.add_column(col, justify="left" if col in ("file", "format") else "right")
    for d in sorted(datasets.values(), key=lambda d: d.name):
        files.add_row(d.name, d.format, f"{d.rows_read:,}", f"{d.entries:,}", f"{d.relations:,}", f"{d.skipped:,}")
    console.print(files)
    console.print(f"{len(history)} snapshot(s); latest {history[-1].id}")


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
        if datasets:
            if not old or not new:
                raise ChipscreenError("--datasets needs OLD and NEW dataset ids or file names")
            a, b = store.resolve_dataset(old), store.resolve_dataset(new)
            rows = store.diff_datasets(a, b, lists=list_code)
        else:
            a = store.snapshot(old or "latest~1").id
            b = store.snapshot(new).id
            rows = store.diff(a, b, lists=list_code)
    summary = {k: sum(1 for r in rows if r.change == k) for k in ("added", "removed", "changed")}
    if as_json:
        print_json({"old": a, "new": b, "summary": summary, "changes": [r.__dict__ for r in rows]})
        return
    console.print(
        f"{a} -> {b}: {summary['added']:,} added, {summary['removed']:,} removed, {summary['changed']:,} changed"
    )
    for kind in ("added", "removed", "changed"):
        some = [r for r in rows if r.change == kind][:limit]
        if not some:
            continue
        table = Table(title=f"{kind} (first {len(some)})")
        table.add_column("list")
        table.add_column("entity")
        table.add_column("name")
        if kind == "changed":
            table.add_column("fields")
        for r in some:
            cells = [r.list_code, r.entity_id, r.name]
            if kind == "changed":
                cells.append(", ".join(r.fields))
            table.add_row(*cells)
        console.print(table)


@app.command("demo")
def demo(home: HomeOpt = None) -> None:
    """The end-to-end run on the bundled real data."""
    from chipscreen.demo import run_demo

    run_demo(home, console)


# Engine packages add their commands here; a package that is not present simply adds nothing.
_ENGINE_CLIS = ("chipscreen.names.cli", "chipscreen.ownership.cli", "chipscreen.rules.cli", "chipscreen.decide.cli")


def _register_engines() -> None:
    for module in _ENGINE_CLIS:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue
            raise
        mod.register(app)


_register_engines()


def main() -> None:
    """Entry point: user errors become a message and exit 2, never a traceback."""
    try:
        code = app(standalone_mode=False)  # returns the code of a raised typer.Exit in this mode
        sys.exit(code if isinstance(code, int) else 0)
    except ChipscreenError as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:
        # usage errors of click (or of the click that newer Typer vendors): they know how to show themselves
        show = getattr(exc, "show", None)
        if callable(show) and isinstance(getattr(exc, "exit_code", None), int):
            show()
            sys.exit(2)
        raise
