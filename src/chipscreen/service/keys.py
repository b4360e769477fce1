"""API keys: created once (the secret is shown once), stored only as a SHA-256 digest, with scopes.

Keys live in their own SQLite file under the home (``keys.sqlite``), apart from the list store, so the
service can check a key while the store is open read-only. A secret is 32 random bytes: a plain digest
is enough to store it (there is nothing to guess), and it lets a key be found by one indexed lookup."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from chipscreen.errors import InputError, NotFoundError

SCOPES = ("screen", "decide", "admin")
KEY_PREFIX = "csk_"
DDL = """CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, digest TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL,
  rate_per_minute INTEGER, created_at TEXT NOT NULL, revoked_at TEXT)"""


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    scopes: tuple[str, ...]
    rate_per_minute: int | None
    created_at: str
    revoked_at: str | None

    def allows(self, scope: str) -> bool:
        return "admin" in self.scopes or scope in self.scopes


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class KeyStore:
    """The keys of one home. Thread-safe: the service checks keys from its request threads."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.path = home / "keys.sqlite"
        self._con = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._con.execute("PRAGMA journal_mode=WAL")
            self._con.execute(DDL)

    def close(self) -> None:
        self._con.close()

    def create(self, name: str, scopes: list[str], rate_per_minute: int | None = None) -> tuple[ApiKey, str]:
        """A new key and its secret (shown once: only the digest is kept)."""
        bad = [s for s in scopes if s not in SCOPES]
        if bad or not scopes:
            raise InputError(f"--scope: {', '.join(bad) or 'none given'}: scopes are {', '.join(SCOPES)}")
        if rate_per_minute is not None and rate_per_minute < 1:
            raise InputError("--rate: at least 1 request per minute")
        key_id = secrets.token_hex(4)
        secret = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        scope_text = ",".join(s for s in SCOPES if s in scopes)
        with self._lock:
            self._con.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, NULL)",
                              (key_id, name, digest(secret), scope_text, rate_per_minute, _now()))
        return self.get(key_id), secret

    def get(self, key_id: str) -> ApiKey:
        with self._lock:
            row = self._con.execute("SELECT * FROM api_keys WHERE id = ?", (key_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no API key {key_id!r} (see `chipscreen keys list`)")
        return _key(row)

    def find(self, secret: str) -> ApiKey | None:
        """The live key with this secret, or None (unknown or revoked)."""
        with self._lock:
            row = self._con.execute("SELECT * FROM api_keys WHERE digest = ? AND revoked_at IS NULL",
                                    (digest(secret),)).fetchone()
        return _key(row) if row else None

    def all(self) -> list[ApiKey]:
        with self._lock:
            rows = self._con.execute("SELECT * FROM api_keys ORDER BY created_at, id").fetchall()
        return [_key(r) for r in rows]

    def revoke(self, key_id: str) -> ApiKey:
        self.get(key_id)
        with self._lock:
            self._con.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                              (_now(), key_id))
        return self.get(key_id)


def _key(row: tuple[object, ...]) -> ApiKey:
    kid, name, _digest, scopes, rate, created, revoked = row
    return ApiKey(str(kid), str(name), tuple(str(scopes).split(",")), int(str(rate)) if rate is not None else None,
                  str(created), str(revoked) if revoked else None)
