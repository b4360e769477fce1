"""The ``chipscreen`` command: a thin Typer shell over the library.

``app`` is the one Typer app; each command module adds its commands to it when imported here, in the order
``chipscreen --help`` lists them. Exit status: 0 = ran, nothing found; 1 = findings (a hit, a licence
required); 2 = bad input. Every command that returns data takes ``--json``.
"""

from __future__ import annotations

from typing import NoReturn

# isort: off
# the order of these imports is the order of the commands, and of the groups, in ``chipscreen --help``
from chipscreen.cli import lists as lists
from chipscreen.cli import demo as demo
from chipscreen.cli import screen as screen
from chipscreen.cli import ownership as ownership
from chipscreen.cli import rules as rules
from chipscreen.cli import check as check
from chipscreen.cli import serve as serve
from chipscreen.cli import keys as keys
from chipscreen.cli import audit as audit
from chipscreen.cli import store as store
# isort: on
from chipscreen.cli.app import app
from chipscreen.cli.output import run

__all__ = ["app", "main"]


def main() -> NoReturn:
    """Entry point: user errors become a message and exit 2, never a traceback."""
    run(app)
