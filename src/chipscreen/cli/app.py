"""The one ``chipscreen`` Typer app. Each command module under ``chipscreen.cli`` adds its commands to it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="chipscreen",
    help="Export-control screening for advanced AI compute: may this compute go to this party, on this date?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
