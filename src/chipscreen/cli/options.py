"""The options several commands share, each spelt once: ``--home``, ``--json``, ``--date``, ``--snapshot``.

The help text is a parameter because a command may say what the option means for it (``check --json``
prints one Decision per line); the flag, its environment variable and its parsing never vary.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from chipscreen.bundled import open_store as open_bundled
from chipscreen.errors import ChipscreenError, InputError
from chipscreen.store import Store

HOME_HELP = "Data directory (default ~/.local/share/chipscreen)."
JSON_HELP = "Print machine-readable JSON."
SNAPSHOT_HELP = "Snapshot id or prefix (default latest)."


def parse_date(value: str, flag: str = "--date") -> dt.date:
    """An ISO date given on the command line; anything else is bad input (exit 2), never a traceback."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ChipscreenError(f"{flag}: not an ISO date (YYYY-MM-DD): {value!r}") from None


def home_option(help_text: str | None = HOME_HELP) -> Any:
    return typer.Option("--home", envvar="CHIPSCREEN_HOME", help=help_text)


def json_option(help_text: str | None = JSON_HELP) -> Any:
    return typer.Option("--json", help=help_text)


def snapshot_option(help_text: str = SNAPSHOT_HELP) -> Any:
    return typer.Option("--snapshot", help=help_text)


def date_option(help_text: str, flag: str = "--date") -> Any:
    """A date parsed by ``parse_date`` before the command runs. The metavar stays ``<str>``: what the user
    types is text in ISO form, which the help text says."""
    return typer.Option(flag, parser=lambda value: parse_date(value, flag), metavar="<str>", help=help_text)


HomeOpt = Annotated[Path | None, home_option()]
JsonOpt = Annotated[bool, json_option()]
SnapshotOpt = Annotated[str | None, snapshot_option()]


def open_store(home: Path | None, wait: float | None = None) -> Store:
    """The store every command uses; the first command on an empty home loads the bundled lists. ``wait``:
    the ``--wait`` of a command that writes (``None``: data/store/safety.yml)."""
    return open_bundled(home, wait=wait)


WaitOpt = Annotated[
    float | None,
    typer.Option("--wait", min=0, metavar="SECONDS",
                 help="How long to wait while another command writes the store (default: data/store/safety.yml)."),
]


def wants_queue(queue: bool | None, home: Path) -> bool:
    """``--queue`` / ``--no-queue`` as given; unset, whether the home serves a review desk."""
    if queue is not None:
        return queue
    from chipscreen.review import has_desk

    return has_desk(home)


def engine_is_spark(engine: str) -> bool:
    """``--engine`` of the commands that run on Spark too (screen-file, monitor run): local or spark only."""
    if engine not in ("local", "spark"):
        raise InputError(f"--engine: {engine!r} is not local or spark")
    return engine == "spark"
