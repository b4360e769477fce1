"""``chipscreen screen`` and ``chipscreen screen-file``: the name screener from the command line.

Exit status (as for every chipscreen command): 0 = nothing found, 1 = at least one match (a hit, or a
possible match in the review band: a name a person must look at is a finding), 2 = bad input. For
``screen-file`` a bad row (empty name, a 10,000-character cell) is reported and written to the output with
an ``error`` field while the other rows are screened; the run then exits 2 and its message counts the hits
and possible matches of the other rows, so neither hides the other.

``screen-file`` appends to its output and flushes every row, so an interrupted run resumes where it stopped:
rows already in the output are skipped (``--restart`` starts over). It resumes only a run of the same input
(name, size, SHA-256), snapshot, date, lists and columns (``chipscreen.cli.resume``); any other output is
refused, so a rewritten input is never half-screened.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

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
from chipscreen.cli.options import HomeOpt, JsonOpt, SnapshotOpt, date_option, engine_is_spark, open_store, wants_queue
from chipscreen.cli.output import FOUND, console, err_console, exit_with, print_json
from chipscreen.cli.resume import RunRecord, check_resume, file_digest, forget, write_record
from chipscreen.cli.screen_rows import CSV_FIELDS, Done, csv_row, finished_rows, out_format, read_input
from chipscreen.errors import InputError
from chipscreen.names.screener import Screener, ScreenResult
from chipscreen.result_rows import json_row
from chipscreen.store import Store, default_home

if TYPE_CHECKING:
    from chipscreen.review import CaseFiler

DateOpt = Annotated[
    dt.date | None, date_option("Screen against entries listed on this date (YYYY-MM-DD; default today).")
]
ListOpt = Annotated[list[str] | None, typer.Option("--list", help="Only these lists (EL, SDN, ...); repeatable.")]
IgnoreClearedOpt = Annotated[bool, typer.Option(
    "--ignore-cleared", help="Leave out matches the review desk cleared for this party and entry content.")]
QueueOpt = Annotated[bool | None, typer.Option(
    "--queue/--no-queue", help="File the matches as cases in the review desk's queue (default: when the home "
    "has a desk, as `chipscreen serve` makes).")]
EngineOpt = Annotated[str, typer.Option(
    "--engine", help="local, or spark (docs/scale.md): --out is then a .parquet or .jsonl dataset directory, "
    "a CSV or Parquet input, --workers the local[N] cores.")]

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
    ignore_cleared: IgnoreClearedOpt = False,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Screen one name against every loaded list: ranked, explained matches (exit 1 on a hit or a possible
    match)."""
    with open_store(home) as store:
        screener = Screener(store, snapshot=snapshot, lists=lists, max_matches=limit)
        result = screener.screen(name, country=country, date=date, identifiers=identifier)
        if ignore_cleared:
            drop_cleared(result, store, screener.snapshot_id or "", country, home)
    if as_json:
        print_json(result.to_dict())
    else:
        render.screen_result(console, result, screener.hit_threshold, screener.review_threshold)
    exit_with(FOUND if result.matches else 0)


def drop_cleared(result: ScreenResult, store: Store, snapshot: str, country: str | None, home: Path | None) -> None:
    """Take out the matches the review desk cleared (same party, same entry content), saying which."""
    from chipscreen.review import CaseStore, without_cleared  # only with the flag: a plain screen stays fast

    kept, cleared = without_cleared(CaseStore(home or default_home()), store, snapshot, result.query, country,
                                    result.matches)
    for case in cleared.values():
        err_console.print(f"{case.entry_name} ({case.list_code}): {case.cleared_note}", highlight=False,
                          markup=False, soft_wrap=True)
    result.matches = kept
    result.hit = any(m.hit for m in kept)


@dataclass
class ScreenFileJob:
    """A ``screen-file`` run worked out before any screening: what is left to do and what earlier runs found."""

    file: Path
    out: Path
    fmt: str
    name_column: str
    rows: Iterator[tuple[int, str | None, str | None]]
    total: int
    workers: int
    restart: bool
    record: RunRecord | None = None
    done: Done = field(default_factory=Done)
    filer: CaseFiler | None = None
    countries: dict[int, str | None] = field(default_factory=dict)  # rows in flight, for --queue

    @property
    def remaining(self) -> int:
        return self.total - len(self.done.rows & set(range(1, self.total + 1)))

    def todo(self) -> Iterator[dict[str, Any]]:
        for r, n, c in self.rows:
            if r not in self.done.rows:
                if self.filer is not None:
                    self.countries[r] = c
                yield {"row": r, "name": n, "country": c}


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
    queue: QueueOpt = None,
    home: HomeOpt = None,
    engine: EngineOpt = "local",
) -> None:
    """Screen every row of a CSV file; resumable; exit 1 if any row has a match, 2 if any row was bad."""
    if engine_is_spark(engine):
        refuse_output_on_input(file, out)
        job = ScreenFileJob(file, out, "spark", name_column, iter(()), 0, workers, restart)
        job.done = screen_file_on_spark(job, country_column, date, snapshot, lists, home)
        finish_screen_file(job)
        return
    job = plan_screen_file(file, out, name_column, workers, restart)
    rows, job.total = read_input(file, name_column, country_column)
    job.rows = rows
    on = date or dt.date.today()
    with open_store(home) as store:
        screener = Screener(store, snapshot=snapshot, lists=lists)
        size, digest = file_digest(file)
        job.record = RunRecord(str(file.resolve()), size, digest, screener.snapshot_id or "", on.isoformat(),
                               sorted(lists or []), name_column, country_column)
        resume_or_start(job)
        if wants_queue(queue, store.home):
            from chipscreen.review import CaseFiler, CaseStore

            job.filer = CaseFiler(CaseStore(home or default_home()), store, screener.snapshot_id or "", "screen-file")
        run_screen_file(job, screener, on)
        if job.filer is not None:
            job.filer.flush()
            err_console.print(f"{job.filer.filed:,} new case(s) in the review queue", highlight=False)
    finish_screen_file(job)


def finish_screen_file(job: ScreenFileJob) -> None:
    """Exit 2 when a row was bad, saying what the good rows found (a bad row must not hide a hit, and a hit
    must not hide a bad row); otherwise exit 1 when any row has a match, a hit or a possible match."""
    done = job.done
    found = f"{done.hits:,} hit(s) and {done.matched - done.hits:,} possible match(es)"
    if done.errors:
        raise InputError(f"{job.file}: {done.errors:,} row(s) could not be screened (see above); the others "
                         f"are in {job.out}, with {found}")
    if done.matched:
        err_console.print(f"{found} in {job.out}", highlight=False)
        exit_with(FOUND)
    exit_with(0)


def plan_screen_file(file: Path, out: Path, name_column: str, workers: int, restart: bool) -> ScreenFileJob:
    """Check the output name against the input (bad input exits 2 before any work)."""
    fmt = out_format(out)
    if not file.exists():
        raise InputError(f"{file}: no such file")
    refuse_output_on_input(file, out)
    nworkers = workers if workers > 0 else min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1)
    return ScreenFileJob(file, out, fmt, name_column, iter(()), 0, nworkers, restart)


def resume_or_start(job: ScreenFileJob) -> None:
    """Skip the rows an earlier run of the same input, snapshot and date wrote; refuse any other output."""
    assert job.record is not None
    if job.restart:
        forget(job.out)
    job.done = finished_rows(job.out, job.fmt)
    check_resume(job.out, job.record, len(job.done.rows), job.done.stamps)
    if job.done.rows:
        err_console.print(f"resuming: {len(job.done.rows):,} row(s) already in {job.out}")
    write_record(job.out, job.record)
    if job.remaining < PARALLEL_MIN_ROWS:
        job.workers = 1


def run_screen_file(job: ScreenFileJob, screener: Screener, on: dt.date) -> None:
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
            remaining = job.remaining
            done_before = job.total - remaining
            task = progress.add_task("screen", total=job.total, completed=done_before, rate="-")
            started = dt.datetime.now()
            results = screener.screen_many(job.todo(), date=on, workers=job.workers)
            for count, result in enumerate(results, start=1):
                write_result(job, result, fh, writer)
                if count % PROGRESS_EVERY == 0 or count == remaining:
                    secs = max((dt.datetime.now() - started).total_seconds(), 1e-6)
                    progress.update(task, completed=done_before + count, rate=f"{count / secs:,.0f}")
            progress.update(task, completed=job.total)


def write_result(job: ScreenFileJob, result: ScreenResult, fh: IO[str], writer: csv.DictWriter[str] | None) -> None:
    assert job.record is not None
    if result.error is not None:
        err_console.print(f"{job.file}:{(result.row or 0) + 1}: {job.name_column}: {result.error}",
                          highlight=False, markup=False, soft_wrap=True)
    if job.filer is not None:
        job.filer.add(result.query, job.countries.pop(result.row or 0, None), result.matches)
    job.done.add(result.row or 0, result.hit, bool(result.matches), result.error is not None, job.record.snapshot,
                 job.record.date)
    if writer is not None:
        writer.writerow(csv_row(result, job.record.snapshot, job.record.date))
    else:
        fh.write(json_row(result, job.record.snapshot, job.record.date))
    fh.flush()


def refuse_output_on_input(file: Path, out: Path) -> None:
    """Writing the results into the input (the same path, or a symbolic or hard link to it) would append to
    the file being read until the disk is full."""
    same = out.resolve() == file.resolve() or (out.exists() and os.path.samefile(out, file))
    if same:
        raise InputError(f"--out {out}: is the input file {file} itself; write the results to another file")


def screen_file_on_spark(job: ScreenFileJob, country_column: str | None, date: dt.date | None,
                         snapshot: str | None, lists: list[str] | None, home: Path | None) -> Done:
    """The run on Spark (``chipscreen.spark.jobs``): the same checks of a CSV input first, each bad row
    reported as the local run reports it."""
    from chipscreen.spark.jobs import screen_file

    if job.file.suffix.lower() == ".csv":
        read_input(job.file, job.name_column, country_column)
    with open_store(home) as store:
        counts = screen_file(store, job.file, job.out, name_column=job.name_column, country_column=country_column,
                             date=date, snapshot=snapshot, lists=lists, restart=job.restart,
                             master=f"local[{job.workers}]" if job.workers else None)
    for row, error in counts.errors:
        err_console.print(f"{job.file}:{row + 1}: {job.name_column}: {error}", highlight=False, markup=False,
                          soft_wrap=True)
    return Done(hits=counts.hits, matched=counts.matched, errors=len(counts.errors))
