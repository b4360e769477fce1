"""The shared fixtures (``../shared/data``) once per session: the official list samples are large, and
the readers' tests parse each of them once per module."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = Path(__file__).resolve().parents[3] / "shared" / "data"
    if not path.exists():  # the samples are part of the test set-up: missing them is a failure, not a skip
        pytest.fail(f"{path} is not present: the official list samples are read from the checkout's ../shared")
    return path
