"""The documented vocabulary and bounds of a Transaction (``data/transactions/vocabulary.yaml``): which
``end_use`` values exist and their other spellings, the largest quantity and the latest date.

Validation rejects anything outside them with the allowed values: a value that no rule knows would
otherwise be ignored, and a shipment that needs a licence would be cleared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml


@dataclass(frozen=True)
class EndUseTerm:
    name: str
    controlled: bool
    aliases: tuple[str, ...]
    meaning: str
    citation: str


@dataclass(frozen=True)
class Vocabulary:
    end_uses: dict[str, EndUseTerm]
    spellings: dict[str, str]  # every folded spelling -> its end use's name
    max_quantity: int
    max_days_ahead: int

    def end_use(self, text: str) -> str:
        """The end use's name for any documented spelling; ValueError listing the allowed values otherwise."""
        name = self.spellings.get(fold(text))
        if name is None:
            allowed = "; ".join(f"{t.name} ({', '.join(t.aliases)})" if t.aliases else t.name
                                for t in self.end_uses.values())
            raise ValueError(f"unknown end use {text!r}; allowed (case-insensitive, aliases in brackets): {allowed}")
        return name

    def latest_date(self, today: dt.date | None = None) -> dt.date:
        return (today or dt.date.today()) + dt.timedelta(days=self.max_days_ahead)


def fold(text: str) -> str:
    """"Nuclear weapons", "nuclear-weapons" and "NUCLEAR_WEAPONS" are one spelling."""
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


def read_vocabulary(path: Path) -> Vocabulary:
    raw = read_yaml(path)
    try:
        terms = {str(name): _term(str(name), spec) for name, spec in raw["end_uses"].items()}
        max_quantity = int(raw["quantity"]["max"])
        max_days_ahead = int(raw["dates"]["max_days_ahead"])
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DataError(str(path), None, f"malformed vocabulary: {exc!r}") from None
    spellings: dict[str, str] = {}
    for term in terms.values():
        for spelling in (term.name, *term.aliases):
            other = spellings.setdefault(fold(spelling), term.name)
            if other != term.name:
                raise DataError(str(path), f"end_uses.{term.name}", f"{spelling!r} also spells {other}")
    return Vocabulary(terms, spellings, max_quantity, max_days_ahead)


def _term(name: str, spec: Any) -> EndUseTerm:
    return EndUseTerm(name, bool(spec["controlled"]), tuple(str(a) for a in spec.get("aliases") or ()),
                      str(spec["meaning"]), str(spec["citation"]))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once."""
    return read_vocabulary(data_dir() / "transactions" / "vocabulary.yaml")
