"""Local accounts of the browser desk and their sessions, in their own SQLite file under the home
(``desk.sqlite``), as the service keeps its API keys: the service can check a login while the list store is
open read-only.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended option); a
session is 32 random bytes in an HttpOnly cookie, stored only as its SHA-256 digest (nothing to guess, one
indexed lookup), with its own CSRF token. Consecutive failed logins lock the account for a while
(``data/ui/desk.yml``); a locked account refuses even the right password until the lock ends."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chipscreen.errors import InputError, NotFoundError
from chipscreen.review.settings import DeskSettings, desk_settings
from chipscreen.review.sqlite import Db

DDL = (
    """CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT, created_at TEXT NOT NULL, disabled_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS sessions (
  digest TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL, created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL)""",
)
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str
    locked_until: str | None = None
    disabled_at: str | None = None


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    expires_at: str


class LoginRefused(Exception):
    """Wrong name or password, or a locked account: the message is safe to show (it never says which name
    exists)."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stamp(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


DESK_FILE = "desk.sqlite"


def has_desk(home: Path) -> bool:
    """Whether this home serves a review desk (``chipscreen serve`` or ``users add`` made its accounts file):
    then batch runs file their findings as cases unless told not to, as the API's answers are."""
    return (home / DESK_FILE).exists()


class UserStore:
    """The accounts and sessions of one home. Thread-safe: the service checks sessions from request threads."""

    def __init__(self, home: Path, settings: DeskSettings | None = None) -> None:
        self.settings = settings or desk_settings()
        self._hasher = PasswordHasher()
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))  # verified for unknown names: same timing
        self._db = Db(home, DESK_FILE, DDL)
        self.path, self._con, self._lock = self._db.path, self._db.con, self._db.lock

    def close(self) -> None:
        self._db.close()

    def add(self, name: str, role: str, password: str) -> User:
        """A new account; the name is lower case letters, digits and ``._-@``."""
        name = name.strip().lower()
        if not name or len(name) > 64 or set(name) - NAME_CHARS:
            raise InputError(f"NAME: {name!r}: 1-64 characters of a-z, 0-9 and ._-@")
        if role not in self.settings.roles:
            raise InputError(f"--role: {role!r}: roles are {', '.join(self.settings.roles)}")
        self.check_password(password)
        with self._lock:
            try:
                self._con.execute("INSERT INTO users VALUES (?, ?, ?, 0, NULL, ?, NULL)",
                                  (name, role, self._hasher.hash(password), stamp(now())))
            except sqlite3.IntegrityError:
                raise InputError(f"NAME: user {name!r} exists (see `chipscreen users list`)") from None
        return self.get(name)

    def check_password(self, password: str) -> None:
        least = self.settings.min_password_length
        if len(password) < least:
            raise InputError(f"password: at least {least} characters")

    def set_password(self, name: str, password: str) -> User:
        self.get(name)
        self.check_password(password)
        with self._lock:
            self._con.execute("UPDATE users SET hash = ?, failures = 0, locked_until = NULL WHERE name = ?",
                              (self._hasher.hash(password), name))
        return self.get(name)

    def disable(self, name: str) -> User:
        """Disable an account and end its sessions (accounts are kept: the audit log names them)."""
        self.get(name)
        with self._lock:
            self._con.execute("UPDATE users SET disabled_at = ? WHERE name = ?", (stamp(now()), name))
            self._con.execute("DELETE FROM sessions WHERE user = ?", (name,))
        return self.get(name)

    def get(self, name: str) -> User:
        with self._lock:
            row = self._con.execute("SELECT name, role, created_at, locked_until, disabled_at FROM users "
                                    "WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFoundError(f"no user {name!r} (see `chipscreen users list`)")
        return User(*row)

    def all(self) -> list[User]:
        with self._lock:
            rows = self._con.execute("SELECT name, role, created_at, locked_until, disabled_at FROM users "
                                     "ORDER BY name").fetchall()
        return [User(*r) for r in rows]

    def login(self, name: str, password: str) -> tuple[str, Session]:
        """A new session token (for the cookie) and its session, or ``LoginRefused``."""
        name = name.strip().lower()
        with self._lock:
            row = self._con.execute("SELECT hash, failures, locked_until, disabled_at FROM users WHERE name = ?",
                                    (name,)).fetchone()
        if row is None:
            self._verify(self._dummy, password)
            raise LoginRefused("wrong name or password")
        hashed, failures, locked_until, disabled = row
        if disabled:
            raise LoginRefused("wrong name or password")
        if locked_until and locked_until > stamp(now()):
            raise LoginRefused(f"this account is locked after {self.settings.max_failures} failed logins "
                               f"until {locked_until} UTC")
        if not self._verify(str(hashed), password):
            self._failed(name, int(failures) + 1)
            raise LoginRefused("wrong name or password")
        with self._lock:
            self._con.execute("UPDATE users SET failures = 0, locked_until = NULL WHERE name = ?", (name,))
        return self._open_session(name)

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(hashed, password))
        except (VerificationError, InvalidHashError):
            return False

    def _failed(self, name: str, failures: int) -> None:
        lock = None
        if failures >= self.settings.max_failures:
            lock, failures = stamp(now() + dt.timedelta(minutes=self.settings.lockout_minutes)), 0
        with self._lock:
            self._con.execute("UPDATE users SET failures = ?, locked_until = ? WHERE name = ?",
                              (failures, lock, name))

    def _open_session(self, name: str) -> tuple[str, Session]:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        start = now()
        expires = stamp(start + dt.timedelta(hours=self.settings.session_hours))
        with self._lock:
            self._con.execute("DELETE FROM sessions WHERE expires_at < ?", (stamp(start),))
            self._con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                              (digest(token), name, csrf, stamp(start), expires))
        return token, Session(self.get(name), csrf, expires)

    def session(self, token: str) -> Session | None:
        """The live session of a cookie's token, or None (unknown, expired, or its account disabled)."""
        with self._lock:
            row = self._con.execute(
                "SELECT s.csrf, s.expires_at, u.name, u.role, u.created_at, u.locked_until, u.disabled_at "
                "FROM sessions s JOIN users u ON u.name = s.user WHERE s.digest = ?", (digest(token),)).fetchone()
        if row is None or row[1] < stamp(now()) or row[6]:
            return None
        return Session(User(*row[2:]), str(row[0]), str(row[1]))

    def logout(self, token: str) -> None:
        with self._lock:
            self._con.execute("DELETE FROM sessions WHERE digest = ?", (digest(token),))
