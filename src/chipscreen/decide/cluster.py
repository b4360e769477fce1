"""Does one installation of the transaction's items make a "supercomputer" (15 CFR 772.1)?

A transaction that says its items go into one installation (``one_installation``) is added up: peak FP64 and
FP32 of every IC, times the ICs per system, times the quantity. Reaching the definition makes the §744.23
supercomputer end use apply just as a stated ``end_use: supercomputer`` would (``data/decide/supercomputer.yaml``).
A figure the item lacks is reported, never taken as zero when it could decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipscreen.dates import to_date
from chipscreen.errors import DataError
from chipscreen.model import Item
from chipscreen.paths import parsed_file
from chipscreen.rules.expr import fmt

__all__ = ["Cluster", "SupercomputerRule", "cluster_size", "supercomputer_rule"]

Resolve = Callable[[str], Item]


@dataclass(frozen=True)
class SupercomputerRule:
    citation: str
    verified: bool
    since: dt.date
    text: str
    fp64_pflops: float
    fp32_pflops: float
    volume_ft3: float
    end_use: str


def _parse(raw: Any, where: str) -> SupercomputerRule:
    try:
        d = raw["definition"]
        since = to_date(d["since"])
        if since is None:
            raise ValueError("since: a date is required")
        return SupercomputerRule(
            citation=str(d["citation"]),
            verified=bool(d.get("verified", False)),
            since=since,
            text=" ".join(str(d["text"]).split()),
            fp64_pflops=float(d["fp64_pflops"]),
            fp32_pflops=float(d["fp32_pflops"]),
            volume_ft3=float(d["volume_ft3"]),
            end_use=str(raw["end_use"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(where, "definition", f"missing or malformed: {exc}") from None


_load = parsed_file(_parse, "decide", "supercomputer.yaml")


def supercomputer_rule(path: Path | None = None) -> SupercomputerRule:
    return _load(path)


@dataclass
class Cluster:
    fp64_pflops: float = 0.0
    fp32_pflops: float = 0.0
    missing: list[str] = field(default_factory=list)  # "<ic id>.dense_tops.fp64", ...
    work: list[str] = field(default_factory=list)
    meets: bool | None = False  # None: the missing figures could decide it
    definition_verified: bool = True  # False: the thresholds were not read in the rule's text

    def evidence(self) -> dict[str, Any]:
        return {
            "fp64_pflops": self.fp64_pflops,
            "fp32_pflops": self.fp32_pflops,
            "missing": self.missing,
            "definition_verified": self.definition_verified,
        }


def _ics(item: Item, resolve: Resolve) -> tuple[Item, int]:
    """The IC whose figures count and how many of them one unit of ``item`` holds."""
    if item.kind != "system" or item.contains is None:
        return item, 1
    inner = item.contains.item
    return (inner if isinstance(inner, Item) else resolve(inner)), item.contains.count


def cluster_size(item: Item, quantity: int, resolve: Resolve, rule: SupercomputerRule | None = None) -> Cluster:
    """The installation's collective peak FP64/FP32 against the definition, with the arithmetic."""
    r = rule or supercomputer_rule()
    ic, per_unit = _ics(item, resolve)
    n = per_unit * quantity
    out = Cluster(definition_verified=r.verified)
    for prec, limit in (("fp64", r.fp64_pflops), ("fp32", r.fp32_pflops)):
        tflops = ic.dense_tops.get(prec)
        if tflops is None:
            out.missing.append(f"{ic.id}.dense_tops.{prec}")
            out.work.append(f"one installation: {prec.upper()} of {ic.id} unknown")
            continue
        pf = n * tflops / 1000
        setattr(out, f"{prec}_pflops", pf)
        out.work.append(
            f"one installation: {n} x {ic.id} x {fmt(tflops)} {prec.upper()} TFLOPS = {fmt(pf)} PFLOPS "
            f"({'>=' if pf >= limit else '<'} {fmt(limit)})"
        )
        if pf >= limit:
            out.meets = True
    if out.meets is not True and out.missing:
        out.meets = None
    verdict = {True: "a supercomputer", False: "not a supercomputer", None: "undetermined"}[out.meets]
    unverified = "" if r.verified else "; the thresholds are unverified: the rule's text was not read"
    out.work.append(
        f"=> {verdict} under {r.citation} (within {fmt(r.volume_ft3)} ft³, as the transaction says{unverified})"
    )
    return out
