"""Running ``chipscreen serve`` for the tests: a subprocess on a free loopback port, keys made with the CLI."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from chipscreen.service.keys import KeyStore

READY_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHIPSCREEN_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "chipscreen", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def new_key(home: Path, name: str, *scopes: str, rate: int | None = None) -> str:
    """A key made through the library (``chipscreen keys create`` is tested on its own: a CLI start is slow)."""
    store = KeyStore(home)
    try:
        return store.create(name, list(scopes), rate)[1]
    finally:
        store.close()


def cli_key(home: Path, name: str, *scopes: str) -> str:
    """A key made by ``chipscreen keys create --json``."""
    got = cli(home, "keys", "create", name, *[a for s in scopes for a in ("--scope", s)], "--json")
    assert got.returncode == 0, got.stderr
    secret: str = json.loads(got.stdout)["secret"]
    return secret


@dataclass
class Server:
    home: Path
    url: str
    process: subprocess.Popen[bytes]
    keys: dict[str, str] = field(default_factory=dict)

    def client(self, key: str | None = "screen", **kw: Any) -> httpx.Client:
        headers = {"Authorization": f"ApiKey {self.keys[key]}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kw)


def start_server(home: Path, *extra: str, ready_timeout: float = READY_TIMEOUT_S) -> Server:
    port = free_port()
    env = {**os.environ, "CHIPSCREEN_HOME": str(home)}
    log = (home / "serve.log").open("ab")  # a file, not a pipe: a full pipe would stall the service
    proc = subprocess.Popen([sys.executable, "-m", "chipscreen", "serve", "--port", str(port), *extra],
                            env=env, stdout=log, stderr=log)
    server = Server(home, f"http://127.0.0.1:{port}/", proc)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the service exited: {(home / 'serve.log').read_text()[-3000:]}")
        try:
            if httpx.get(server.url + "readyz", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise AssertionError(f"the service was not ready within {ready_timeout:.0f} s")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


def copy_home(src: Path, dst: Path) -> Path:
    """A private copy of the bundled home (store and index cache): the service opens it read-only, which
    DuckDB refuses while the session's own store holds the original."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.wal", "keys.sqlite*", "audit.sqlite*"))
    return dst
