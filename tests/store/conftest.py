"""Homes for the store-safety tests: copies of the bundled store, so each test writes its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chipscreen.store.files import STORE_FILE


@pytest.fixture
def home(bundled_home: Path, tmp_path: Path) -> Path:
    """A home holding a copy of the bundled store (the live file only: no lock, no backups yet), and the name
    index cache earlier tests left beside it, so that a first screen need not build it again."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(bundled_home / STORE_FILE, home / STORE_FILE)
    if (bundled_home / "cache").is_dir():
        shutil.copytree(bundled_home / "cache", home / "cache")
    return home
