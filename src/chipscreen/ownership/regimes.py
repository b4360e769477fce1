"""Ownership capture regimes: which lists feed each 50% test, its threshold, and whether it is in force.

The OFAC 50% rule is ownership data (``data/ownership/regimes.yaml``). The BIS Affiliates rule is a rule
version like any other, so its threshold, feeding lists, citation and in-force and suspension dates come
from the rulebooks (``data/rulebooks/*.yaml`` through ``chipscreen.rules.affiliates_rule``); regimes.yaml
only names it. Before the rule existed the regime is still computed (with the definition of the rulebook
that introduced it) and reported as not in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipscreen import rules
from chipscreen.dates import DateRange, to_date
from chipscreen.errors import DataError, NotFoundError
from chipscreen.ownership.csr import BOOL
from chipscreen.ownership.nodes import Lists
from chipscreen.ownership.status import Fixpoint
from chipscreen.paths import data_dir, read_yaml

BIS = "bis_affiliates"
OFAC = "ofac"


@dataclass(frozen=True)
class Window:
    """A dated window in which a regime is in force (or suspended), with the text that says so."""

    dates: DateRange
    citation: str | None  # None: the file gives none


@dataclass
class Regime:
    """One ownership regime as data: the test and the lists that feed it."""

    name: str
    title: str
    threshold_ppm: int
    op: str  # ">=" (OFAC, BIS) or ">" (EU/UK style)
    lists: Lists
    citation: str
    in_force_windows: list[Window] = field(default_factory=list)
    suspended: list[Window] = field(default_factory=list)
    from_rulebooks: bool = False  # the BIS Affiliates rule: threshold, lists and dates are the rulebooks'

    @property
    def effective_threshold(self) -> int:
        """The integer the score is compared with ``>=``: "more than 50%" is ">= 500001 ppm"."""
        return self.threshold_ppm + (1 if self.op == ">" else 0)

    def in_force(self, on: dt.date) -> tuple[bool, str]:
        for w in self.suspended:
            if w.dates.contains(on):
                return False, f"suspended: {w.citation or ''}"
        for w in self.in_force_windows:
            if w.dates.contains(on):
                return True, "in force" if w.citation is None else w.citation
        return False, "not in force on this date (regimes.yaml windows)"


def regimes_file() -> Path:
    return data_dir() / "ownership" / "regimes.yaml"


def _windows(path: Path, where: str, raw: Any) -> list[Window]:
    if not isinstance(raw, list):
        raise DataError(str(path), where, "a list of {from, until, citation} windows")
    out = []
    for i, w in enumerate(raw):
        try:
            start, until = to_date(w.get("from")), to_date(w.get("until"))
        except ValueError as exc:
            raise DataError(str(path), f"{where}[{i}]", str(exc)) from None
        cite = w.get("citation")
        out.append(Window(DateRange(start, until), None if cite is None else str(cite)))
    return out


def _lists(raw: Mapping[str, Any]) -> Lists:
    return {str(code): ([str(p).upper() for p in v["programs"]] if v and v.get("programs") else None)
            for code, v in raw.items()}


def _rulebook_lists(rule: rules.AffiliatesRule) -> Lists:
    """The lists feeding the rule as the kernels select them (programs upper-cased; none listed: every entry)."""
    return {code: ([p.upper() for p in programs] if programs else None) for code, programs in rule.programs().items()}


def _affiliates_definition() -> rules.AffiliatesRule:
    """The Affiliates rule as the first rulebook that states it defines it (threshold, op, lists)."""
    for rb in rules.list_rulebooks():
        ans = rules.affiliates_rule(rb)
        if ans.threshold_ppm is not None and ans.op is not None:
            return ans
    raise NotFoundError("no rulebook in data/rulebooks/ states the Affiliates rule (affiliates_rule:)")


def _affiliates_regime(name: str, title: str) -> Regime:
    a = _affiliates_definition()
    assert a.threshold_ppm is not None and a.op is not None
    return Regime(name, title, a.threshold_ppm, a.op, _rulebook_lists(a), a.citation,
                  from_rulebooks=True)


def load_regimes(path: Path | None = None) -> tuple[dict[str, Regime], int]:
    """Regimes and the significant-minority flag threshold (the data, not the code, decides)."""
    path = path or regimes_file()
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataError(str(path), "", "a mapping with regimes and significant_minority_ppm")
    out: dict[str, Regime] = {}
    for name, r in (data.get("regimes") or {}).items():
        title = str(r.get("title", name))
        if r.get("source") == "rulebooks":
            out[name] = _affiliates_regime(name, title)
            continue
        try:
            out[name] = Regime(name, title, int(r["threshold_ppm"]), r.get("op", ">="), _lists(r.get("lists") or {}),
                               str(r.get("citation", "")).strip(),
                               _windows(path, f"regimes.{name}.in_force", r.get("in_force") or []),
                               _windows(path, f"regimes.{name}.suspended", r.get("suspended") or []))
        except KeyError as exc:
            raise DataError(str(path), f"regimes.{name}", f"missing {exc.args[0]}") from None
    if not isinstance(data.get("significant_minority_ppm"), int):
        raise DataError(str(path), "significant_minority_ppm", "expected a whole number of ppm")
    return out, int(data["significant_minority_ppm"])


def affiliates_on(base: Regime, on: dt.date) -> tuple[Regime, bool, str]:
    """The Affiliates rule's regime on a date, whether it is in force, and the rulebook that says so."""
    try:
        ans = rules.affiliates_rule(on)
    except NotFoundError:  # before the earliest rulebook: no Affiliates rule existed
        return base, False, "no rulebook in force on this date"
    regime = Regime(base.name, base.title,
                    ans.threshold_ppm if ans.threshold_ppm is not None else base.threshold_ppm,
                    ans.op if ans.op is not None else base.op,
                    _rulebook_lists(ans) if ans.feeds else base.lists,
                    ans.citation, from_rulebooks=True)
    return regime, ans.in_force, f"chipscreen.rules.affiliates_rule: {ans.status} (rulebook {ans.rulebook})"


@dataclass
class RegimeRun:
    """One regime's kernels on one date: listed set, least fixpoints on both bounds, greatest fixpoint."""

    regime: Regime
    listed: BOOL
    lo: Fixpoint
    hi: Fixpoint
    greatest: BOOL
    in_force: bool | None
    source: str
