"""``chipscreen screen`` and ``chipscreen screen-file``: the name screener from the command line.

Exit status (as for every chipscreen command): 0 = no hit, 1 = at least one hit, 2 = bad input. For
``screen-file`` a bad row (empty name, a 10,000-character cell) is reported and written to the output with
an ``error`` field while the other rows are screened; the run then exits 2 unless some row was a hit (a hit
is the finding a user must not miss, so it wins).

``screen-file`` appends to its output and flushes every row, so an interrupted run resumes where it stopped:
rows already in the output are skipped (``--restart`` starts over).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from chipscreen.cli import render
from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt, SnapshotOpt, date_option, open_store
from chipscreen.cli.output import FOUND, console, err_console, exit_with, print_json
from chipscreen.errors import InputError
from chipscreen.names.screener import Screener, ScreenResult

DateOpt = Annotated[
    dt.date | None, date_option("Screen against entries listed on this date (YYYY-MM-DD; default today).")
]
ListOpt = Annotated[list[str] | None, typer.Option("--list", help="Only these lists (EL, SDN, ...); repeatable.")]

CSV_FIELDS = ("row", "query", "hit", "matches", "best_score", "best_list", "best_entity_id", "best_name",
              "best_matched_name", "error", "matches_json")
# below this many rows, starting worker processes costs more than it saves
PARALLEL_MIN_ROWS = 2000
MAX_DEFAULT_WORKERS = 4
PROGRESS_EVERY = 100


@app.command("screen")
def screen_command(
    name: Annotated[str, typer.Argument(help="The name to screen, in any script.")],
    country: Annotated[str | None, typer.Option("--country", help="ISO-2 country of the party (a qualifier).")] = None,
    date: DateOpt = None,
    snapshot: SnapshotOpt = None,
    lists: ListOpt = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="An identifier of the party (LEI, USCC, registration no.).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Matches to show.")] = 10,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Screen one name against every loaded list: ranked, explained matches (exit 1 on a hit)."""
    with open_store(home) as store:
        screener = Screener(store, snapshot=snapshot, lists=lists, max_matches=limit)
        result = screener.screen(name, country=country, date=date, identifiers=identifier)
    if as_json:
        print_json(result.to_dict())
    else:
        render.screen_result(console, result, screener.hit_threshold, screener.review_threshold)
    exit_with(FOUND if result.hit else 0)


@dataclass
class ScreenFileJob:
    """A ``screen-file`` run worked out before any screening: what is left to do and what earlier runs found."""

    file: Path
    out: Path
    fmt: str
    name_column: str
    todo: Iterator[dict[str, Any]]
    total: int
    remaining: int
    workers: int
    had_hit: bool
    had_error: bool


@app.command("screen-file")
def screen_file_command(
    file: Annotated[Path, typer.Argument(help="CSV file of names (UTF-8, header row).")],
    out: Annotated[Path, typer.Option("--out", help="Results: .jsonl (one JSON object per row) or .csv.")],
    name_column: Annotated[str, typer.Option("--name-column", help="Column holding the name.")] = "name",
    country_column: Annotated[
        str | None, typer.Option("--country-column", help="Column holding the ISO-2 country (used when present).")
    ] = None,
    date: DateOpt = None,
    snapshot: SnapshotOpt = None,
    lists: ListOpt = None,
    workers: Annotated[int, typer.Option("--workers", help="Processes (default: CPU count, at most 4).")] = 0,
    restart: Annotated[bool, typer.Option("--restart", help="Ignore rows already in --out and start over.")] = False,
    home: HomeOpt = None,
) -> None:
    """Screen every row of a CSV file; resumable; exit 1 if any row is a hit, 2 if any row was bad."""
    job = plan_screen_file(file, out, name_column, country_column, workers, restart)
    with open_store(home) as store:
        screener = Screener(store, snapshot=snapshot, lists=lists)
        run_screen_file(job, screener, date)
    if job.had_hit:
        exit_with(FOUND)
    if job.had_error:
        raise InputError(f"{file}: some rows could not be screened (see above); the others are in {out}")
    exit_with(0)


def plan_screen_file(
    file: Path, out: Path, name_column: str, country_column: str | None, workers: int, restart: bool
) -> ScreenFileJob:
    """Check the input and the output name (bad input exits 2 before any work) and skip the rows done."""
    fmt = out_format(out)
    rows, total = read_input(file, name_column, country_column)
    refuse_output_on_input(file, out)
    if restart and out.exists():
        out.unlink()
    done, had_hit, had_error = finished_rows(out, fmt)
    if done:
        err_console.print(f"resuming: {len(done):,} row(s) already in {out}")
    todo = ({"row": r, "name": n, "country": c} for r, n, c in rows if r not in done)
    remaining = total - len(done & set(range(1, total + 1)))
    nworkers = workers if workers > 0 else min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1)
    if remaining < PARALLEL_MIN_ROWS:
        nworkers = 1
    return ScreenFileJob(file, out, fmt, name_column, todo, total, remaining, nworkers, had_hit, had_error)


def run_screen_file(job: ScreenFileJob, screener: Screener, on: dt.date | None) -> None:
    """Screen the rows left, appending each result to the output as it comes (flushed, so a stop loses none)."""
    new_file = not job.out.exists() or job.out.stat().st_size == 0
    with job.out.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS) if job.fmt == "csv" else None
        if writer is not None and new_file:
            writer.writeheader()
        columns = [TextColumn("[bold]screening"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]} rows/s"), TimeElapsedColumn(), TextColumn("ETA"),
                   TimeRemainingColumn()]
        with Progress(*columns, console=err_console, transient=False) as progress:
            done_before = job.total - job.remaining
            task = progress.add_task("screen", total=job.total, completed=done_before, rate="-")
            started = dt.datetime.now()
            results = screener.screen_many(job.todo, date=on, workers=job.workers)
            for count, result in enumerate(results, start=1):
                write_result(job, result, fh, writer)
                if count % PROGRESS_EVERY == 0 or count == job.remaining:
                    secs = max((dt.datetime.now() - started).total_seconds(), 1e-6)
                    progress.update(task, completed=done_before + count, rate=f"{count / secs:,.0f}")
            progress.update(task, completed=job.total)


def write_result(job: ScreenFileJob, result: ScreenResult, fh: IO[str], writer: csv.DictWriter[str] | None) -> None:
    if result.error is not None:
        job.had_error = True
        err_console.print(f"{job.file}:{(result.row or 0) + 1}: {job.name_column}: {result.error}",
                          highlight=False, markup=False, soft_wrap=True)
    job.had_hit = job.had_hit or result.hit
    if writer is not None:
        writer.writerow(csv_row(result))
    else:
        fh.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    fh.flush()


def refuse_output_on_input(file: Path, out: Path) -> None:
    """Writing the results into the input (the same path, or a symbolic or hard link to it) would append to
    the file being read until the disk is full."""
    same = out.resolve() == file.resolve() or (out.exists() and os.path.samefile(out, file))
    if same:
        raise InputError(f"--out {out}: is the input file {file} itself; write the results to another file")


def out_format(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise InputError(f"--out {out}: use a .jsonl or .csv file name")


def read_input(
    file: Path, name_column: str, country_column: str | None
) -> tuple[Iterator[tuple[int, str | None, str | None]], int]:
    """Check the header now (a missing column is bad input: exit 2 before any work), stream rows later."""
    if not file.exists():
        raise InputError(f"{file}: no such file")
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            total = sum(1 for _ in reader)
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise InputError(f"{file}: not a readable CSV file ({exc})") from None
    if not header:
        raise InputError(f"{file}: empty file (a header row with a {name_column!r} column is needed)")
    header = [h.strip() for h in header]
    if name_column not in header:
        raise InputError(f"{file}: no column {name_column!r} (columns: {', '.join(header)}); use --name-column")
    if country_column is not None and country_column not in header:
        raise InputError(f"{file}: no column {country_column!r} (columns: {', '.join(header)})")
    ccol = country_column if country_column is not None else ("country" if "country" in header else None)

    def rows() -> Iterator[tuple[int, str | None, str | None]]:
        csv.field_size_limit(1 << 24)
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
            for i, rec in enumerate(reader, start=1):
                yield i, rec.get(name_column), (rec.get(ccol) if ccol else None)

    return rows(), total


def finished_rows(out: Path, fmt: str) -> tuple[set[int], bool, bool]:
    """Rows already written by an earlier run, whether any was a hit or an error. A last line cut by the
    interruption is removed so the file stays valid."""
    done: set[int] = set()
    hit = error = False
    if not out.exists() or out.stat().st_size == 0:
        return done, hit, error
    data = out.read_bytes()
    if not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        with out.open("r+b") as fh:
            fh.truncate(cut)
        data = data[:cut]
    text = data.decode("utf-8", errors="replace")
    if fmt == "jsonl":
        for line in text.splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("row"), int):
                done.add(rec["row"])
                hit = hit or rec.get("hit") is True
                error = error or "error" in rec
    else:
        for rec in csv.DictReader(text.splitlines()):
            try:
                done.add(int(rec.get("row") or ""))
            except ValueError:
                continue
            hit = hit or rec.get("hit") == "true"
            error = error or bool(rec.get("error"))
    return done, hit, error


def csv_row(result: ScreenResult) -> dict[str, Any]:
    best = result.matches[0] if result.matches else None
    return {
        "row": result.row, "query": result.query,
        "hit": "" if result.error else ("true" if result.hit else "false"),
        "matches": len(result.matches),
        "best_score": f"{best.score:.4f}" if best else "",
        "best_list": best.list if best else "", "best_entity_id": best.entity_id if best else "",
        "best_name": best.name if best else "", "best_matched_name": best.matched_name if best else "",
        "error": result.error or "",
        "matches_json": json.dumps([m.to_dict() for m in result.matches], ensure_ascii=False),
    }
