"""Fixtures of the name-screening tests: one screener over the bundled lists for the whole session."""

from __future__ import annotations

import pytest

from chipscreen.names.screener import Screener
from chipscreen.store import Store


@pytest.fixture(scope="session")
def screener(bundled_store: Store) -> Screener:
    """Built once (a few seconds): every name and alias of the bundled snapshot."""
    return Screener(bundled_store)
