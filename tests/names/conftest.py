"""Fixtures of the name-screening tests: one screener over the bundled lists for the whole session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from chipscreen.names.lexicon import names_data_dir
from chipscreen.names.screener import Screener
from chipscreen.store import Store


@pytest.fixture(scope="session")
def screener(bundled_store: Store) -> Screener:
    """Built once (a few seconds): every name and alias of the bundled snapshot."""
    return Screener(bundled_store)


@pytest.fixture
def names_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/names that a test may break, read instead of the shipped one while the test runs."""
    shutil.copytree(names_data_dir(), tmp_path / "names")
    monkeypatch.setenv("CHIPSCREEN_DATA", str(tmp_path))
    yield tmp_path / "names"
