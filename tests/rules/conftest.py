"""Rules tests never touch the store; a private CHIPSCREEN_HOME makes sure of it."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHIPSCREEN_HOME", str(tmp_path / "home"))
