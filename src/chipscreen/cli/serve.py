"""``chipscreen serve``: the HTTP service on uvicorn, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt
from chipscreen.cli.output import err_console
from chipscreen.errors import InputError
from chipscreen.service import ServiceConfig, create_app
from chipscreen.service.keys import KeyStore
from chipscreen.store import default_home

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind (default loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="Serve without API keys (loopback only).")] = False,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "warning",
    home: HomeOpt = None,
) -> None:
    """Serve screening over HTTP: yente's /match and /search, reconciliation, /check; keys and an audit log."""
    where = Path(home) if home else default_home()
    if no_auth and host not in LOOPBACK:
        raise InputError(f"--no-auth: refused on {host}; without keys the service binds to loopback only")
    if not no_auth and not KeyStore(where).all():
        err_console.print("[yellow]no API keys yet:[/] create one with `chipscreen keys create NAME --scope screen`")
    config = ServiceConfig(home=where, auth=not no_auth)
    err_console.print(f"chipscreen serving on http://{host}:{port}/ (home {where}); /readyz: index warm")
    uvicorn.run(create_app(config), host=host, port=port, log_level=log_level, access_log=False)
