"""A real ``chipscreen serve`` for the desk's tests (started as tests/service starts it) over a copy of the
bundled home with the scenarios' ownership file loaded, one account per role and an API key."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx
from service_helpers import Server, start_server
from service_helpers import stop as stop_server

from chipscreen.bundled import open_store
from chipscreen.ownership import load_file
from chipscreen.paths import data_dir
from chipscreen.review import UserStore
from chipscreen.service.keys import KeyStore

PASSWORD = "a long enough password"
ACCOUNTS = {"ana": "analyst", "alf": "analyst", "rev": "reviewer", "vic": "viewer"}


@dataclass
class DeskServer:
    home: Path
    url: str
    server: Server
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
    server = start_server(home)
    return DeskServer(home, server.url.rstrip("/"), server, api_key)


def stop(desk: DeskServer) -> None:
    stop_server(desk.server)
