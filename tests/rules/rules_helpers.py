"""Helpers for the rules tests: catalog items and synthetic ICs (imported by name; tests/ is not a package)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chipscreen.model import Item
from chipscreen.rules import catalog


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def chip(item_id: str) -> Item:
    return catalog().item(item_id)


def ic(**kw: Any) -> Item:
    """A synthetic IC for boundary tests (datacenter unless told otherwise)."""
    kw.setdefault("id", "synthetic")
    kw.setdefault("datacenter", True)
    return Item(**kw)
