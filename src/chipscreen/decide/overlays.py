"""The decision overlays as data (``data/decide/overlays.yaml``): list-based and end-use requirements,
who receives what each transaction kind moves, and the red-flag parameters.

Every code the file names (roles, transaction kinds, reason and flag codes, review policies) is checked
against the contract's types when it is read, so a typo in the data is reported with its key instead of
silently never matching."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, get_args

from chipscreen.dates import to_date
from chipscreen.errors import DataError
from chipscreen.model import (
    FLAG_CODES,
    REASON_CODES,
    FlagCode,
    ReasonCode,
    ReviewPolicy,
    Role,
    TransactionKind,
)
from chipscreen.names.screener import Match
from chipscreen.paths import data_dir, read_yaml
from chipscreen.rules import Scope, country_groups

ROLES: tuple[Role, ...] = get_args(Role)
TRANSACTION_KINDS: tuple[TransactionKind, ...] = get_args(TransactionKind)
REVIEW_POLICIES: tuple[ReviewPolicy, ...] = get_args(ReviewPolicy)

_T = TypeVar("_T", bound=str)


@dataclass(frozen=True)
class ListOverlay:
    code: str
    reason: ReasonCode | None  # a licence-requirement reason code (entity_list, meu)
    flag: FlagCode | None  # or a flag code (denied_party, sanctioned_party, other_list)
    citation: str
    detail: str
    review_policy: ReviewPolicy | None


@dataclass(frozen=True)
class EndUsePhase:
    """One dated version of an end-use rule: its destinations, the items it reaches and its citation."""

    start: dt.date
    until: dt.date | None
    scope: Scope
    citation: str
    items: str  # which items the paragraph reaches, as the answer states it

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class EndUse:
    name: str
    phases: tuple[EndUsePhase, ...]
    review_policy: ReviewPolicy | None

    @property
    def since(self) -> dt.date:
        return self.phases[0].start

    def on(self, day: dt.date) -> EndUsePhase | None:
        """The version of the rule in force on the day (paragraphs and scopes changed over time)."""
        return next((p for p in self.phases if p.covers(day)), None)


@dataclass(frozen=True)
class Overlays:
    receiving_roles: dict[TransactionKind, tuple[Role, ...]]
    exporter_roles: tuple[Role, ...]
    end_user_roles: tuple[Role, ...]
    transfer_kinds: tuple[TransactionKind, ...]
    service_kinds: tuple[TransactionKind, ...]
    remote_access_kinds: tuple[TransactionKind, ...]
    pre_rule_stock_kinds: tuple[TransactionKind, ...]
    hub_roles: tuple[Role, ...]
    lists: dict[str, ListOverlay]
    affiliates_regime: str
    end_uses: dict[str, EndUse]
    transshipment_hubs: frozenset[str]
    transshipment_citation: str
    unknown_ownership_citation: str
    minority_stake_citation: str
    unknown_ownership_scope: Scope
    restricted_headquarters: Scope
    version: str

    def licence_listed(self, hits: Iterable[Match]) -> bool:
        """A party matches a list that carries a licence requirement (Entity List, MEU): it is itself listed,
        which is a reason, never an affiliate flag."""
        return any((spec := self.lists.get(m.list)) is not None and spec.reason for m in hits)


class _Reader:
    """Reads one overlays file, naming the key of whatever is malformed."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> DataError:
        return DataError(str(self.path), key, problem)

    def section(self, raw: Mapping[str, Any], key: str) -> Any:
        if key not in raw:
            raise self.fail(key, "missing")
        return raw[key]

    def mapping(self, value: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key, f"expected a mapping, got {type(value).__name__}")
        return value

    def choice(self, value: Any, allowed: tuple[_T, ...], key: str) -> _T:
        for code in allowed:
            if value == code:
                return code
        raise self.fail(key, f"{value!r} is not one of {', '.join(allowed)}")

    def optional(self, value: Any, allowed: tuple[_T, ...], key: str) -> _T | None:
        return None if value is None else self.choice(value, allowed, key)

    def choices(self, value: Any, allowed: tuple[_T, ...], key: str) -> tuple[_T, ...]:
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {type(value).__name__}")
        return tuple(self.choice(v, allowed, f"{key}[{i}]") for i, v in enumerate(value))

    def scope(self, spec: Any, key: str) -> Scope:
        return Scope.parse(spec, f"{self.path}: {key}", country_groups())

    def date(self, value: Any, key: str) -> dt.date:
        try:
            day = to_date(value)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None
        if day is None:
            raise self.fail(key, "expected a date")
        return day


def _lists(r: _Reader, raw: Mapping[str, Any]) -> dict[str, ListOverlay]:
    out: dict[str, ListOverlay] = {}
    for code, value in r.mapping(r.section(raw, "lists"), "lists").items():
        key = f"lists.{code}"
        spec = r.mapping(value, key)
        out[str(code)] = ListOverlay(
            code=str(code),
            reason=r.optional(spec.get("reason"), REASON_CODES, f"{key}.reason"),
            flag=r.optional(spec.get("flag"), FLAG_CODES, f"{key}.flag"),
            citation=str(spec.get("citation") or spec.get("detail") or ""),
            detail=str(spec.get("detail") or spec.get("citation") or ""),
            review_policy=r.optional(spec.get("review_policy"), REVIEW_POLICIES, f"{key}.review_policy"),
        )
    return out


def _phase(r: _Reader, spec: Any, key: str) -> EndUsePhase:
    raw = r.mapping(spec, key)
    until = raw.get("until")
    return EndUsePhase(
        r.date(r.section(raw, "from"), f"{key}.from"),
        r.date(until, f"{key}.until") if until is not None else None,
        r.scope(r.section(raw, "scope"), key),
        str(r.section(raw, "citation")),
        str(r.section(raw, "items")),
    )


def _end_uses(r: _Reader, raw: Mapping[str, Any]) -> dict[str, EndUse]:
    out: dict[str, EndUse] = {}
    for name, value in r.mapping(r.section(raw, "end_uses"), "end_uses").items():
        key = f"end_uses.{name}"
        spec = r.mapping(value, key)
        phases = r.section(spec, "phases")
        if not isinstance(phases, list) or not phases:
            raise r.fail(f"{key}.phases", "expected a non-empty list of dated phases")
        out[str(name)] = EndUse(
            str(name),
            tuple(_phase(r, p, f"{key}.phases[{i}]") for i, p in enumerate(phases)),
            r.optional(spec.get("review_policy"), REVIEW_POLICIES, f"{key}.review_policy"),
        )
    return out


def _receiving_roles(r: _Reader, raw: Mapping[str, Any]) -> dict[TransactionKind, tuple[Role, ...]]:
    spec = r.mapping(r.section(raw, "receiving_roles"), "receiving_roles")
    return {
        r.choice(kind, TRANSACTION_KINDS, "receiving_roles"): r.choices(roles, ROLES, f"receiving_roles.{kind}")
        for kind, roles in spec.items()
    }


def read_overlays(path: Path) -> Overlays:
    """Parse one overlays file; anything malformed is a ``DataError`` naming the file and the key."""
    r = _Reader(path)
    raw = r.mapping(read_yaml(path), "(top level)")
    rf = r.mapping(r.section(raw, "red_flags"), "red_flags")

    def roles(key: str) -> tuple[Role, ...]:
        return r.choices(r.section(raw, key), ROLES, key)

    def kinds(key: str) -> tuple[TransactionKind, ...]:
        return r.choices(r.section(raw, key), TRANSACTION_KINDS, key)

    def text(key: str) -> str:
        return str(r.section(rf, key))

    return Overlays(
        receiving_roles=_receiving_roles(r, raw),
        exporter_roles=roles("exporter_roles"),
        end_user_roles=roles("end_user_roles"),
        transfer_kinds=kinds("transfer_kinds"),
        service_kinds=kinds("service_kinds"),
        remote_access_kinds=kinds("remote_access_kinds"),
        pre_rule_stock_kinds=kinds("pre_rule_stock_kinds"),
        hub_roles=roles("hub_roles"),
        lists=_lists(r, raw),
        affiliates_regime=str(r.section(raw, "affiliates_regime")),
        end_uses=_end_uses(r, raw),
        transshipment_hubs=frozenset(str(c) for c in r.section(rf, "transshipment_hubs")),
        transshipment_citation=text("transshipment_citation"),
        unknown_ownership_citation=text("unknown_ownership_citation"),
        minority_stake_citation=text("minority_stake_citation"),
        unknown_ownership_scope=r.scope(r.section(rf, "unknown_ownership_scope"), "red_flags"),
        restricted_headquarters=r.scope(r.section(rf, "restricted_headquarters"), "red_flags"),
        version=str(raw.get("version")),
    )


@lru_cache(maxsize=1)
def overlays() -> Overlays:
    """The shipped overlays, read once."""
    return read_overlays(data_dir() / "decide" / "overlays.yaml")
