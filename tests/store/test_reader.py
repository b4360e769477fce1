"""The reader a long-lived service holds: ``Store(home, read_only=True)`` never writes and never waits for a
writer, keeps a consistent view of the snapshot it opened, and ``refresh`` moves it onto a newer store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from procs import LISTS

from chipscreen.errors import NotFoundError
from chipscreen.sources import parse_file
from chipscreen.store import Store
from chipscreen.store.files import STORE_FILE, work_path
from chipscreen.store.lock import ReadOnlyHomeError, StoreBusyError, writer_lock


def test_a_reader_opens_while_another_process_holds_the_writer_lock(home: Path) -> None:
    with writer_lock(home, wait=0, poll=0.01), Store(home, read_only=True) as reader:
        assert reader.counts()["EL"] == 3409
        with Store(home, wait=0) as writer, pytest.raises(StoreBusyError, match="gave up after 0 s"):
            writer.load([parse_file(LISTS / "bis_meu.json", retrieved=dt.date(2026, 8, 1))])
        assert not work_path(home / STORE_FILE).exists()


def test_a_reader_keeps_its_snapshot_until_it_refreshes(home: Path) -> None:
    with Store(home, read_only=True) as reader, Store(home) as writer:
        old = reader.snapshot().id
        new = writer.load([parse_file(LISTS / "bis_meu.json", retrieved=dt.date(2026, 8, 1))]).snapshot.id
        assert new != old and reader.snapshot().id == old  # the file it opened is unchanged
        generation = reader.generation
        assert reader.refresh() and reader.snapshot().id == new and reader.generation == generation + 1
        assert not reader.refresh()  # nothing newer


def test_a_read_only_store_refuses_to_write_and_to_create(home: Path, tmp_path: Path) -> None:
    with Store(home, read_only=True) as reader, pytest.raises(ReadOnlyHomeError, match="opened read-only"):
        reader.load([parse_file(LISTS / "bis_meu.json", retrieved=dt.date(2026, 8, 1))])
    with pytest.raises(NotFoundError, match="no store here yet"):
        Store(tmp_path / "empty", read_only=True)
