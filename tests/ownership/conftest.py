"""Fixtures for ownership tests (helpers live in own_helpers.py so test modules can import them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chipscreen.store import Store


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An empty store in a temporary home (no bundled lists: each test lists exactly what it needs)."""
    monkeypatch.setenv("CHIPSCREEN_HOME", str(tmp_path))
    s = Store(tmp_path)
    yield s
    s.close()
