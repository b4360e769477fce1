"""Where the shipped data lives (list snapshots, chip catalog, rulebooks, normalisation tables)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The project's ``data/`` folder: ``$CHIPSCREEN_DATA`` when set, else the one beside ``src/``.

    chipscreen is installed from its checkout (``pip install -e .``, as the Makefile does), so the
    shipped data is read in place rather than copied into site-packages."""
    env = os.environ.get("CHIPSCREEN_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"
