"""Issue 14 item 16: a damaged store file says what is wrong and how to recover, ``store verify`` finds it, and
``store restore`` puts back the last good store from its verified backup."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
from procs import LISTS

from chipscreen.store.backup import backups
from chipscreen.store.files import STORE_FILE

Cli = Callable[..., tuple[int, str, str]]


def _flip(path: Path, offset: int, length: int = 16) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        data = fh.read(length)
        fh.seek(offset)
        fh.write(bytes(b ^ 0xFF for b in data))


def _loaded(run_cli: Cli, home: Path) -> str:
    """Load a list (which leaves a verified backup) and return the latest snapshot id."""
    code, _, err = run_cli("lists", "load", str(LISTS / "bis_meu.json"), "--retrieved", "2026-08-05",
                           "--home", str(home))
    assert code == 0, err
    code, out, _ = run_cli("lists", "show", "--json", "--home", str(home))
    return str(json.loads(out)["snapshot"])


def test_a_flipped_header_is_reported_and_the_backup_restored(home: Path, run_cli: Cli) -> None:
    good = _loaded(run_cli, home)
    _flip(home / STORE_FILE, 8)  # the magic bytes of the main header
    code, out, err = run_cli("lists", "show", "--home", str(home))
    message = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    assert "the store file is damaged and cannot be opened" in message
    assert "`chipscreen store verify`" in message and "`chipscreen store restore`" in message

    code, out, err = run_cli("store", "verify", "--json", "--home", str(home))
    report = json.loads(out)
    assert code == 1 and not report["ok"]
    assert [(f["kind"], f["ok"], f["snapshot"]) for f in report["files"]] == [("live", False, None),
                                                                             ("backup", True, good)]

    code, out, err = run_cli("store", "restore", "--json", "--home", str(home))
    restored = json.loads(out)
    assert code == 0 and (restored["ok"], restored["snapshot"]) == (True, good)
    assert Path(restored["kept"]).exists()  # the damaged file is kept, not deleted
    code, out, _ = run_cli("lists", "show", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["snapshot"] == good
    assert run_cli("store", "verify", "--home", str(home))[0] == 0


def test_a_checksum_error_in_a_database_header_is_reported(home: Path, run_cli: Cli) -> None:
    _loaded(run_cli, home)
    _flip(home / STORE_FILE, 4096 + 8)
    code, _, err = run_cli("screen", "IFLYTEK", "--home", str(home))
    assert code == 2 and "Traceback" not in err and "damaged" in err


def test_a_backup_whose_bytes_changed_is_never_restored(home: Path, run_cli: Cli) -> None:
    _loaded(run_cli, home)
    (saved,) = backups(home)
    _flip(saved, saved.stat().st_size // 2, 1)
    _flip(home / STORE_FILE, 8)
    code, out, _ = run_cli("store", "verify", "--json", "--home", str(home))
    files = json.loads(out)["files"]
    assert code == 1 and files[1]["problem"].endswith("does not match its name")
    code, _, err = run_cli("store", "restore", "--home", str(home))
    assert code == 2 and "no backup verifies; nothing was restored" in " ".join(err.split())
    assert not list(home.glob(f"{STORE_FILE}.replaced-*"))


FRACTIONS = (0.2, 0.4, 0.6, 0.8, 0.1)
"""Offsets, as fractions of the store file, where bytes are flipped at random places: free blocks, metadata or data."""

_HEADERS = 3 * 4096
"""DuckDB's file starts with its main header and two database headers; the data blocks follow, each checksummed."""


def _blocks_of_names(store: Path) -> list[int]:
    """The blocks that hold the listed names' text and nothing else: a screen without a cache reads every listed
    name, so damage there must surface whatever layout DuckDB's threads chose for this load."""
    owners: dict[int, set[tuple[str, str]]] = {}
    with duckdb.connect(str(store), read_only=True) as con:
        block_size = con.sql("SELECT block_size FROM pragma_database_size()").fetchone()
        for (table,) in con.sql("SELECT table_name FROM duckdb_tables()").fetchall():
            quoted = table.replace("'", "''")  # the pragma takes a literal, not a parameter
            info = f"SELECT block_id, column_name FROM pragma_storage_info('{quoted}') WHERE block_id >= 0"
            for block, column in con.sql(info).fetchall():
                owners.setdefault(block, set()).add((table, column))
    assert block_size is not None
    return [_HEADERS + block * int(block_size[0]) for block, held in sorted(owners.items())
            if held == {("names", "name")}]


def _screened_after_flip(run_cli: Cli, home: Path, pristine: bytes, offset: int) -> tuple[int, str]:
    (home / STORE_FILE).write_bytes(pristine)
    shutil.rmtree(home / "cache", ignore_errors=True)  # so that the screen reads every name from the store
    _flip(home / STORE_FILE, offset, 64)
    code, _, err = run_cli("screen", "Huawei Technologies", "--home", str(home))
    message = " ".join(err.split())
    assert "Traceback" not in err and code in (0, 1, 2), (offset, err)
    if code == 2:
        read = "the store could not be read (" in message and "Corrupt database file" in message
        assert read or "the store file is damaged and cannot be opened (" in message, message
        assert "`chipscreen store verify`" in message and "`chipscreen store restore`" in message
    return code, message


def test_damage_anywhere_in_the_file_never_ends_in_a_traceback(home: Path, run_cli: Cli) -> None:
    """A flipped block the screen does not read leaves its answer as it was; one it reads is reported in one
    message with the way to recover."""
    _loaded(run_cli, home)
    pristine = (home / STORE_FILE).read_bytes()
    for fraction in FRACTIONS:
        _screened_after_flip(run_cli, home, pristine, int(len(pristine) * fraction))


def test_damage_in_the_listed_names_is_reported_with_recovery_advice(home: Path, run_cli: Cli) -> None:
    _loaded(run_cli, home)
    pristine = (home / STORE_FILE).read_bytes()
    blocks = _blocks_of_names(home / STORE_FILE)
    assert len(blocks) >= 2  # the bundled lists' names fill several blocks
    for start in blocks[:2]:
        code, message = _screened_after_flip(run_cli, home, pristine, start + 4096)
        assert code == 2 and "Corrupt database file" in message, message
