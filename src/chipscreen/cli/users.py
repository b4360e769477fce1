"""``chipscreen users add|list|password|disable``: the local accounts of the browser desk (``/ui``).

Passwords are read from a hidden prompt (asked twice) or, for scripts, from standard input
(``--password-stdin``), never from the command line, where other users of the machine could read them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt
from chipscreen.cli.output import console, print_json
from chipscreen.errors import InputError
from chipscreen.review import User, UserStore, desk_settings
from chipscreen.store import default_home

users_app = typer.Typer(help="Accounts of the browser desk (/ui of `chipscreen serve`): add, list, password, "
                        "disable.", no_args_is_help=True)
app.add_typer(users_app, name="users")
StdinOpt = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")]


def _store(home: Path | None) -> UserStore:
    return UserStore(Path(home) if home else default_home())


def _password(from_stdin: bool) -> str:
    if from_stdin:
        text = sys.stdin.readline().rstrip("\r\n")
        if not text:
            raise InputError("--password-stdin: standard input held no password")
        return text
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


def _row(u: User) -> dict[str, object]:
    return {"name": u.name, "role": u.role, "created_at": u.created_at, "locked_until": u.locked_until,
            "disabled_at": u.disabled_at}


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Login name (a-z, 0-9, ._-@).")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(desk_settings().roles)}.")],
    password_stdin: StdinOpt = False,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an account; its password is hashed with Argon2id and never stored."""
    store = _store(home)
    store.check_password(password := _password(password_stdin))
    user = store.add(name, role, password)
    if as_json:
        print_json(_row(user))
        return
    console.print(f"user {user.name} ({user.role}) added; log in at /ui/login of `chipscreen serve`")


@users_app.command("list")
def list_users(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """Every account (without password hashes)."""
    users = _store(home).all()
    if as_json:
        print_json([_row(u) for u in users])
        return
    table = Table("name", "role", "created", "locked until", "disabled")
    for u in users:
        table.add_row(u.name, u.role, u.created_at, u.locked_until or "", u.disabled_at or "")
    console.print(table)


@users_app.command("password")
def password(name: Annotated[str, typer.Argument(help="Login name.")], password_stdin: StdinOpt = False,
             home: HomeOpt = None) -> None:
    """Set a new password (this also lifts a lockout)."""
    user = _store(home).set_password(name, _password(password_stdin))
    console.print(f"password of {user.name} changed")


@users_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="Login name.")], home: HomeOpt = None) -> None:
    """Disable an account and end its sessions (it stays named in the audit log)."""
    user = _store(home).disable(name)
    console.print(f"user {user.name} disabled at {user.disabled_at}")
