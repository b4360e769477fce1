"""``chipscreen keys create|list|revoke``: the API keys of ``chipscreen serve`` (stored hashed, with scopes)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt, JsonOpt
from chipscreen.cli.output import console, print_json
from chipscreen.service.keys import SCOPES, ApiKey, KeyStore
from chipscreen.store import default_home

keys_app = typer.Typer(help="API keys for `chipscreen serve`: create (secret shown once), list, revoke.",
                       no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _store(home: Path | None) -> KeyStore:
    return KeyStore(Path(home) if home else default_home())


def _row(k: ApiKey) -> dict[str, object]:
    return {"id": k.id, "name": k.name, "scopes": list(k.scopes), "rate_per_minute": k.rate_per_minute,
            "created_at": k.created_at, "revoked_at": k.revoked_at}


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    scope: Annotated[list[str], typer.Option("--scope", help=f"One of {', '.join(SCOPES)} (repeatable).")],
    rate: Annotated[int | None, typer.Option("--rate", help="Requests per minute (default: the service's).")] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a key; its secret is printed once and only its digest is kept."""
    key, secret = _store(home).create(name, scope, rate)
    if as_json:
        print_json({**_row(key), "secret": secret})
        return
    console.print(f"key {key.id} ({', '.join(key.scopes)}) for {key.name}:")
    console.print(secret, highlight=False, soft_wrap=True)
    console.print("[dim]send it as `Authorization: ApiKey <secret>` or `?api_key=<secret>`; it is not shown again[/]")


@keys_app.command("list")
def list_keys(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """Every key (live and revoked), without secrets."""
    keys = _store(home).all()
    if as_json:
        print_json([_row(k) for k in keys])
        return
    table = Table("id", "name", "scopes", "rate/min", "created", "revoked")
    for k in keys:
        table.add_row(k.id, k.name, ",".join(k.scopes), str(k.rate_per_minute or "default"), k.created_at,
                      k.revoked_at or "")
    console.print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")], home: HomeOpt = None
           ) -> None:
    """Revoke a key: the service refuses it (401) from the next request on."""
    key = _store(home).revoke(key_id)
    console.print(f"key {key.id} revoked at {key.revoked_at}")
