"""``chipscreen serve``: the HTTP service on uvicorn, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from chipscreen.cli.app import app
from chipscreen.cli.options import HomeOpt
from chipscreen.cli.output import err_console
from chipscreen.errors import InputError
from chipscreen.service import ServiceConfig, create_app
from chipscreen.service.app import AUTH_ENV
from chipscreen.service.keys import KeyStore
from chipscreen.service.state import prepare_home
from chipscreen.store import default_home

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind (default loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="Serve without API keys (loopback only).")] = False,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "warning",
    workers: Annotated[int, typer.Option("--workers", help="Processes, each with its own index (memory x N).")] = 1,
    home: HomeOpt = None,
) -> None:
    """Serve screening over HTTP: yente's /match and /search, reconciliation, /check; keys and an audit log."""
    where = Path(home) if home else default_home()
    if workers < 1:
        raise InputError("--workers: at least 1")
    if no_auth and host not in LOOPBACK:
        raise InputError(f"--no-auth: refused on {host}; without keys the service binds to loopback only")
    if not no_auth and not KeyStore(where).all():
        err_console.print("[yellow]no API keys yet:[/] create one with `chipscreen keys create NAME --scope screen`")
    config = ServiceConfig(home=where, auth=not no_auth)
    err_console.print(f"chipscreen serving on http://{host}:{port}/ (home {where}); /readyz: index warm")
    if workers > 1:
        prepare_home(where)  # once, before the workers open the store read-only side by side
        os.environ["CHIPSCREEN_HOME"] = str(where)
        os.environ[AUTH_ENV] = "0" if no_auth else "1"
        uvicorn.run("chipscreen.service.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level, access_log=False)
        return
    uvicorn.run(create_app(config), host=host, port=port, log_level=log_level, access_log=False)
