"""Provisions the engine notes but does not turn into licence reasons (``data/rulebooks/provisions/``).

Some rules turn on facts a transaction does not carry (whether U.S. persons support a supercomputer end use,
15 CFR 744.6), and some were in the EAR text without ever binding (AI Diffusion's LPP cap, not enforced
before its compliance date). A compliance officer still expects to see them where the facts point to them,
with their dates and citations; these files hold them outside the rulebook chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.dates import DateRange, to_date
from chipscreen.errors import ChipscreenError, DataError
from chipscreen.paths import data_dir, read_yaml
from chipscreen.rules.countries import CountryGroups, Scope, country_groups

__all__ = ["Provision", "ProvisionStep", "provisions"]


@dataclass(frozen=True)
class ProvisionStep:
    start: dt.date
    until: dt.date | None
    destinations: Scope | None
    citation: str


@dataclass(frozen=True)
class Provision:
    id: str
    title: str
    citation: str
    verified: bool
    steps: tuple[ProvisionStep, ...]
    end_uses: frozenset[str]
    paragraphs: frozenset[str]
    tpp_cap: float | None
    transfers_only: bool  # only when the transaction moves the item (an export cap says nothing of a service)
    not_enforced: tuple[tuple[DateRange, str], ...]
    detail: str

    def step(self, day: dt.date) -> ProvisionStep | None:
        """The scope on ``day``: the last step that has started, unless it has ended."""
        got = next((s for s in reversed(self.steps) if s.start <= day), None)
        return None if got is None or (got.until is not None and day > got.until) else got

    def enforcement_note(self, day: dt.date) -> str | None:
        return next((text for span, text in self.not_enforced if span.contains(day)), None)


def _date(value: Any, where: str) -> dt.date | None:
    try:
        return to_date(value)
    except ValueError as exc:
        raise DataError(where, None, str(exc)) from None


def _cite(c: Any) -> str:
    if isinstance(c, Mapping):
        parts = [str(c[k]) for k in ("fr", "cfr", "text") if c.get(k)]
        return "; ".join(parts) + (f" [{c['confidence']}]" if c.get("confidence") else "")
    return str(c)


def _parse(raw: Any, where: str, groups: CountryGroups) -> Provision:
    try:
        steps = []
        for i, s in enumerate(raw["steps"]):
            start = _date(s["from"], f"{where}: steps[{i}].from")
            if start is None:
                raise DataError(where, f"steps[{i}].from", "a start date is required")
            dest = Scope.parse(s["destinations"], f"{where}: steps[{i}]", groups) if s.get("destinations") else None
            steps.append(ProvisionStep(start, _date(s.get("until"), where), dest, str(s["citation"])))
        when = raw.get("when") or {}
        off = tuple(
            (DateRange(_date(n["from"], where), _date(n.get("until"), where)), str(n["text"]))
            for n in raw.get("not_enforced") or ()
        )
        return Provision(
            id=str(raw["id"]),
            title=str(raw["title"]),
            citation=_cite(raw["citation"]),
            verified=bool(raw.get("verified", False)),
            steps=tuple(steps),
            end_uses=frozenset(str(u) for u in when.get("end_uses") or ()),
            paragraphs=frozenset(str(p) for p in when.get("paragraphs") or ()),
            tpp_cap=None if when.get("tpp_cap") is None else float(when["tpp_cap"]),
            transfers_only=bool(when.get("transfers_only", False)),
            not_enforced=off,
            detail=" ".join(str(raw["detail"]).split()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(where, None, f"missing or malformed key {exc}") from None
    except DataError:
        raise
    except ChipscreenError as exc:
        raise DataError(where, None, str(exc)) from None


@lru_cache(maxsize=4)
def _load(folder: Path) -> tuple[Provision, ...]:
    groups = country_groups()
    return tuple(_parse(read_yaml(p), str(p), groups) for p in sorted(folder.glob("*.yaml")))


def provisions(folder: Path | None = None) -> tuple[Provision, ...]:
    """Every provision file, parsed and checked (cached)."""
    return _load(folder or data_dir() / "rulebooks" / "provisions")
