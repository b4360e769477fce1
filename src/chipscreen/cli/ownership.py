"""``chipscreen ownership load|show``: thin commands over ``chipscreen.ownership``.

Exit status follows the other commands: 0 nothing found, 1 the party is listed or captured (or possibly /
review), 2 bad input.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from chipscreen.cli import render
from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt, WaitOpt, date_option, open_store
from chipscreen.cli.output import FOUND, console, err_console, exit_with, print_json
from chipscreen.ownership.control import Control
from chipscreen.ownership.load import load

ownership_app = typer.Typer(help="Ownership and control: load ownership data, show 50%-rule status.",
                            no_args_is_help=True)
app.add_typer(ownership_app, name="ownership")

# warnings printed before the summary; --json carries them all
MAX_WARNINGS_SHOWN = 50


@ownership_app.command("load")
def load_cmd(
    file: Annotated[Path, typer.Argument(help="Ownership file: csv, FtM JSON lines, GLEIF CSV/JSON, BODS JSON.")],
    fmt: Annotated[str | None, typer.Option("--format", help="csv | ftm | gleif | bods (detected if omitted)")] = None,
    wait: WaitOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Load ownership edges and parties; parties are resolved to listed entries by id, LEI or exact name."""
    with open_store(home, wait) as store:
        summary = load(store, file, fmt)
    if as_json:
        print_json({**summary.__dict__, "warnings": [str(w) for w in summary.warnings]})
        return
    for w in summary.warnings[:MAX_WARNINGS_SHOWN]:
        err_console.print(f"[yellow]warning[/] {w}", highlight=False, soft_wrap=True)
    render.ownership_load(console, summary)


@ownership_app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Party: list entity id, ownership id, LEI or exact name.")],
    date: Annotated[dt.date | None, date_option("As of this date (YYYY-MM-DD, default today).")] = None,
    affiliates: Annotated[
        bool | None,
        typer.Option("--affiliates-rule/--no-affiliates-rule", help="Override whether the BIS Affiliates rule "
                     "is in force (default: from the rulebooks)."),
    ] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Listed? Captured by the 50% rules (with proof)? Look-through share, ultimate parent, listed relatives."""
    day = date or dt.date.today()
    with open_store(home) as store:
        st = Control(store).as_of(day, affiliates_rule_in_force=affiliates).status(name)
    finding = st.captured or any(r.possibly or r.review for r in st.regimes.values())
    if as_json:
        print_json(st.model_dump(mode="json"))
    else:
        render.control_status(console, st)
    exit_with(FOUND if finding else 0)
