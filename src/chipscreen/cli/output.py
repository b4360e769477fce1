"""What the commands write and how they end: the consoles, JSON on stdout, and the exit status.

Exit status: 0 = ran, nothing found; 1 = findings (a hit, a licence required); 2 = bad input, reported as
one line (``file:line: field: problem``) on stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, NoReturn

import duckdb
import typer
from rich.console import Console
from rich.markup import escape

from chipscreen.errors import ChipscreenError

console = Console()
err_console = Console(stderr=True)

FOUND = 1
BAD_INPUT = 2
ABORTED = 130


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n")


def json_default(o: Any) -> Any:
    """JSON for the values our results carry: dates, pydantic models, sets and tuples."""
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    if hasattr(o, "model_dump"):
        return o.model_dump(mode="json", by_alias=True)
    if isinstance(o, set | tuple):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def exit_with(code: int) -> NoReturn:
    """``sys.exit`` rather than ``typer.Exit``: under ``standalone_mode=False`` (as ``run`` drives the app)
    click turns ``Exit`` into a return value; a SystemExit keeps the status under CliRunner too."""
    sys.exit(code)


def run(app: typer.Typer) -> NoReturn:
    """Run the app: user errors become a message and exit 2, never a traceback."""
    try:
        code = app(standalone_mode=False)  # returns the code of a raised typer.Exit in this mode
        sys.exit(code if isinstance(code, int) else 0)
    except ChipscreenError as exc:
        err_console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except duckdb.Error as exc:  # what opening the file cannot see: a damaged block deep in the data
        err_console.print(f"[red]error:[/] {escape(store_failure(exc))}", highlight=False, soft_wrap=True)
        sys.exit(BAD_INPUT)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(ABORTED)
    except typer.TyperException as exc:
        # usage errors of the click that Typer vendors know how to show themselves
        show = getattr(exc, "show", None)
        if callable(show):
            show()
            sys.exit(BAD_INPUT)
        raise


def store_failure(exc: BaseException) -> str:
    """The one line a user sees when DuckDB fails reading the store: what it said, and how to recover."""
    said = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return (f"the store could not be read ({said}); nothing was changed. If the store file is damaged, "
            "`chipscreen store verify` checks it and its backups and `chipscreen store restore` puts back the last "
            "good store (the damaged file is kept beside it)")
