"""Accounts of the desk: Argon2 hashes, sessions as digests, lockout after repeated failures, roles from data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.review import LoginRefused, UserStore, desk_settings

PASSWORD = "correct horse battery"


@pytest.fixture
def users(tmp_path: Path) -> UserStore:
    store = UserStore(tmp_path)
    store.add("ana", "analyst", PASSWORD)
    return store


def test_the_password_is_stored_only_as_an_argon2id_hash(users: UserStore) -> None:
    stored = sqlite3.connect(users.path).execute("SELECT hash FROM users WHERE name = 'ana'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_login_opens_a_session_whose_token_is_stored_only_as_a_digest(users: UserStore) -> None:
    token, session = users.login("ana", PASSWORD)
    assert session.user.role == "analyst" and len(session.csrf) >= 40
    rows = sqlite3.connect(users.path).execute("SELECT digest FROM sessions").fetchall()
    assert rows and all(token not in r[0] for r in rows)
    found = users.session(token)
    assert found is not None and found.user.name == "ana"
    users.logout(token)
    assert users.session(token) is None


def test_a_wrong_password_and_an_unknown_name_give_the_same_answer(users: UserStore) -> None:
    with pytest.raises(LoginRefused) as wrong:
        users.login("ana", "not the password")
    with pytest.raises(LoginRefused) as unknown:
        users.login("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value)


def test_repeated_failures_lock_the_account_even_against_the_right_password(users: UserStore) -> None:
    for _ in range(desk_settings().max_failures):
        with pytest.raises(LoginRefused):
            users.login("ana", "guess")
    with pytest.raises(LoginRefused, match="locked"):
        users.login("ana", PASSWORD)
    users.set_password("ana", PASSWORD)  # an administrator's reset lifts the lock
    assert users.login("ana", PASSWORD)[1].user.name == "ana"


def test_bad_accounts_are_refused_with_the_field_named(users: UserStore) -> None:
    with pytest.raises(InputError, match="--role"):
        users.add("bob", "superuser", PASSWORD)
    with pytest.raises(InputError, match="password"):
        users.add("bob", "viewer", "short")
    with pytest.raises(InputError, match="exists"):
        users.add("ANA", "viewer", PASSWORD)
    with pytest.raises(InputError, match="NAME"):
        users.add("<img src=x>", "viewer", PASSWORD)


def test_a_disabled_account_loses_its_sessions(users: UserStore) -> None:
    token, _ = users.login("ana", PASSWORD)
    users.disable("ana")
    assert users.session(token) is None
    with pytest.raises(LoginRefused):
        users.login("ana", PASSWORD)


def test_roles_come_from_the_data_file() -> None:
    s = desk_settings()
    assert s.allows("reviewer", "approve") and not s.allows("analyst", "approve")
    assert s.allows("analyst", "dispose") and not s.allows("viewer", "dispose")
    assert s.allows("admin", "approve")
