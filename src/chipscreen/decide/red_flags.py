"""BIS red flags (Supp. No. 3 to part 732 and the May 2025 guidance) that a transaction's facts show.

A red flag needs no licence; it obliges the exporter to inquire before going on. Only a flag whose trigger
is a fact the Transaction carries is raised (``data/decide/red_flags.yaml``): a freight forwarder named as
the final destination or an intermediary in D:5 on the way to another country is visible in the parties, an
AI-training service for a D:5-headquartered customer in the kind, end use and headquarters; "no web
presence" or "pays cash" is not visible, and is never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from chipscreen.dates import to_date
from chipscreen.decide.shipment import Shipment
from chipscreen.errors import DataError
from chipscreen.model import Flag, TxParty
from chipscreen.paths import parsed_file
from chipscreen.rules import Scope, country_groups

__all__ = ["ForwarderFlag", "RedFlagRules", "RouteFlag", "TrainingFlag", "red_flag_rules", "red_flags"]


@dataclass(frozen=True)
class ForwarderFlag:
    title: str
    citation: str
    verified: bool
    roles: frozenset[str]
    pattern: re.Pattern[str]
    controlled_only: bool


@dataclass(frozen=True)
class RouteFlag:
    """An intermediate party located where the shipment is not going: 'the shipping route is abnormal'."""

    title: str
    citation: str
    verified: bool
    roles: frozenset[str]
    through: Scope  # where such a party makes the route abnormal, unless the destination is there too
    controlled_only: bool


@dataclass(frozen=True)
class TrainingFlag:
    """A computing service for AI training whose customer is headquartered in a destination of concern."""

    key: str
    title: str
    citation: str
    verified: bool
    since: dt.date
    until: dt.date | None
    kinds: frozenset[str]
    end_uses: frozenset[str]
    roles: frozenset[str]
    headquarters: Scope
    advice: str


@dataclass(frozen=True)
class RedFlagRules:
    forwarder: ForwarderFlag
    route: RouteFlag
    training: tuple[TrainingFlag, ...]


def _strings(r: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(x) for x in r[key])


def _forwarder(r: dict[str, Any], where: str) -> ForwarderFlag:
    words = [re.escape(str(w)) for w in r["words"]]
    if not words:
        raise DataError(where, "forwarder_final_destination.words", "at least one word is required")
    return ForwarderFlag(
        title=str(r["title"]),
        citation=str(r["citation"]),
        verified=bool(r["verified"]),
        roles=_strings(r, "roles"),
        pattern=re.compile(rf"\b({'|'.join(words)})\b", re.IGNORECASE),
        controlled_only=bool(r["controlled_only"]),
    )


def _route(r: dict[str, Any], where: str) -> RouteFlag:
    return RouteFlag(
        title=str(r["title"]),
        citation=str(r["citation"]),
        verified=bool(r["verified"]),
        roles=_strings(r, "roles"),
        through=Scope.parse(r["through"], f"{where}: abnormal_route.through", country_groups()),
        controlled_only=bool(r["controlled_only"]),
    )


def _training(key: str, r: dict[str, Any], where: str) -> TrainingFlag:
    since = to_date(r["from"])
    if since is None:
        raise DataError(where, f"{key}.from", "a date is required")
    return TrainingFlag(
        key=key,
        title=str(r["title"]),
        citation=str(r["citation"]),
        verified=bool(r["verified"]),
        since=since,
        until=to_date(r.get("until")),
        kinds=_strings(r, "kinds"),
        end_uses=_strings(r, "end_uses"),
        roles=_strings(r, "roles"),
        headquarters=Scope.parse(r["headquarters"], f"{where}: {key}.headquarters", country_groups()),
        advice=str(r["advice"]),
    )


def _parse(raw: Any, where: str) -> RedFlagRules:
    try:
        forwarder = _forwarder(raw["forwarder_final_destination"], where)
        route = _route(raw["abnormal_route"], where)
        training = tuple(_training(str(k), v, where) for k, v in raw["ai_training_services"].items())
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DataError(where, None, f"missing or malformed key {exc}") from None
    return RedFlagRules(forwarder, route, training)


_load = parsed_file(_parse, "decide", "red_flags.yaml")


def red_flag_rules(path: Path | None = None) -> RedFlagRules:
    return _load(path)


def red_flags(sh: Shipment, rules: RedFlagRules | None = None) -> list[Flag]:
    """The red flags the transaction's facts show, each with the facts that raised it and its citation."""
    r = rules or red_flag_rules()
    out = list(_forwarder_flags(sh, r.forwarder))
    out.extend(_route_flags(sh, r.route))
    for t in r.training:
        out.extend(_training_flags(sh, t))
    return out


class _FlagRule(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def citation(self) -> str: ...
    @property
    def verified(self) -> bool: ...


def _flag(r: _FlagRule, key: str, party: TxParty, detail: str, facts: dict[str, Any]) -> Flag:
    """Every red flag names its party, opens its detail with its title, and cites its source in the evidence."""
    evidence = {"red_flag": key, **facts, "citation": r.citation, "verified": r.verified}
    return Flag(code="red_flag", party=party.name, detail=f"{r.title}: {detail}", evidence=evidence)


def _moves_in_scope(sh: Shipment, controlled_only: bool) -> bool:
    """The forwarder and route flags concern goods that move, and only controlled ones where the data says so."""
    return sh.moves and (sh.cls.controlled or not controlled_only)


def _forwarder_flags(sh: Shipment, r: ForwarderFlag) -> Iterator[Flag]:
    if not _moves_in_scope(sh, r.controlled_only):
        return
    for party in sh.tx.parties:
        if party.role not in r.roles:
            continue
        words = sorted({m.group(0).lower() for m in r.pattern.finditer(party.name)})
        if words:
            detail = (f"{party.role} {party.name!r} is named as a forwarding or logistics firm "
                      f"({', '.join(words)}); ask who the real end user is")
            yield _flag(r, "forwarder_final_destination", party, detail, {"words": words})


def _route_flags(sh: Shipment, r: RouteFlag) -> Iterator[Flag]:
    """A consignee or intermediary in D:5 or Macau on the way to a destination outside them."""
    if not _moves_in_scope(sh, r.controlled_only):
        return
    groups, day = country_groups(), sh.tx.date
    if r.through.matches(groups.canonical(sh.tx.to, day), day, groups):
        return  # the destination itself is there: the route is not the anomaly
    for party in sh.tx.parties:
        if party.role not in r.roles or not party.country:
            continue
        if r.through.matches(groups.canonical(party.country, day), day, groups):
            detail = (f"{sh.item.id} for {sh.tx.to} passes through {party.role} {party.name!r} in "
                      f"{party.country} ({r.through.describe()}); ask why it is routed there")
            through = {"name": party.name, "role": party.role, "country": party.country}
            yield _flag(r, "abnormal_route", party, detail, {"destination": sh.tx.to, "through": through})


def _hq_ties(sh: Shipment, party: TxParty, scope: Scope) -> list[tuple[str, str]]:
    """Which of the party's headquarters (its own, else its country; its ultimate parent's) the scope holds."""
    groups, day = country_groups(), sh.tx.date
    pf = sh.facts_of(party)
    own = ("headquarters", pf.headquarters) if pf.headquarters else ("country", party.country)
    fields = [own, ("parent_headquarters", pf.parent_headquarters)]
    return [(f, c) for f, c in fields if c and scope.matches(groups.canonical(c, day), day, groups)]


def _training_flags(sh: Shipment, t: TrainingFlag) -> Iterator[Flag]:
    tx, use = sh.tx, sh.tx.end_use or ""
    if tx.date < t.since or (t.until is not None and tx.date > t.until):
        return
    if tx.kind not in t.kinds or use not in t.end_uses or not sh.cls.controlled:
        return
    for party in tx.parties:
        ties = _hq_ties(sh, party, t.headquarters) if party.role in t.roles else []
        if not ties:
            continue
        field, country = ties[0]
        detail = (f"{tx.kind.replace('_', ' ')} for {use.replace('_', ' ')} to {party.role} {party.name!r}, "
                  f"whose {field.replace('_', ' ')} is {country}; {t.advice}")
        yield _flag(t, t.key, party, detail, {"ties": [{"field": f, "country": c} for f, c in ties]})
