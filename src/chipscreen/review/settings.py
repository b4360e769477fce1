"""The desk's rules as data (``data/ui/desk.yml``): roles and their permissions, login lockout, session
length, queue page size and what each disposition does. Read once; a bad key names the file and the key."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml

PERMISSIONS = ("read", "screen", "dispose", "approve", "admin")


@dataclass(frozen=True)
class DispositionRule:
    code: str
    title: str
    needs_approval: bool
    suppresses: bool


@dataclass(frozen=True)
class DeskSettings:
    roles: dict[str, frozenset[str]]
    max_failures: int
    lockout_minutes: int
    min_password_length: int
    session_hours: int
    page_size: int
    dispositions: dict[str, DispositionRule]
    file_api_findings: bool
    api_ignores_cleared: bool

    def allows(self, role: str, permission: str) -> bool:
        perms = self.roles.get(role, frozenset())
        return permission in perms or "admin" in perms


def desk_file() -> Path:
    return data_dir() / "ui" / "desk.yml"


@lru_cache(maxsize=1)
def desk_settings() -> DeskSettings:
    path = desk_file()
    raw: Any = read_yaml(path)
    try:
        roles = {str(r): frozenset(str(p) for p in perms) for r, perms in raw["roles"].items()}
        login, session, queue = raw["login"], raw["session"], raw["queue"]
        rules = {str(code): DispositionRule(str(code), str(spec["title"]), bool(spec["needs_approval"]),
                                            bool(spec["suppresses"]))
                 for code, spec in raw["dispositions"].items()}
        settings = DeskSettings(roles, int(login["max_failures"]), int(login["lockout_minutes"]),
                                int(login["min_password_length"]), int(session["hours"]), int(queue["page_size"]),
                                rules, bool(queue["file_api_findings"]), bool(queue["api_ignores_cleared"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(str(path), None, f"bad desk settings: {exc!r}") from None
    for role, perms in roles.items():
        unknown = sorted(perms - set(PERMISSIONS))
        if unknown:
            raise DataError(str(path), f"roles.{role}", f"unknown permission(s) {unknown}; known: {PERMISSIONS}")
    return settings
