"""A real ``chipscreen serve`` for the desk's tests: a subprocess on a free loopback port over a copy of the
bundled home with the scenarios' ownership file loaded, and one account per role."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from chipscreen.bundled import open_store
from chipscreen.ownership import load_file
from chipscreen.paths import data_dir
from chipscreen.review import UserStore
from chipscreen.service.keys import KeyStore

PASSWORD = "a long enough password"
ACCOUNTS = {"ana": "analyst", "alf": "analyst", "rev": "reviewer", "vic": "viewer"}
READY_TIMEOUT_S = 180


@dataclass
class DeskServer:
    home: Path
    url: str
    process: subprocess.Popen[bytes]
    api_key: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, follow_redirects=False)


def prepare(bundled_home: Path, home: Path) -> str:
    """The copy of the bundled home the server reads, with ownership, accounts and an API key."""
    shutil.copytree(bundled_home, home, ignore=shutil.ignore_patterns("*.wal", "*.sqlite*"))
    with open_store(home) as store:
        load_file(store, data_dir() / "scenarios" / "ownership.csv")
    users = UserStore(home)
    for name, role in ACCOUNTS.items():
        users.add(name, role, PASSWORD)
    users.close()
    keys = KeyStore(home)
    secret = keys.create("desk tests", ["admin"])[1]
    keys.close()
    return secret


def start(home: Path, api_key: str) -> DeskServer:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "CHIPSCREEN_HOME": str(home)}
    log = (home / "serve.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-m", "chipscreen", "serve", "--port", str(port)], env=env, stdout=log,
                            stderr=log)
    server = DeskServer(home, f"http://127.0.0.1:{port}", proc, api_key)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the service exited: {(home / 'serve.log').read_text()[-3000:]}")
        try:
            if httpx.get(server.url + "/readyz", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise AssertionError(f"the service was not ready within {READY_TIMEOUT_S} s")


def stop(server: DeskServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
