"""``chipscreen users``: accounts made from the command line, passwords from standard input, never argv."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from chipscreen.review import UserStore


def test_users_add_and_list(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code, out, err = run_cli("users", "add", "rev", "--role", "reviewer", "--password-stdin", "--home",
                             str(tmp_path), "--json")
    assert code == 0, err
    assert json.loads(out)["role"] == "reviewer"
    code, out, _ = run_cli("users", "list", "--home", str(tmp_path), "--json")
    assert [u["name"] for u in json.loads(out)] == ["rev"]
    assert UserStore(tmp_path).login("rev", "a long enough password")[1].user.role == "reviewer"


def test_a_bad_role_or_short_password_exits_2_naming_the_field(run_cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code, _, err = run_cli("users", "add", "x", "--role", "boss", "--password-stdin", "--home", str(tmp_path))
    assert code == 2 and "--role" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run_cli("users", "add", "x", "--role", "viewer", "--password-stdin", "--home", str(tmp_path))
    assert code == 2 and "password" in err
