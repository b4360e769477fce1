"""The decision overlays as data (``data/decide/overlays.yaml``): list-based and end-use requirements,
who receives what each transaction kind moves, and the red-flag parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from chipscreen.errors import ChipscreenError
from chipscreen.paths import data_dir
from chipscreen.rules import country_groups
from chipscreen.rules.countries import Scope


@dataclass(frozen=True)
class ListOverlay:
    code: str
    reason: str | None  # a licence-requirement reason code (entity_list, meu)
    flag: str | None  # or a flag code (denied_party, sanctioned_party, other_list)
    citation: str
    detail: str
    review_policy: str | None


@dataclass(frozen=True)
class EndUse:
    name: str
    citation: str
    scope: Scope
    since: dt.date
    review_policy: str | None


@dataclass(frozen=True)
class Overlays:
    receiving_roles: dict[str, tuple[str, ...]]
    exporter_roles: tuple[str, ...]
    end_user_roles: tuple[str, ...]
    transfer_kinds: tuple[str, ...]
    service_kinds: tuple[str, ...]
    remote_access_kinds: tuple[str, ...]
    pre_rule_stock_kinds: tuple[str, ...]
    hub_roles: tuple[str, ...]
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


def _scope(spec: Any, where: str) -> Scope:
    return Scope.parse(spec, where, country_groups())


@lru_cache(maxsize=1)
def overlays() -> Overlays:
    path = data_dir() / "decide" / "overlays.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        lists = {
            str(code): ListOverlay(
                code=str(code),
                reason=spec.get("reason"),
                flag=spec.get("flag"),
                citation=str(spec.get("citation") or spec.get("detail") or ""),
                detail=str(spec.get("detail") or spec.get("citation") or ""),
                review_policy=spec.get("review_policy"),
            )
            for code, spec in raw["lists"].items()
        }
        end_uses = {
            name: EndUse(
                name,
                spec["citation"],
                _scope(spec["scope"], f"{path}: end_uses.{name}"),
                dt.date.fromisoformat(str(spec["since"])),
                spec.get("review_policy"),
            )
            for name, spec in raw["end_uses"].items()
        }
        rf = raw["red_flags"]
        return Overlays(
            receiving_roles={k: tuple(v) for k, v in raw["receiving_roles"].items()},
            exporter_roles=tuple(raw["exporter_roles"]),
            end_user_roles=tuple(raw["end_user_roles"]),
            transfer_kinds=tuple(raw["transfer_kinds"]),
            service_kinds=tuple(raw["service_kinds"]),
            remote_access_kinds=tuple(raw["remote_access_kinds"]),
            pre_rule_stock_kinds=tuple(raw["pre_rule_stock_kinds"]),
            hub_roles=tuple(raw["hub_roles"]),
            lists=lists,
            affiliates_regime=str(raw["affiliates_regime"]),
            end_uses=end_uses,
            transshipment_hubs=frozenset(rf["transshipment_hubs"]),
            transshipment_citation=rf["transshipment_citation"],
            unknown_ownership_citation=rf["unknown_ownership_citation"],
            minority_stake_citation=rf["minority_stake_citation"],
            unknown_ownership_scope=_scope(rf["unknown_ownership_scope"], f"{path}: red_flags"),
            restricted_headquarters=_scope(rf["restricted_headquarters"], f"{path}: red_flags"),
            version=str(raw.get("version")),
        )
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise ChipscreenError(f"{path}: malformed overlays file: {exc}") from None
