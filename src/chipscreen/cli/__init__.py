"""The ``chipscreen`` command: a thin Typer shell over the library.

``app`` is the one Typer app; each command module adds its commands to it when imported. ``chipscreen
NAME ...`` imports only the module of command NAME (a warm ``chipscreen screen`` must answer within a
second, and the other commands' modules import the decision engine, the web service, the list parsers);
``chipscreen.cli.app`` as an attribute, ``chipscreen --help`` and an unknown command import them all, in
the order ``chipscreen --help`` lists them. Exit status: 0 = ran, nothing found; 1 = findings (a hit, a
licence required); 2 = bad input. Every command that returns data takes ``--json``.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from chipscreen.cli.app import app as _typer_app
from chipscreen.cli.output import run

if TYPE_CHECKING:
    from chipscreen.cli.app import app as app

# ``app`` is looked up through __getattr__ (which loads every command): not the submodule of that name
globals().pop("app", None)

__all__ = ["app", "main"]

COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "lists": ("lists",),
    "demo": ("demo",),
    "screen": ("screen", "screen-file"),
    "ownership": ("ownership",),
    "rules": ("rules", "catalog", "classify"),
    "check": ("check", "replay"),
    "serve": ("serve",),
    "keys": ("keys",),
    "audit": ("audit",),
    "store": ("store",),
    "monitor": ("monitor",),
    "users": ("users",),
}
"""Each command module (in ``chipscreen --help`` order) and the commands and groups it adds."""


def load_commands(command: str | None = None) -> typer.Typer:
    """The app with the module of ``command`` imported, or every module (no command, an unknown one, or
    one alone that Typer would run as the whole app)."""
    modules = [m for m, names in COMMAND_MODULES.items() if command in names]
    for module in modules or COMMAND_MODULES:
        importlib.import_module(f"chipscreen.cli.{module}")
    if len(_typer_app.registered_commands) + len(_typer_app.registered_groups) < 2:
        return load_commands()
    order = list(COMMAND_MODULES)

    def rank(module: str) -> int:
        name = module.rpartition(".")[2]
        return order.index(name) if name in order else len(order)

    _typer_app.registered_commands.sort(key=lambda c: rank(getattr(c.callback, "__module__", "")))
    _typer_app.registered_groups.sort(key=lambda g: rank(_group_module(g.typer_instance)))
    return _typer_app


def _group_module(group: typer.Typer | None) -> str:
    """The module that made a command group: its first command's."""
    commands = group.registered_commands if group is not None else []
    return getattr(commands[0].callback, "__module__", "") if commands else ""


def __getattr__(name: str) -> Any:
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> NoReturn:
    """Entry point: user errors become a message and exit 2, never a traceback."""
    run(load_commands(next((a for a in sys.argv[1:] if not a.startswith("-")), None)))
